package dev.cornac.operator;

import static dev.cornac.operator.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cornac.api.model.Postgresql;
import dev.cornac.generators.plan.RollingUpdateMark;
import dev.cornac.operator.switchover.DeclarativeRestart;
import dev.cornac.testkit.SimulatedPatroniFleet;
import dev.cornac.testkit.StrictApiServer;
import dev.cornac.testkit.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A fleet-wide change (the seed's minor upgrade: a new Spilo image for every cluster) with
 * simulated pods that answer Patroni's REST API: rolls hold no worker, so a new cluster is served
 * while others roll; at most {@code max_concurrent_rolling_updates} clusters have a pod down at
 * once; each cluster switches over exactly once.
 */
@WithStrictApiServer
class FleetRollingUpdateTest {
  static final String NEW_IMAGE = "ghcr.io/zalando/spilo-17:4.0-p3";

  StrictApiServer api;
  OperatorHarness k8s;
  SimulatedPatroniFleet fleet;

  @AfterEach
  void tearDown() throws Exception {
    Closeables.closeAll(k8s, fleet);
  }

  @Test
  void aRollThatCannotFinishHoldsNoWorkerANewClusterIsCreatedMeanwhile() throws Exception {
    start(Map.of("workers", "1"));
    createRunning("acid-stuck");
    fleet.stall("acid-stuck");
    k8s.editSpec("acid-stuck", spec -> spec.dockerImage = NEW_IMAGE);
    await().atMost(Duration.ofSeconds(30)).until(() -> !fleet.deletions("acid-stuck").isEmpty());

    // The one worker is free between the stuck roll's passes: the new cluster's objects appear at
    // once.
    k8s.create(manifest("acid-new"));
    await().atMost(Duration.ofSeconds(15)).until(() -> statefulSet("acid-new") != null);
    k8s.awaitStatus("acid-new", "Running");
    assertThat(k8s.status("acid-stuck")).isEqualTo("Updating");
    assertThat(fleet.deletions("acid-stuck"))
        .as("the roll waits for the pod, it does not take another")
        .hasSize(1);

    fleet.unstall("acid-stuck");
    awaitRolled("acid-stuck");
    assertThat(fleet.switchovers("acid-stuck")).isEqualTo(1);
    assertThat(fleet.failovers("acid-stuck")).isZero();
  }

  @Test
  void aFleetWideImageChangeRollsEachClusterOnceWithAtMostTheBoundDownAtOnce() throws Exception {
    start(Map.of("max_concurrent_rolling_updates", "2"));
    List<String> clusters = IntStream.range(0, 5).mapToObj(i -> "acid-fleet-" + i).toList();
    for (String c : clusters) {
      createRunning(c);
    }
    for (String c : clusters) {
      k8s.editSpec(c, spec -> spec.dockerImage = NEW_IMAGE);
    }
    for (String c : clusters) {
      awaitRolled(c);
    }
    for (String c : clusters) {
      assertThat(fleet.switchovers(c)).as("switchovers of %s", c).isEqualTo(1);
      assertThat(fleet.failovers(c)).as("failovers of %s", c).isZero();
      assertThat(fleet.deletions(c))
          .as("each pod recreated once, the replica first")
          .hasSize(2)
          .doesNotHaveDuplicates();
    }
    assertThat(fleet.peakDisruptedClusters()).isBetween(1, 2);
  }

  @Test
  void aRestartAskedWhilePatroniIsBusyWaitsForItInsteadOfFailing() throws Exception {
    start(Map.of());
    createRunning("acid-restart");
    // Right after a switchover Patroni refuses a restart with 503 while the old primary demotes.
    fleet.busyRestarts("acid-restart", 3);
    k8s.client()
        .resources(Postgresql.class)
        .inNamespace(NS)
        .withName("acid-restart")
        .edit(
            pg -> {
              pg.getMetadata().getAnnotations().put(DeclarativeRestart.ANNOTATION, "now #busy");
              return pg;
            });
    Condition restart =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    Optional.ofNullable(k8s.get("acid-restart").getStatus().conditions)
                        .orElse(List.of())
                        .stream()
                        .filter(c -> c.getType().equals(DeclarativeRestart.CONDITION))
                        .findFirst()
                        .orElse(null),
                c -> c != null && c.getMessage().contains("now #busy"));
    assertThat(restart.getStatus()).as(restart.getMessage()).isEqualTo("True");
    assertThat(restart.getReason()).isEqualTo("Succeeded");
    assertThat(fleet.restarts("acid-restart")).as("each member restarted once").isEqualTo(2);
  }

  private void start(Map<String, String> config) throws Exception {
    k8s = new OperatorHarness(api);
    Map<String, String> settings =
        new java.util.HashMap<>(Map.of("watched_namespace", NS, "enable_database_access", "false"));
    settings.putAll(config);
    k8s.configMap("manifests/configmap.yaml", settings);
    fleet =
        SimulatedPatroniFleet.start(
            k8s.client(), SimulatedPatroniFleet.Options.of(NS, 0, Duration.ofMillis(300)));
    k8s.startOperator(false, OperatorHarness.fleetEndpoints(fleet));
  }

  private void createRunning(String name) throws Exception {
    k8s.create(manifest(name));
    k8s.awaitStatus(name, "Running");
  }

  private static String manifest(String name) {
    return """
        apiVersion: acid.zalan.do/v1
        kind: postgresql
        metadata: {name: %s}
        spec: {teamId: acid, numberOfInstances: 2, volume: {size: 1Gi}, postgresql: {version: "15"}}
        """
        .formatted(name);
  }

  private StatefulSet statefulSet(String name) {
    return k8s.client().apps().statefulSets().inNamespace(NS).withName(name).get();
  }

  private void awaitRolled(String cluster) {
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              List<Pod> pods =
                  k8s.client()
                      .pods()
                      .inNamespace(NS)
                      .withLabel("cluster-name", cluster)
                      .list()
                      .getItems();
              assertThat(pods)
                  .hasSize(2)
                  .allSatisfy(
                      p -> {
                        assertThat(p.getSpec().getContainers().get(0).getImage())
                            .isEqualTo(NEW_IMAGE);
                        assertThat(RollingUpdateMark.isMarked(p)).isFalse();
                      });
              assertThat(k8s.status(cluster)).isEqualTo("Running");
            });
  }
}
