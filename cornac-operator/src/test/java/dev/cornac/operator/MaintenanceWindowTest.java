package dev.cornac.operator;

import static dev.cornac.operator.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cornac.generators.plan.RollingUpdateMark;
import dev.cornac.testkit.StrictApiServer;
import dev.cornac.testkit.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A version bump waits for the cluster's maintenance window while every other change applies at
 * once; inside the window the new version reaches the StatefulSet and the pods are marked for their
 * rolling update.
 */
@WithStrictApiServer
class MaintenanceWindowTest {
  StrictApiServer api;
  OperatorHarness k8s;

  static final String CLUSTER = "acid-windowed";

  @AfterEach
  void tearDown() {
    if (k8s != null) {
      k8s.close();
    }
  }

  @Test
  void aVersionChangeWaitsForTheWindowAndOtherChangesDoNot() throws Exception {
    MovableClock clock = new MovableClock(Instant.parse("2026-11-30T12:00:00Z")); // a Monday
    k8s = OperatorHarness.withExampleConfig(api);
    k8s.startOperator(false, null, clock);
    createWithWindow("Sat:01:00-02:00");
    k8s.runPods(CLUSTER);
    k8s.awaitStatus(CLUSTER, "Running");

    k8s.editSpec(
        CLUSTER,
        spec -> {
          spec.postgresql.version = "16";
          spec.resources =
              dev.cornac.api.model.ManifestMapper.convert(
                  Map.of(
                      "requests",
                      Map.of("cpu", "250m", "memory", "250Mi"),
                      "limits",
                      Map.of("cpu", "500m", "memory", "500Mi")),
                  dev.cornac.api.model.Resources.class);
        });
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              StatefulSet sts = sts();
              assertThat(
                      sts.getSpec()
                          .getTemplate()
                          .getSpec()
                          .getContainers()
                          .get(0)
                          .getResources()
                          .getRequests()
                          .get("cpu")
                          .toString())
                  .as("other changes apply at once")
                  .isEqualTo("250m");
              assertThat(pgVersion(sts)).as("the version waits").isEqualTo("15");
              assertThat(reconciledMessage())
                  .contains(
                      "PostgreSQL 16 waits for a maintenance window (Sat:01:00-02:00); "
                          + "running 15 until then");
            });

    clock.set(Instant.parse("2026-12-05T01:30:00Z")); // Saturday, inside the window
    k8s.annotate(CLUSTER, "cornac.dev/sync", "window-open");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(pgVersion(sts())).isEqualTo("16");
              assertThat(
                      k8s.client()
                          .pods()
                          .inNamespace(NS)
                          .withLabel("cluster-name", CLUSTER)
                          .list()
                          .getItems())
                  .hasSize(2)
                  .allMatch(RollingUpdateMark::isMarked);
              assertThat(reconciledMessage()).doesNotContain("waits for a maintenance window");
            });
  }

  @Test
  void heldWorkIsTakenUpWhenTheWindowOpensWithoutWaitingForTheResync() throws Exception {
    // A clock that ticks, 30 s before a window opens (the resync period is 30 min: it would come
    // far too late).
    java.time.Clock clock =
        java.time.Clock.offset(
            java.time.Clock.systemUTC(),
            Duration.between(Instant.now(), Instant.parse("2026-11-30T12:00:30Z")));
    k8s = OperatorHarness.withExampleConfig(api);
    k8s.startOperator(false, null, clock);
    createWithWindow("Mon:12:01-12:30");
    k8s.runPods(CLUSTER);
    k8s.awaitStatus(CLUSTER, "Running");
    k8s.editSpec(CLUSTER, spec -> spec.postgresql.version = "16");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(reconciledMessage())
                    .contains("PostgreSQL 16 waits for a maintenance window"));
    assertThat(clock.instant())
        .as("still before the window")
        .isBefore(Instant.parse("2026-11-30T12:01:00Z"));

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(pgVersion(sts())).isEqualTo("16"));
    assertThat(clock.instant()).isAfter(Instant.parse("2026-11-30T12:01:00Z"));
  }

  /** Two instances of PostgreSQL 15 with one maintenance window, pods running. */
  private void createWithWindow(String window) throws Exception {
    k8s.create(
        """
        apiVersion: acid.zalan.do/v1
        kind: postgresql
        metadata: {name: acid-windowed}
        spec:
          teamId: acid
          numberOfInstances: 2
          volume: {size: 1Gi}
          postgresql: {version: "15"}
          maintenanceWindows: ["%s"]
        """
            .formatted(window));
  }

  private StatefulSet sts() {
    return k8s.client().apps().statefulSets().inNamespace(NS).withName(CLUSTER).get();
  }

  private static String pgVersion(StatefulSet sts) {
    return sts.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getName().equals("PGVERSION"))
        .map(EnvVar::getValue)
        .findFirst()
        .orElse(null);
  }

  private String reconciledMessage() {
    var status = k8s.get(CLUSTER).getStatus();
    return status == null || status.conditions == null
        ? ""
        : status.conditions.stream()
            .filter(c -> "Reconciled".equals(c.getType()))
            .map(c -> c.getMessage())
            .findFirst()
            .orElse("");
  }
}
