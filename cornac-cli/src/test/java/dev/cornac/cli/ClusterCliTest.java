package dev.cornac.cli;

import static dev.cornac.operator.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cornac.operator.Closeables;
import dev.cornac.operator.OperatorHarness;
import dev.cornac.operator.PatroniPods;
import dev.cornac.testkit.LocalPatroniCluster;
import dev.cornac.testkit.StrictApiServer;
import dev.cornac.testkit.WithStrictApiServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cornac status} and {@code cornac switchover} against a cluster, through a DBA's
 * kubeconfig: the strict API server with the operator running and a real two-member Patroni cluster
 * behind the pods.
 */
@WithStrictApiServer
class ClusterCliTest {
  StrictApiServer api;
  OperatorHarness k8s;
  LocalPatroniCluster patroni;
  PatroniPods pods;
  @TempDir Path dir;

  static final String CLUSTER = "acid-cli";

  @AfterEach
  void tearDown() throws Exception {
    Closeables.closeAll(k8s, pods, patroni);
  }

  private Path kubeconfig() throws Exception {
    return TestKubeconfig.forDba(api, dir, NS);
  }

  @Test
  void statusShowsTheClusterAndSwitchoverGoesThroughTheOperator() throws Exception {
    patroni =
        LocalPatroniCluster.start("cornac-cli-cluster", List.of(CLUSTER + "-0", CLUSTER + "-1"));
    k8s = OperatorHarness.withExampleConfig(api);
    String superPassword = LocalPatroniCluster.SUPERUSER_PASSWORD;
    k8s.superuserSecret(CLUSTER, superPassword);
    pods = new PatroniPods(k8s.client(), CLUSTER, patroni);
    k8s.startOperator(false, pods.endpoints());
    k8s.create(
        """
        apiVersion: acid.zalan.do/v1
        kind: postgresql
        metadata: {name: acid-cli}
        spec: {teamId: acid, numberOfInstances: 2, volume: {size: 1Gi}, postgresql: {version: "15"}}
        """);
    pods.start();
    api.forwardTo(
        (pod, port) ->
            port == 5432
                ? patroni.member(pod).pgPort()
                : port == 8008 ? patroni.member(pod).restPort() : -1);
    k8s.awaitStatus(CLUSTER, "Running");
    String config = kubeconfig().toString();
    String leader = patroni.leader().name();

    CliRunner.Result status = CliRunner.run("status", CLUSTER, "--kubeconfig", config);
    assertThat(status.exit()).as(status.err()).isZero();
    assertThat(status.out())
        .contains(
            CLUSTER + " (default): Running, PostgreSQL 15, 2 instance(s)",
            "Ready: True",
            leader + "  master",
            "postgres." + CLUSTER + ".credentials.postgresql.acid.zalan.do",
            "services: " + CLUSTER);
    assertThat(status.out())
        .as("no secret content")
        .doesNotContain(superPassword)
        .doesNotContain(b64(superPassword));
    assertThat(status.out())
        .as("Patroni's view through a port-forward")
        .containsPattern(leader + " +master +running +1 +- ")
        .containsPattern("replica +(running|streaming) +1 +0 B ")
        .contains("last operator action: ");
    assertThat(api.forwardedConnections()).isPositive();

    CliRunner.Result onPrimary =
        CliRunner.run(
            "psql",
            CLUSTER,
            "--kubeconfig",
            config,
            "--",
            "-Atc",
            "select pg_is_in_recovery(), current_user");
    assertThat(onPrimary.exit()).as(onPrimary.err()).isZero();
    assertThat(onPrimary.out().trim()).isEqualTo("f|postgres");
    assertThat(onPrimary.err())
        .contains("connecting to " + leader + " (primary) as postgres through a port-forward");
    CliRunner.Result onReplica =
        CliRunner.run(
            "psql",
            CLUSTER,
            "--kubeconfig",
            config,
            "--replica",
            "--",
            "-Atc",
            "select pg_is_in_recovery()");
    assertThat(onReplica.exit()).as(onReplica.err()).isZero();
    assertThat(onReplica.out().trim()).isEqualTo("t");
    CliRunner.Result unknownRole =
        CliRunner.run("psql", CLUSTER, "--kubeconfig", config, "-U", "nobody");
    assertThat(unknownRole.exit()).isEqualTo(2);
    assertThat(unknownRole.err())
        .contains(
            "no credentials secret for role nobody in " + CLUSTER, "postgres", "choose with -U")
        .doesNotContain(superPassword);

    CliRunner.Result switched =
        CliRunner.run("switchover", CLUSTER, "--kubeconfig", config, "-n", NS);
    assertThat(switched.exit()).as(switched.err()).isZero();
    String other = leader.equals(CLUSTER + "-0") ? CLUSTER + "-1" : CLUSTER + "-0";
    assertThat(switched.out()).contains("switched over from " + leader + " to " + other);
    assertThat(patroni.leader().name()).isEqualTo(other);

    CliRunner.Result again = CliRunner.run("switchover", CLUSTER, "--kubeconfig", config);
    assertThat(again.exit()).as("the same command twice is two requests: " + again.err()).isZero();
    assertThat(again.out()).contains("switched over from " + other + " to " + leader);
    assertThat(asked(again)).isNotEqualTo(asked(switched));

    // Right after a switchover the old primary is still restarting as a replica: wait until both
    // answer.
    String startedBefore =
        await()
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptions()
            .until(this::startTimes, t -> t != null);
    CliRunner.Result restarted = CliRunner.run("restart", CLUSTER, "--kubeconfig", config);
    assertThat(restarted.exit()).as(restarted.err()).isZero();
    assertThat(restarted.out())
        .contains("restarted PostgreSQL on " + other + ", " + leader + " (replicas first)");
    String startedAfter = startTimes();
    assertThat(startedAfter.split(","))
        .hasSize(2)
        .doesNotContainAnyElementsOf(List.of(startedBefore.split(",")));
    assertThat(patroni.leader().name()).as("in place: no switchover").isEqualTo(leader);

    CliRunner.Result wrong =
        CliRunner.run("switchover", CLUSTER, "--kubeconfig", config, "--to", CLUSTER + "-9");
    assertThat(wrong.exit()).isEqualTo(2);
    assertThat(wrong.err()).contains("no member " + CLUSTER + "-9");
    CliRunner.Result right =
        CliRunner.run("switchover", CLUSTER, "--kubeconfig", config, "--to", leader);
    assertThat(right.exit()).as("asked right after the first: a request of its own").isEqualTo(2);
    assertThat(right.err())
        .as("its own outcome, not the previous one")
        .contains(leader + " is already the primary")
        .doesNotContain("no member");
    assertThat(asked(right)).isNotEqualTo(asked(wrong));
    assertThat(k8s.get(CLUSTER).getStatus().conditions)
        .filteredOn(c -> c.getType().equals("Switchover"))
        .singleElement()
        .satisfies(c -> assertThat(c.getMessage()).startsWith("\"" + asked(right) + "\": "));

    CliRunner.Result missing = CliRunner.run("status", "acid-nope", "--kubeconfig", config);
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err())
        .contains("there is no postgresql acid-nope in namespace default", "-n");
  }

  /** The annotation value a switchover command set: the request's identity. */
  private static String asked(CliRunner.Result r) {
    Matcher m = Pattern.compile("cornac.dev/switchover=\"([^\"]+)\"").matcher(r.err());
    assertThat(m.find()).as(r.err()).isTrue();
    return m.group(1);
  }

  /** Each member's postmaster start time: a restart changes it. */
  private String startTimes() throws Exception {
    List<String> times = new ArrayList<>();
    for (LocalPatroniCluster.Member m : patroni.members()) {
      times.add(patroni.queryOne(m, "postgres", "select pg_postmaster_start_time()::text"));
    }
    return String.join(",", times);
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
