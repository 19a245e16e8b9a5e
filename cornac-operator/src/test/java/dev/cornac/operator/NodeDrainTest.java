package dev.cornac.operator;

import static dev.cornac.operator.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cornac.dataplane.patroni.PatroniClient;
import dev.cornac.testkit.LocalPatroniCluster;
import dev.cornac.testkit.StrictApiServer;
import dev.cornac.testkit.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node drain with a real two-member Patroni cluster behind the pods: cordoning the primary's node
 * moves the primary to the replica on the other node by switchover; cordoning that one too moves
 * nothing back.
 */
@WithStrictApiServer
class NodeDrainTest {
  StrictApiServer api;
  OperatorHarness k8s;
  LocalPatroniCluster patroni;
  PatroniPods pods;

  static final String CLUSTER = "acid-drain";

  @AfterEach
  void tearDown() throws Exception {
    Closeables.closeAll(k8s, pods, patroni);
  }

  private void cordon(String node) {
    k8s.client()
        .nodes()
        .withName(node)
        .edit(n -> new NodeBuilder(n).editOrNewSpec().withUnschedulable(true).endSpec().build());
  }

  private List<String> events() {
    return k8s.client().v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> CLUSTER.equals(e.getInvolvedObject().getName()))
        .map(Event::getMessage)
        .toList();
  }

  @Test
  void cordoningThePrimarysNodeMovesThePrimaryToTheOtherNode() throws Exception {
    patroni =
        LocalPatroniCluster.start("cornac-operator-drain", List.of(CLUSTER + "-0", CLUSTER + "-1"));
    k8s = OperatorHarness.withExampleConfig(api);
    for (String node : List.of("node-a", "node-b")) {
      k8s.client()
          .nodes()
          .resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata().build())
          .create();
    }
    k8s.superuserSecret(CLUSTER, LocalPatroniCluster.SUPERUSER_PASSWORD);
    String leader = patroni.leader().name();
    String replica = leader.equals(CLUSTER + "-0") ? CLUSTER + "-1" : CLUSTER + "-0";
    pods = new PatroniPods(k8s.client(), CLUSTER, patroni);
    pods.placeOn(leader, "node-a");
    pods.placeOn(replica, "node-b");
    k8s.startOperator(false, pods.endpoints());
    k8s.create(
        """
        apiVersion: acid.zalan.do/v1
        kind: postgresql
        metadata: {name: acid-drain}
        spec: {teamId: acid, numberOfInstances: 2, volume: {size: 1Gi}, postgresql: {version: "15"}}
        """);
    pods.start();
    k8s.awaitStatus(CLUSTER, "Running");
    int timelines = patroni.leader().client(PatroniClient::of).history().size();

    cordon("node-a");
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .untilAsserted(() -> assertThat(patroni.leader().name()).isEqualTo(replica));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(events())
                    .contains(
                        "moved the primary off node node-a (being drained): switched over from "
                            + leader
                            + " to "
                            + replica));

    // The other node is drained too: nowhere to go, nothing moves back onto node-a.
    cordon("node-b");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(k8s.get(CLUSTER).getStatus().conditions)
                    .anySatisfy(
                        c ->
                            assertThat(c.getMessage())
                                .contains("no running replica is on a node that stays")));
    assertThat(patroni.leader().name()).isEqualTo(replica);
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(patroni.leader().client(PatroniClient::of).history())
                    .as("exactly one switchover")
                    .hasSize(timelines + 1));
  }
}
