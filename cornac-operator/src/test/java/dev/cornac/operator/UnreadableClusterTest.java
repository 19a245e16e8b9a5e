package dev.cornac.operator;

import static dev.cornac.operator.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cornac.api.crd.CrdManifests;
import dev.cornac.testkit.StrictApiServer;
import dev.cornac.testkit.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Upstream's CRD bounds no integer, so a cluster moved from the Zalando operator may hold a number
 * Java's {@code int} cannot; the API server keeps such an object when Cornac's stricter CRD
 * replaces upstream's. Read with the rest, it once failed the informer's whole list and stopped the
 * operator for every cluster, at every restart.
 */
@WithStrictApiServer
class UnreadableClusterTest {
  StrictApiServer api;
  OperatorHarness k8s;

  @AfterEach
  void tearDown() {
    if (k8s != null) {
      k8s.close();
    }
  }

  @Test
  void aClusterTheModelCannotHoldIsInvalidWithItsFieldAndTheOthersAreServed() throws Exception {
    k8s = OperatorHarness.withExampleConfig(api);
    api.adminClient()
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName(CrdManifests.POSTGRESQL)
        .delete();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                api.adminClient()
                        .apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .withName(CrdManifests.POSTGRESQL)
                        .get()
                    == null);
    api.apply(OperatorHarness.upstreamExamples().resolve("postgresql.crd.yaml"), NS);
    GenericKubernetesResource unreadable =
        Serialization.unmarshal(
            """
        apiVersion: acid.zalan.do/v1
        kind: postgresql
        metadata: {name: acid-huge, namespace: default}
        spec: {teamId: acid, numberOfInstances: 2147483648, volume: {size: 1Gi}, postgresql: {version: "15"}}
        """,
            GenericKubernetesResource.class);
    api.adminClient()
        .genericKubernetesResources("acid.zalan.do/v1", "postgresql")
        .inNamespace(NS)
        .resource(unreadable)
        .create();
    k8s.create(ClusterLifecycleTest.MINIMAL);

    k8s.startOperator(false);
    k8s.runPods("acid-minimal-cluster");
    k8s.awaitStatus("acid-minimal-cluster", "Running");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "Invalid".equals(status("acid-huge").get("PostgresClusterStatus")));
    assertThat(String.valueOf(status("acid-huge").get("conditions")))
        .contains(
            "spec.numberOfInstances: 2147483648 cannot be read as a whole number from -2147483648 to 2147483647");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                warnings("acid-huge").stream()
                    .anyMatch(m -> m.startsWith("spec.numberOfInstances: 2147483648")));
    assertThat(warnings("acid-huge"))
        .allSatisfy(m -> assertThat(m).doesNotContain("java.", "Exception"));
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> status(String name) {
    GenericKubernetesResource pg =
        api.adminClient()
            .genericKubernetesResources("acid.zalan.do/v1", "postgresql")
            .inNamespace(NS)
            .withName(name)
            .get();
    Object status = pg.getAdditionalProperties().get("status");
    return status instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private List<String> warnings(String name) {
    return api.adminClient().v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()) && "Warning".equals(e.getType()))
        .map(Event::getMessage)
        .toList();
  }
}
