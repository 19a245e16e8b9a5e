package dev.cornac.cli;

import static dev.cornac.operator.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cornac.dataplane.patroni.PatroniClient;
import dev.cornac.generators.plan.RollingUpdateMark;
import dev.cornac.operator.OperatorHarness;
import dev.cornac.operator.PatroniPods;
import dev.cornac.testkit.Identity;
import dev.cornac.testkit.LocalPatroniCluster;
import dev.cornac.testkit.StrictApiServer;
import dev.cornac.testkit.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator as a real process ({@code cornac operator}, developer mode: kubeconfig and
 * port-forwards) SIGKILLed in the middle of a rolling update, right after it recreated the replica;
 * a new process resumes from the pods' marks and finishes the roll with one switchover, each pod
 * recreated once, no row lost.
 */
@WithStrictApiServer
class OperatorKilledMidRollTest {
  static final String CLUSTER = "acid-kill";
  static final String IMAGE = "ghcr.io/zalando/spilo-17:4.0-p3";

  @TempDir Path dir;
  StrictApiServer api;
  OperatorHarness k8s;
  LocalPatroniCluster patroni;
  PatroniPods pods;
  OperatorProcesses operators;

  @AfterEach
  void tearDown() throws Exception {
    if (operators != null) {
      operators.close();
    }
    if (pods != null) {
      pods.close();
    }
    if (patroni != null) {
      patroni.close();
    }
    if (k8s != null) {
      k8s.close();
    }
  }

  @Test
  void aKilledOperatorsRollIsFinishedByTheNextOne() throws Exception {
    patroni =
        LocalPatroniCluster.start("cornac-killed-roll", List.of(CLUSTER + "-0", CLUSTER + "-1"));
    api.forwardTo(
        (pod, port) ->
            port == 5432
                ? patroni.member(pod).pgPort()
                : port == 8008 ? patroni.member(pod).restPort() : -1);
    k8s = new OperatorHarness(api);
    k8s.configMap(
        "manifests/configmap.yaml",
        Map.of("watched_namespace", NS, "api_port", Integer.toString(freePort())));
    k8s.superuserSecret(CLUSTER, LocalPatroniCluster.SUPERUSER_PASSWORD);
    Path kubeconfig = developerKubeconfig();
    pods = new PatroniPods(k8s.client(), CLUSTER, patroni);

    operators = new OperatorProcesses(dir);
    Process first = startOperator(kubeconfig, "first");
    k8s.create(
        """
        apiVersion: acid.zalan.do/v1
        kind: postgresql
        metadata: {name: acid-kill}
        spec: {teamId: acid, numberOfInstances: 2, volume: {size: 1Gi}, postgresql: {version: "15"}}
        """);
    pods.start();
    await().atMost(Duration.ofSeconds(60)).until(() -> "Running".equals(k8s.status(CLUSTER)));
    String leader = patroni.leader().name();
    String replica = leader.equals(CLUSTER + "-0") ? CLUSTER + "-1" : CLUSTER + "-0";
    try (var c = patroni.connect(patroni.leader());
        var s = c.createStatement()) {
      s.execute("create table kept as select generate_series(1, 1000) as x");
    }
    int timelines = patroni.leader().client(PatroniClient::of).history().size();

    k8s.editSpec(CLUSTER, spec -> spec.dockerImage = IMAGE);
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> pods.deletions().size() == 1);
    first.destroyForcibly().waitFor();
    assertThat(pods.deletions())
        .as("killed right after the replica's pod was deleted")
        .containsExactly(replica);
    assertThat(patroni.leader().name()).as("killed before the switchover").isEqualTo(leader);
    assertThat(pod(leader).map(RollingUpdateMark::isMarked))
        .as("the primary's mark outlives the process")
        .contains(true);

    startOperator(kubeconfig, "second");
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              assertThat(pods.deletions())
                  .as("each pod recreated once")
                  .containsExactly(replica, leader);
              assertThat(clusterPods())
                  .hasSize(2)
                  .allSatisfy(
                      p -> {
                        assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo(IMAGE);
                        assertThat(RollingUpdateMark.isMarked(p)).isFalse();
                      });
              assertThat(events()).anyMatch(m -> m.startsWith("Rolling update done"));
            });
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(patroni.leader().name()).isEqualTo(replica);
              assertThat(patroni.leader().client(PatroniClient::of).history())
                  .as("exactly one switchover")
                  .hasSize(timelines + 1);
            });
    assertThat(patroni.queryOne(patroni.leader(), "postgres", "select count(*) from kept"))
        .isEqualTo("1000");
    for (String name : List.of("first", "second")) {
      assertThat(operators.logText(name))
          .as("no password in the operator's log")
          .doesNotContain(LocalPatroniCluster.SUPERUSER_PASSWORD);
    }
  }

  /**
   * Developer mode runs as the developer, not as the operator's ServiceAccount: someone holding the
   * operator's role and the CLI user's (port-forwards to the members).
   */
  private Path developerKubeconfig() throws IOException {
    api.apply(OperatorHarness.repoRoot().resolve("manifests/cli-user-rbac.yaml"), NS);
    for (String role : List.of("postgres-operator", "postgres-cluster-user")) {
      api.adminClient()
          .rbac()
          .clusterRoleBindings()
          .resource(
              new ClusterRoleBindingBuilder()
                  .withNewMetadata()
                  .withName("developer-" + role)
                  .endMetadata()
                  .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", role)
                  .addNewSubject()
                  .withKind("User")
                  .withApiGroup("rbac.authorization.k8s.io")
                  .withName("developer")
                  .endSubject()
                  .build())
          .create();
    }
    return api.kubeconfig(dir.resolve("kubeconfig-developer"), Identity.user("developer"), NS);
  }

  private Process startOperator(Path kubeconfig, String name) throws IOException {
    // A killed leader's lease would hold its successor back for the lease duration; one process at
    // a time here.
    return operators.start(
        name,
        kubeconfig,
        NS,
        Map.of("CORNAC_LEADER_ELECTION", "false"),
        "--member-access",
        "port-forward",
        "--listen",
        "127.0.0.1");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private java.util.Optional<Pod> pod(String name) {
    return java.util.Optional.ofNullable(k8s.client().pods().inNamespace(NS).withName(name).get());
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
