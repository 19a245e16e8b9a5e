package dev.cornac.operator;

import static dev.cornac.operator.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cornac.api.crd.CrdManifests;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.api.model.OperatorConfiguration;
import dev.cornac.generators.plan.RollingUpdateMark;
import dev.cornac.operator.activity.ReconcileActivity;
import dev.cornac.operator.config.ConfigurationWatch;
import dev.cornac.operator.rolling.RollingUpdateSlots;
import dev.cornac.testkit.SimulatedPatroniFleet;
import dev.cornac.testkit.StrictApiServer;
import dev.cornac.testkit.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The seed's minor upgrade the GitOps way: the {@code postgres-operator} ConfigMap's {@code
 * docker_image} is patched and synced, and the running operator applies it without a restart —
 * every cluster rolls to the new image, each with one switchover; a change that does not validate
 * is refused and the running configuration stays.
 */
@WithStrictApiServer
class LiveConfigurationTest {
  static final String OLD_IMAGE = "ghcr.io/zalando/spilo-15:2.1-p9";
  static final String NEW_IMAGE = "ghcr.io/zalando/spilo-15:3.0-p1";
  static final List<String> CLUSTERS = List.of("acid-live-0", "acid-live-1", "acid-live-2");

  StrictApiServer api;
  OperatorHarness k8s;
  SimulatedPatroniFleet fleet;
  KubernetesClient asOperator;
  LiveOperator live;

  @AfterEach
  void tearDown() throws Exception {
    Closeables.closeAll(live, asOperator, k8s, fleet);
  }

  @Test
  void aPatchedDockerImageRollsEveryClusterWithoutARestartAndABadValueIsRefused() throws Exception {
    start(Map.of());
    createRunning(CLUSTERS);
    CornacOperator first = live.current();

    // kubectl patch --local -f configmap.yaml -p '{"data":{"docker_image":"…spilo-15:3.0-p1"}}',
    // then Argo CD syncs.
    configMapPatch("{\"data\":{\"docker_image\":\"" + NEW_IMAGE + "\"}}");
    String revision =
        k8s.client()
            .configMaps()
            .inNamespace(NS)
            .withName("postgres-operator")
            .get()
            .getMetadata()
            .getResourceVersion();
    for (String c : CLUSTERS) {
      await()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () -> {
                assertThat(
                        k8s.client()
                            .pods()
                            .inNamespace(NS)
                            .withLabel("cluster-name", c)
                            .list()
                            .getItems())
                    .hasSize(2)
                    .allSatisfy(
                        p -> {
                          assertThat(p.getSpec().getContainers().get(0).getImage())
                              .isEqualTo(NEW_IMAGE);
                          assertThat(RollingUpdateMark.isMarked(p)).isFalse();
                        });
                assertThat(k8s.status(c)).isEqualTo("Running");
              });
      assertThat(fleet.switchovers(c)).as("switchovers of %s", c).isEqualTo(1);
      assertThat(fleet.failovers(c)).as("failovers of %s", c).isZero();
    }
    assertThat(live.current())
        .as("the operator was rebuilt on the new revision")
        .isNotSameAs(first);
    JsonNode controller = config().path("controller");
    assertThat(controller.path("ConfigRevision").asText()).isEqualTo(revision);
    assertThat(controller.path("ConfigChangesApplied").asLong()).isEqualTo(1);
    assertThat(config().path("operator").path("docker_image").asText()).isEqualTo(NEW_IMAGE);
    assertThat(metrics())
        .contains("cornac_operator_configuration_changes_total{outcome=\"applied\"} 1.0")
        .contains("cornac_operator_configuration_info{revision=\"" + revision + "\"} 1");

    // A value that does not validate: refused as a whole, said in the log, an Event and /config/;
    // nothing changes.
    CornacOperator running = live.current();
    configMapPatch(
        "{\"data\":{\"workers\":\"0\",\"docker_image\":\"ghcr.io/zalando/spilo-15:9.9\"}}");
    Event refused =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    k8s.client().v1().events().inNamespace(NS).list().getItems().stream()
                        .filter(e -> ConfigurationWatch.REFUSED.equals(e.getReason()))
                        .findFirst(),
                Optional::isPresent)
            .orElseThrow();
    assertThat(refused.getType()).isEqualTo("Warning");
    assertThat(refused.getInvolvedObject().getKind()).isEqualTo("ConfigMap");
    assertThat(refused.getInvolvedObject().getName()).isEqualTo("postgres-operator");
    assertThat(refused.getMessage())
        .contains("workers must be greater than 0", "revision " + revision + ") stays");
    assertThat(live.current()).isSameAs(running);
    assertThat(live.configuration().refused()).isEqualTo(1);
    controller = config().path("controller");
    assertThat(controller.path("ConfigRevision").asText()).isEqualTo(revision);
    assertThat(controller.path("ConfigLastRefused").path("Reason").asText()).contains("workers");
    assertThat(config().path("operator").path("docker_image").asText()).isEqualTo(NEW_IMAGE);
    for (String c : CLUSTERS) {
      assertThat(
              k8s.client()
                  .apps()
                  .statefulSets()
                  .inNamespace(NS)
                  .withName(c)
                  .get()
                  .getSpec()
                  .getTemplate()
                  .getSpec()
                  .getContainers()
                  .get(0)
                  .getImage())
          .isEqualTo(NEW_IMAGE);
    }
  }

  @Test
  void theRolloutGoesCanaryFirstAFailedRollPausesItAndAnAnnotationResumesIt() throws Exception {
    start(Map.of("rolling_update_canary_clusters", "1", "pod_label_wait_timeout", "3s"));
    List<String> clusters =
        List.of("acid-canary-0", "acid-canary-1", "acid-canary-2", "acid-canary-3");
    createRunning(clusters);
    clusters.forEach(fleet::stall);

    configMapPatch("{\"data\":{\"docker_image\":\"" + NEW_IMAGE + "\"}}");
    // One cluster rolls alone (its pod does not come back); the others wait for it, and say so.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                clusters.stream()
                        .filter(c -> reconciledMessage(c).contains("the canary must finish first"))
                        .count()
                    == clusters.size() - 1);
    List<String> rolled = clusters.stream().filter(c -> !fleet.deletions(c).isEmpty()).toList();
    assertThat(rolled).hasSize(1);
    String canary = rolled.get(0);
    List<String> others = clusters.stream().filter(c -> !c.equals(canary)).toList();

    // Its roll does not move for pod_label_wait_timeout: the rollout pauses, visibly.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> status().path("RollingUpdates").path("Phase").asText(), "PAUSED"::equals);
    JsonNode rolling = status().path("RollingUpdates");
    assertThat(rolling.path("PausedBy").asText()).isEqualTo(NS + "/" + canary);
    assertThat(rolling.path("ClustersToRoll").asLong()).isEqualTo(clusters.size());
    assertThat(metrics()).contains("cornac_rolling_updates_paused 1");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                events(canary).stream()
                    .anyMatch(
                        e ->
                            e.getMessage()
                                .startsWith("rolling updates of other clusters are paused")));

    // The canary comes back and finishes; the others stay paused until someone says so.
    clusters.forEach(fleet::unstall);
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertRolled(canary));
    for (String c : others) {
      afterNextPass(c, () -> k8s.annotate(c, "cornac.dev/test-touch", "paused"));
      assertThat(reconciledMessage(c))
          .contains("rolling updates are paused since the roll of " + NS + "/" + canary);
      assertThat(fleet.deletions(c)).as("no roll of %s starts while paused", c).isEmpty();
    }

    // kubectl annotate configmap postgres-operator cornac.dev/resume-rolling-updates=1
    k8s.client()
        .configMaps()
        .inNamespace(NS)
        .withName("postgres-operator")
        .edit(
            cm -> {
              Map<String, String> annotations =
                  new HashMap<>(
                      cm.getMetadata().getAnnotations() == null
                          ? Map.of()
                          : cm.getMetadata().getAnnotations());
              annotations.put(RollingUpdateSlots.RESUME_ANNOTATION, "1");
              cm.getMetadata().setAnnotations(annotations);
              return cm;
            });
    for (String c : clusters) {
      await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertRolled(c));
      assertThat(fleet.switchovers(c)).as("switchovers of %s", c).isEqualTo(1);
      assertThat(fleet.failovers(c)).as("failovers of %s", c).isZero();
    }
    assertThat(status().path("RollingUpdates").path("Phase").asText()).isEqualTo("ROLLING");
    assertThat(status().path("RollingUpdates").path("ClustersToRoll").asLong()).isZero();
    assertThat(status().path("RollingUpdates").path("ClustersUpToDate").asLong())
        .isEqualTo(clusters.size());
  }

  @Test
  void aClusterWhoseWindowIsClosedRollsForTheConfigurationInItsWindowButForItsOwnChangeAtOnce()
      throws Exception {
    start(Map.of("rolling_update_canary_clusters", "0"));
    // Two hours ahead, never crossing midnight.
    int from = LocalTime.now(ZoneOffset.UTC).plusHours(2).getHour();
    String window =
        String.format(
            "%02d:00-%s", from, from == 23 ? "23:59" : String.format("%02d:00", from + 1));
    k8s.create(
        """
        apiVersion: acid.zalan.do/v1
        kind: postgresql
        metadata: {name: acid-windowed}
        spec: {teamId: acid, numberOfInstances: 2, volume: {size: 1Gi}, postgresql: {version: "15"},
               maintenanceWindows: ["%s"]}
        """
            .formatted(window));
    createRunning(List.of("acid-free"));
    k8s.awaitStatus("acid-windowed", "Running");

    configMapPatch("{\"data\":{\"docker_image\":\"" + NEW_IMAGE + "\"}}");
    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertRolled("acid-free"));
    afterNextPass(
        "acid-windowed", () -> k8s.annotate("acid-windowed", "cornac.dev/test-touch", "1"));
    assertThat(reconciledMessage("acid-windowed"))
        .contains("waits for the cluster's maintenance window");
    assertThat(k8s.status("acid-windowed")).isEqualTo("Updating");
    assertThat(fleet.deletions("acid-windowed")).isEmpty();

    // A change of its own spec is the user's: it rolls at once, as upstream.
    String pinned = "ghcr.io/zalando/spilo-15:3.0-p2";
    k8s.editSpec("acid-windowed", spec -> spec.dockerImage = pinned);
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(() -> assertRolled("acid-windowed", pinned));
    assertThat(fleet.switchovers("acid-windowed")).isEqualTo(1);
  }

  @Test
  void aChangedOperatorConfigurationIsAppliedLive() throws Exception {
    k8s = new OperatorHarness(api);
    k8s.client()
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .resource(
            ManifestMapper.convert(
                CrdManifests.finished(CrdManifests.OPERATOR_CONFIGURATION),
                CustomResourceDefinition.class))
        .create();
    OperatorConfiguration shipped =
        ManifestMapper.yaml()
            .readValue(
                Files.readString(
                    OperatorHarness.repoRoot()
                        .resolve("manifests/postgresql-operator-default-configuration.yaml")),
                OperatorConfiguration.class);
    shipped.getMetadata().setNamespace(NS);
    shipped.getConfiguration().put("docker_image", OLD_IMAGE);
    k8s.client().resource(shipped).create();
    asOperator = k8s.operatorClient();
    live =
        new LiveOperator(
            asOperator,
            new CornacOperator.Options(
                OperatorHarness.environment(
                    Optional.empty(), Optional.of(shipped.getMetadata().getName()), false),
                "127.0.0.1",
                0,
                Duration.ofSeconds(5),
                Clock.systemUTC(),
                () -> {},
                null));
    live.start();
    k8s.create(ClusterLifecycleTest.MINIMAL);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> image("acid-minimal-cluster"), OLD_IMAGE::equals);

    k8s.client()
        .resources(OperatorConfiguration.class)
        .inNamespace(NS)
        .withName(shipped.getMetadata().getName())
        .edit(
            oc -> {
              oc.getConfiguration().put("docker_image", NEW_IMAGE);
              return oc;
            });
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> image("acid-minimal-cluster"), NEW_IMAGE::equals);
    assertThat(live.configuration().applied()).isEqualTo(1);
    assertThat(config().path("operator").path("docker_image").asText()).isEqualTo(NEW_IMAGE);
  }

  private void start(Map<String, String> settings) throws Exception {
    k8s = new OperatorHarness(api);
    Map<String, String> all =
        new HashMap<>(
            Map.of(
                "watched_namespace",
                NS,
                "enable_database_access",
                "false",
                "docker_image",
                OLD_IMAGE));
    all.putAll(settings);
    k8s.configMap("manifests/configmap.yaml", all);
    fleet =
        SimulatedPatroniFleet.start(
            k8s.client(), SimulatedPatroniFleet.Options.of(NS, 0, Duration.ofMillis(200)));
    asOperator = k8s.operatorClient();
    live =
        new LiveOperator(
            asOperator,
            new CornacOperator.Options(
                OperatorHarness.environment(
                    Optional.of("postgres-operator"), Optional.empty(), false),
                "127.0.0.1",
                0,
                Duration.ofSeconds(5),
                Clock.systemUTC(),
                () -> {},
                OperatorHarness.fleetEndpoints(fleet)));
    live.start();
  }

  private void createRunning(List<String> clusters) throws Exception {
    for (String c : clusters) {
      k8s.create(
          """
          apiVersion: acid.zalan.do/v1
          kind: postgresql
          metadata: {name: %s}
          spec: {teamId: acid, numberOfInstances: 2, volume: {size: 1Gi}, postgresql: {version: "15"}}
          """
              .formatted(c));
    }
    for (String c : clusters) {
      k8s.awaitStatus(c, "Running");
      assertThat(images(c)).containsOnly(OLD_IMAGE);
    }
  }

  private void assertRolled(String cluster) {
    assertRolled(cluster, NEW_IMAGE);
  }

  private void assertRolled(String cluster, String image) {
    assertThat(
            k8s.client()
                .pods()
                .inNamespace(NS)
                .withLabel("cluster-name", cluster)
                .list()
                .getItems())
        .hasSize(2)
        .allSatisfy(
            p -> {
              assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo(image);
              assertThat(RollingUpdateMark.isMarked(p)).isFalse();
            });
    assertThat(k8s.status(cluster)).isEqualTo("Running");
  }

  /** A change, then the whole pass it causes in the running operator. */
  private void afterNextPass(String cluster, Runnable change) {
    ReconcileActivity.Key key = new ReconcileActivity.Key(NS, cluster);
    ReconcileActivity activity = live.current().activity();
    long target = activity.passes(key)[0] + 1;
    change.run();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> activity.passes(key)[1] >= target);
  }

  private String reconciledMessage(String cluster) {
    var status = k8s.get(cluster).getStatus();
    return status == null || status.conditions == null
        ? ""
        : status.conditions.stream()
            .filter(c -> "Reconciled".equals(c.getType()))
            .findFirst()
            .map(c -> c.getMessage())
            .orElse("");
  }

  private List<Event> events(String cluster) {
    return k8s.client().v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> cluster.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  private JsonNode status() throws Exception {
    return ManifestMapper.json().readTree(get("/status/"));
  }

  private String image(String cluster) {
    var sts = k8s.client().apps().statefulSets().inNamespace(NS).withName(cluster).get();
    return sts == null
        ? null
        : sts.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  private void configMapPatch(String patch) {
    k8s.client()
        .configMaps()
        .inNamespace(NS)
        .withName("postgres-operator")
        .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
  }

  private List<String> images(String cluster) {
    return k8s
        .client()
        .pods()
        .inNamespace(NS)
        .withLabel("cluster-name", cluster)
        .list()
        .getItems()
        .stream()
        .map(Pod::getSpec)
        .map(s -> s.getContainers().get(0).getImage())
        .toList();
  }

  private JsonNode config() throws Exception {
    return ManifestMapper.json().readTree(get("/config/"));
  }

  private String metrics() throws Exception {
    return get("/metrics");
  }

  private String get(String path) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + live.current().httpPort() + path))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }
}
