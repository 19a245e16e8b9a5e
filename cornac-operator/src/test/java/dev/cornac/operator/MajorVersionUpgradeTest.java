package dev.cornac.operator;

import static dev.cornac.operator.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cornac.dataplane.MemberEndpoints;
import dev.cornac.dataplane.patroni.PatroniClient;
import dev.cornac.operator.upgrade.MajorVersionUpgrade;
import dev.cornac.testkit.LocalPatroniCluster;
import dev.cornac.testkit.PodConnections;
import dev.cornac.testkit.StrictApiServer;
import dev.cornac.testkit.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-place major version upgrade against a real two-member Patroni cluster: the operator's
 * checks read the real members, the upgrade is an exec through the API server into the primary's
 * pod. The pod's container is a directory here, and Spilo's {@code /scripts/inplace_upgrade.py} a
 * stand-in script the test writes (Spilo's image is not here, and Debian ships one PostgreSQL major
 * version): what is checked is everything the operator does around it.
 */
@WithStrictApiServer
class MajorVersionUpgradeTest {
  static final String CLUSTER = "acid-upgrade";

  /** Upstream's annotation value: a UTC time to the second. */
  static final String STAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ";

  StrictApiServer api;
  OperatorHarness k8s;
  LocalPatroniCluster patroni;
  PatroniPods pods;
  final Map<String, UpgradedVersionProxy> proxies = new ConcurrentHashMap<>();
  @TempDir Path dir;

  record Exec(String pod, List<String> command, String criticalLabels, String statusAtStart) {}

  final List<Exec> execs = Collections.synchronizedList(new ArrayList<>());
  volatile String uid = "101";

  @AfterEach
  void tearDown() throws Exception {
    Closeables.closeAll(k8s, pods);
    Closeables.closeAll(proxies.values().toArray(AutoCloseable[]::new));
    Closeables.closeAll(patroni);
  }

  /**
   * Patroni as the operator sees it: real members, reporting the upgraded version once the stand-in
   * wrote it.
   */
  private MemberEndpoints endpoints() {
    MemberEndpoints real = pods.endpoints();
    Path version = dir.resolve("server_version");
    return new MemberEndpoints() {
      @Override
      public PatroniClient patroni(Member member) {
        UpgradedVersionProxy proxy =
            proxies.computeIfAbsent(
                member.name(),
                name -> {
                  try {
                    return new UpgradedVersionProxy(
                        () -> URI.create("http://127.0.0.1:" + patroni.member(name).restPort()),
                        version);
                  } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                });
        return new PatroniClient(
            proxy.uri(), Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(5));
      }

      @Override
      public String jdbcUrl(Member member, String database) {
        return real.jdbcUrl(member, database);
      }
    };
  }

  /** A pod's container: its working directory, where Spilo's script is our stand-in. */
  private PodConnections.ExecResult exec(String pod, String container, List<String> command)
      throws Exception {
    String labels =
        k8s.client().pods().inNamespace(NS).list().getItems().stream()
            .map(
                p ->
                    p.getMetadata().getName()
                        + "="
                        + p.getMetadata().getLabels().get("critical-operation"))
            .sorted()
            .toList()
            .toString();
    String status = upgradeCondition().map(c -> c.getReason() + ": " + c.getMessage()).orElse("");
    execs.add(new Exec(pod, command, labels, status));
    assertThat(container).isEqualTo("postgres");
    if (command.equals(List.of("/usr/bin/id", "-u"))) {
      return new PodConnections.ExecResult(0, uid + "\n", "");
    }
    List<String> local = new ArrayList<>(command);
    if (local.get(0).equals("/bin/su")) {
      local = List.of("/bin/bash", "-c", local.get(3));
    }
    local =
        local.stream()
            .map(
                a ->
                    a.replace(
                        "/usr/bin/python3 /scripts/inplace_upgrade.py",
                        "bash " + dir.resolve("inplace_upgrade.sh")))
            .toList();
    Path workdir = Files.createDirectories(dir.resolve(pod));
    Process p = new ProcessBuilder(local).directory(workdir.toFile()).start();
    String out = new String(p.getInputStream().readAllBytes());
    String err = new String(p.getErrorStream().readAllBytes());
    return new PodConnections.ExecResult(p.waitFor(), out, err);
  }

  private List<Exec> upgrades() {
    synchronized (execs) {
      return execs.stream()
          .filter(
              e ->
                  e.command().size() > 2
                      && e.command().get(e.command().size() - 1).contains("inplace_upgrade.py"))
          .toList();
    }
  }

  private String annotation(String key) {
    Map<String, String> a = k8s.get(CLUSTER).getMetadata().getAnnotations();
    return a == null ? null : a.get(key);
  }

  private Optional<Condition> upgradeCondition() {
    var status = k8s.get(CLUSTER).getStatus();
    return status == null || status.conditions == null
        ? Optional.empty()
        : status.conditions.stream()
            .filter(c -> MajorVersionUpgrade.CONDITION.equals(c.getType()))
            .findFirst();
  }

  private List<String> events(String reason) {
    return k8s.client().v1().events().inNamespace(NS).list().getItems().stream()
        .filter(
            e -> CLUSTER.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
        .map(Event::getMessage)
        .toList();
  }

  private void stand_in(String script) throws Exception {
    Files.writeString(dir.resolve("inplace_upgrade.sh"), script);
  }

  private void version(String v) {
    k8s.editSpec(CLUSTER, s -> s.postgresql.version = v);
  }

  /** Another whole pass of the operator, which would have acted if it were going to. */
  private void anotherPass(String value) {
    k8s.afterNextPass(CLUSTER, () -> k8s.annotate(CLUSTER, "cornac.dev/test-touch", value));
  }

  private String status() {
    return k8s.get(CLUSTER).getStatus().conditions.stream()
        .filter(c -> c.getType().equals("Reconciled"))
        .findFirst()
        .map(Condition::getMessage)
        .orElse("");
  }

  @Test
  void upgradeFailsIsNotRetriedThenSucceedsAndIsRecorded() throws Exception {
    patroni =
        LocalPatroniCluster.start(
            "cornac-operator-upgrade", List.of(CLUSTER + "-0", CLUSTER + "-1"));
    k8s = OperatorHarness.withExampleConfig(api);
    k8s.superuserSecret(CLUSTER, LocalPatroniCluster.SUPERUSER_PASSWORD);
    pods = new PatroniPods(k8s.client(), CLUSTER, patroni);
    api.onExec(this::exec);
    k8s.startOperator(false, endpoints());
    k8s.create(
        """
        apiVersion: acid.zalan.do/v1
        kind: postgresql
        metadata: {name: acid-upgrade}
        spec: {teamId: acid, numberOfInstances: 2, volume: {size: 1Gi}, postgresql: {version: "15"}}
        """);
    pods.start();
    k8s.awaitStatus(CLUSTER, "Running");
    assertThat(upgrades()).as("the cluster runs the version it asks for").isEmpty();

    // 1. 15 -> 16: the pods roll to the new PGVERSION, then the script runs in the primary, and
    // fails.
    stand_in(
        """
        echo "2026-11-28 10:00:00,000 INFO: checking the replicas"
        echo "2026-11-28 10:00:01,000 ERROR: replica acid-upgrade-1 did not pause" >&2
        exit 1
        """);
    version("16");
    await()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () -> assertThat(annotation(MajorVersionUpgrade.FAILURE_ANNOTATION)).matches(STAMP));
    String primary = patroni.leader().name();
    Exec first = upgrades().get(0);
    assertThat(first.pod()).isEqualTo(primary);
    assertThat(first.command())
        .containsExactly(
            "/bin/bash",
            "-c",
            "set -o pipefail && /usr/bin/python3 "
                + "/scripts/inplace_upgrade.py 2 2>&1 | tee last_upgrade.log");
    assertThat(first.criticalLabels())
        .as("every pod is protected while the script runs")
        .isEqualTo("[acid-upgrade-0=true, acid-upgrade-1=true]");
    assertThat(first.statusAtStart())
        .as("the status shows the upgrade while it runs")
        .isEqualTo("InProgress: upgrade from PostgreSQL 15 to 16 running in pod " + primary);
    assertThat(
            k8s.client()
                .apps()
                .statefulSets()
                .inNamespace(NS)
                .withName(CLUSTER)
                .get()
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("PGVERSION");
              assertThat(e.getValue()).isEqualTo("16");
            });
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(events(MajorVersionUpgrade.EVENT_REASON))
                  .anySatisfy(
                      m ->
                          assertThat(m)
                              .startsWith(
                                  "starting major version upgrade on pod "
                                      + primary
                                      + " of 2 pods"));
              assertThat(events(MajorVersionUpgrade.EVENT_REASON))
                  .anySatisfy(
                      m ->
                          assertThat(m)
                              .contains(
                                  "upgrade from PostgreSQL 15 to 16 FAILED in pod " + primary,
                                  "ERROR: replica acid-upgrade-1 did not pause",
                                  "not retried until the annotation"));
              assertThat(upgradeCondition())
                  .hasValueSatisfying(
                      c -> {
                        assertThat(c.getStatus()).isEqualTo("False");
                        assertThat(c.getReason()).isEqualTo("Failed");
                      });
              assertThat(k8s.client().pods().inNamespace(NS).list().getItems())
                  .allSatisfy(
                      p ->
                          assertThat(p.getMetadata().getLabels())
                              .doesNotContainKey("critical-operation"));
            });

    // 2. No retry while the failure is recorded, however many passes.
    anotherPass("1");
    anotherPass("2");
    assertThat(upgrades()).hasSize(1);
    assertThat(status()).contains("is not retried", MajorVersionUpgrade.FAILURE_ANNOTATION);

    // 3. The user fixes the cause and removes the annotation: it runs again (the container runs as
    // root this time,
    //    so through su), succeeds, and is recorded; members now report 16 and nothing runs again.
    uid = "0";
    //    The script runs until the test lets it end: meanwhile the cluster's passes go on (no
    // worker waits for it).
    Path go = dir.resolve("go");
    stand_in(
        """
        echo "2026-11-28 10:05:00,000 INFO: upgrading"
        while [ ! -f "%s" ]; do sleep 0.1; done
        echo 160004 > "%s"
        echo "2026-11-28 10:05:09,000 INFO: upgrade complete"
        """
            .formatted(go, dir.resolve("server_version")));
    k8s.client()
        .resources(dev.cornac.api.model.Postgresql.class)
        .inNamespace(NS)
        .withName(CLUSTER)
        .patch(
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON),
            "[{\"op\":\"remove\",\"path\":"
                + "\"/metadata/annotations/"
                + MajorVersionUpgrade.FAILURE_ANNOTATION
                + "\"}]");
    await().atMost(Duration.ofSeconds(60)).until(() -> upgrades().size() == 2);
    anotherPass("while-running");
    assertThat(status()).contains("upgrade from PostgreSQL 15 to 16 running in pod ");
    assertThat(upgradeCondition())
        .hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo("InProgress"));
    assertThat(annotation(MajorVersionUpgrade.SUCCESS_ANNOTATION)).isNull();
    Files.writeString(go, "");
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> assertThat(annotation(MajorVersionUpgrade.SUCCESS_ANNOTATION)).matches(STAMP));
    assertThat(upgrades()).hasSize(2);
    assertThat(upgrades().get(1).command())
        .containsExactly(
            "/bin/su",
            "postgres",
            "-c",
            "set -o pipefail && "
                + "/usr/bin/python3 /scripts/inplace_upgrade.py 2 2>&1 | tee last_upgrade.log");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(upgradeCondition())
                  .hasValueSatisfying(
                      c -> {
                        assertThat(c.getStatus()).isEqualTo("True");
                        assertThat(c.getMessage())
                            .startsWith("upgrade from PostgreSQL 15 to 16 finished in pod ");
                      });
              assertThat(events(MajorVersionUpgrade.EVENT_REASON))
                  .anySatisfy(
                      m ->
                          assertThat(m)
                              .startsWith("upgrade from PostgreSQL 15 to 16 finished in pod "));
            });
    assertThat(annotation(MajorVersionUpgrade.FAILURE_ANNOTATION)).isNull();
    anotherPass("3");
    assertThat(upgrades()).hasSize(2);

    // 4. 16 -> 17 outside the manifest's maintenance window: nothing runs, no failure recorded, the
    // status says why.
    LocalTime now = LocalTime.now(ZoneOffset.UTC);
    // Two hours ahead, never crossing midnight (a window that does is refused: split it in two).
    int start = now.plusHours(2).getHour();
    String window =
        String.format(
            "%02d:00-%s", start, start == 23 ? "23:59" : String.format("%02d:00", start + 1));
    k8s.editSpec(
        CLUSTER,
        s -> {
          s.maintenanceWindows = List.of(window);
          s.postgresql.version = "17";
        });
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(status()).contains("waits for a maintenance"));
    anotherPass("4");
    assertThat(upgrades()).hasSize(2);
    assertThat(annotation(MajorVersionUpgrade.FAILURE_ANNOTATION)).isNull();

    // 5. A recorded failure is cleared once the manifest asks for the version the cluster runs.
    k8s.annotate(CLUSTER, MajorVersionUpgrade.FAILURE_ANNOTATION, "2026-11-28T10:00:00Z");
    anotherPass("5");
    assertThat(annotation(MajorVersionUpgrade.FAILURE_ANNOTATION))
        .as("kept: the manifest still asks for 17")
        .isEqualTo("2026-11-28T10:00:00Z");
    version("16");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(k8s.get(CLUSTER).getMetadata().getAnnotations())
                    .doesNotContainKey(MajorVersionUpgrade.FAILURE_ANNOTATION));
    assertThat(upgrades()).hasSize(2);
    List<String> all = new ArrayList<>();
    k8s.client()
        .v1()
        .events()
        .inNamespace(NS)
        .list()
        .getItems()
        .forEach(e -> all.add(e.getMessage()));
    assertThat(String.join("\n", all)).doesNotContain(LocalPatroniCluster.SUPERUSER_PASSWORD);
  }
}
