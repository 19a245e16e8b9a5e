package dev.cornac.operator;

import static dev.cornac.operator.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cornac.dataplane.patroni.PatroniClient;
import dev.cornac.dataplane.patroni.PatroniRole;
import dev.cornac.generators.plan.RollingUpdateMark;
import dev.cornac.testkit.LocalPatroniCluster;
import dev.cornac.testkit.StrictApiServer;
import dev.cornac.testkit.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The seed's minor upgrade: an image bump in the manifest rolls the cluster's pods — on the mock
 * API server, with a real two-member Patroni cluster behind the pods — replica first, one
 * switchover, then the old primary, with no data lost; and a roll left half-done (only the primary
 * still marked) resumes from the marks.
 */
@WithStrictApiServer
class RollingUpdateOnPodsTest {
  StrictApiServer api;
  OperatorHarness k8s;
  LocalPatroniCluster patroni;
  PatroniPods pods;

  static final String CLUSTER = "acid-roll";
  static final String MANIFEST =
      """
      apiVersion: acid.zalan.do/v1
      kind: postgresql
      metadata: {name: acid-roll}
      spec:
        teamId: acid
        numberOfInstances: 2
        volume: {size: 1Gi}
        postgresql: {version: "15"}
      """;

  @AfterEach
  void tearDown() throws Exception {
    Closeables.closeAll(k8s, pods, patroni);
  }

  @Test
  void anImageBumpRollsReplicaFirstWithOneSwitchoverAndAHalfDoneRollResumes() throws Exception {
    startCluster();
    String leaderBefore = patroni.leader().name();
    String replicaBefore = leaderBefore.equals(CLUSTER + "-0") ? CLUSTER + "-1" : CLUSTER + "-0";
    try (var c = patroni.connect(patroni.leader());
        var s = c.createStatement()) {
      s.execute("create table kept(x int); insert into kept values (42)");
    }
    int timelinesBefore = patroni.leader().client(PatroniClient::of).history().size();

    k8s.editSpec(CLUSTER, spec -> spec.dockerImage = "ghcr.io/zalando/spilo-17:4.0-p3");

    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              assertThat(pods.deletions()).containsExactly(replicaBefore, leaderBefore);
              assertThat(clusterPods())
                  .hasSize(2)
                  .allSatisfy(
                      p -> {
                        assertThat(p.getSpec().getContainers().get(0).getImage())
                            .isEqualTo("ghcr.io/zalando/spilo-17:4.0-p3");
                        assertThat(RollingUpdateMark.isMarked(p)).isFalse();
                      });
              assertThat(events()).anyMatch(m -> m.startsWith("Rolling update done"));
            });
    assertThat(patroni.leader().name())
        .as("the replica took over by switchover")
        .isEqualTo(replicaBefore);
    // The new leader writes the timeline history into the DCS on one of its next HA loops.
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(patroni.leader().client(PatroniClient::of).history())
                    .as("exactly one switchover")
                    .hasSize(timelinesBefore + 1));
    assertThat(patroni.queryOne(patroni.leader(), "postgres", "select x from kept"))
        .isEqualTo("42");
    assertThat(events()).anyMatch(m -> m.startsWith("Performing rolling update"));

    // A roll that stopped after its replicas (say the operator was restarted): only the primary is
    // still marked.
    String leaderNow = patroni.leader().name();
    k8s.client()
        .pods()
        .inNamespace(NS)
        .withName(leaderNow)
        .edit(
            p ->
                new PodBuilder(p)
                    .editMetadata()
                    .addToAnnotations(RollingUpdateMark.ANNOTATION, "true")
                    .endMetadata()
                    .build());
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              assertThat(pods.deletions()).containsExactly(replicaBefore, leaderBefore, leaderNow);
              assertThat(clusterPods()).noneMatch(RollingUpdateMark::isMarked);
            });
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .untilAsserted(() -> assertThat(patroni.leader().name()).isNotEqualTo(leaderNow));
    assertThat(patroni.leader().client(PatroniClient::of).patroni().role())
        .isEqualTo(PatroniRole.LEADER);
  }

  @Test
  void aSwitchoverAskedByAnnotationRunsOnceAndIsReportedInStatus() throws Exception {
    startCluster();
    String leader = patroni.leader().name();
    String replica = leader.equals(CLUSTER + "-0") ? CLUSTER + "-1" : CLUSTER + "-0";
    int timelines = patroni.leader().client(PatroniClient::of).history().size();

    k8s.annotate(CLUSTER, "cornac.dev/switchover", "now");
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(switchoverCondition())
                    .isNotNull()
                    .satisfies(
                        c -> {
                          assertThat(c.getReason()).isEqualTo("Succeeded");
                          assertThat(c.getMessage())
                              .isEqualTo(
                                  "\"now\": switched over from " + leader + " to " + replica);
                        }));
    assertThat(patroni.leader().name()).isEqualTo(replica);
    // Events are sent asynchronously, after the status.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(events())
                    .contains("\"now\": switched over from " + leader + " to " + replica));
    // The new leader writes the timeline history into the DCS on one of its next HA loops.
    await()
        .atMost(Duration.ofSeconds(15))
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(patroni.leader().client(PatroniClient::of).history())
                    .hasSize(timelines + 1));
    k8s.afterNextPass(CLUSTER, () -> k8s.annotate(CLUSTER, "cornac.dev/sync", "again"));
    assertThat(patroni.leader().name()).isEqualTo(replica);
    assertThat(patroni.leader().client(PatroniClient::of).history())
        .as("the same request runs once")
        .hasSize(timelines + 1);

    k8s.annotate(CLUSTER, "cornac.dev/switchover", "next tuesday");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(switchoverCondition().getReason()).isEqualTo("Invalid"));
    assertThat(switchoverCondition().getMessage())
        .contains("cannot read \"next tuesday\"", "<pod> at <time>");

    k8s.annotate(CLUSTER, "cornac.dev/switchover", CLUSTER + "-7");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(switchoverCondition().getReason()).isEqualTo("Failed"));
    assertThat(switchoverCondition().getMessage())
        .contains("no member " + CLUSTER + "-7", "set a new value");

    String at =
        java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).plusHours(1).withNano(0).toString();
    k8s.annotate(CLUSTER, "cornac.dev/switchover", leader + " at " + at);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(switchoverCondition().getReason()).isEqualTo("Scheduled"));
    assertThat(patroni.leader().name()).as("not before its time").isEqualTo(replica);
    assertThat(httpGet(patroni.leader().client(PatroniClient::of).base() + "/cluster"))
        .contains("scheduled_switchover");
  }

  @Test
  void scalingDownMovesThePrimaryOffThePodsThatGo() throws Exception {
    startCluster();
    if (patroni.leader().name().equals(CLUSTER + "-0")) {
      patroni
          .leader()
          .client(PatroniClient::of)
          .switchover(CLUSTER + "-0", CLUSTER + "-1", java.util.Optional.empty());
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .untilAsserted(() -> assertThat(patroni.leader().name()).isEqualTo(CLUSTER + "-1"));
    }
    try (var c = patroni.connect(patroni.leader());
        var s = c.createStatement()) {
      s.execute("create table kept(x int); insert into kept values (7)");
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        k8s.client()
                            .pods()
                            .inNamespace(NS)
                            .withName(CLUSTER + "-1")
                            .get()
                            .getMetadata()
                            .getLabels())
                    .containsEntry("spilo-role", "master"));

    k8s.editSpec(CLUSTER, spec -> spec.numberOfInstances = 1);
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(pods.removed()).containsExactly(CLUSTER + "-1");
              assertThat(
                      k8s.client()
                          .apps()
                          .statefulSets()
                          .inNamespace(NS)
                          .withName(CLUSTER)
                          .get()
                          .getSpec()
                          .getReplicas())
                  .isEqualTo(1);
            });
    assertThat(patroni.leader().name()).isEqualTo(CLUSTER + "-0");
    assertThat(patroni.queryOne(patroni.leader(), "postgres", "select x from kept")).isEqualTo("7");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(events())
                    .contains(
                        "switched over from "
                            + CLUSTER
                            + "-1 to "
                            + CLUSTER
                            + "-0 before scaling down to 1 instance(s)"));
    assertThat(patroni.leader().client(PatroniClient::of).history())
        .as("one switchover for the test, one for the scale-down")
        .hasSizeLessThanOrEqualTo(2);
  }

  private void startCluster() throws Exception {
    patroni =
        LocalPatroniCluster.start("cornac-operator-roll", List.of(CLUSTER + "-0", CLUSTER + "-1"));
    k8s = OperatorHarness.withExampleConfig(api);
    k8s.superuserSecret(CLUSTER, LocalPatroniCluster.SUPERUSER_PASSWORD);
    pods = new PatroniPods(k8s.client(), CLUSTER, patroni);
    k8s.startOperator(false, pods.endpoints());
    k8s.create(MANIFEST);
    pods.start();
    k8s.awaitStatus(CLUSTER, "Running");
  }

  private io.fabric8.kubernetes.api.model.Condition switchoverCondition() {
    var status = k8s.get(CLUSTER).getStatus();
    return status == null || status.conditions == null
        ? null
        : status.conditions.stream()
            .filter(c -> "Switchover".equals(c.getType()))
            .findFirst()
            .orElse(null);
  }

  private static String httpGet(String url) throws Exception {
    return java.net.http.HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private List<Pod> clusterPods() {
    return k8s.client().pods().inNamespace(NS).withLabel("cluster-name", CLUSTER).list().getItems();
  }

  private List<String> events() {
    return k8s.client().v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> CLUSTER.equals(e.getInvolvedObject().getName()))
        .map(Event::getMessage)
        .toList();
  }
}
