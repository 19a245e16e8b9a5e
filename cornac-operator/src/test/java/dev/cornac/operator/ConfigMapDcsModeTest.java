package dev.cornac.operator;

import static dev.cornac.operator.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cornac.api.model.Postgresql;
import dev.cornac.testkit.StrictApiServer;
import dev.cornac.testkit.WithStrictApiServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * With {@code kubernetes_use_configmaps: "true"} (the mode the OpenShift RBAC is for) the operator
 * never touches Endpoints: not at start (no informer), not while creating or running a cluster, not
 * while deleting it. Under the OpenShift RBAC any such request would be refused.
 */
@WithStrictApiServer
class ConfigMapDcsModeTest {
  StrictApiServer api;
  OperatorHarness k8s;

  @AfterEach
  void tearDown() {
    if (k8s != null) {
      k8s.close();
    }
  }

  @Test
  void aClusterLivesAndDiesWithoutASingleEndpointsRequest() throws Exception {
    // OpenShift's RBAC variant grants nothing on Endpoints: any Endpoints request is refused, and
    // fails the test.
    k8s = new OperatorHarness(api, OperatorHarness.OPENSHIFT_RBAC);
    k8s.configMap(
        "manifests/configmap.yaml",
        Map.of("watched_namespace", NS, "kubernetes_use_configmaps", "true"));
    k8s.forgetRequests();
    k8s.startOperator(false);
    k8s.create(
        """
        apiVersion: acid.zalan.do/v1
        kind: postgresql
        metadata: {name: acid-openshift}
        spec: {teamId: acid, numberOfInstances: 2, volume: {size: 1Gi}, postgresql: {version: "15"}}
        """);
    k8s.runPods("acid-openshift");
    k8s.awaitStatus("acid-openshift", "Running");
    assertThat(
            k8s.client()
                .services()
                .inNamespace(NS)
                .withName("acid-openshift")
                .get()
                .getSpec()
                .getSelector())
        .as("in ConfigMap mode the master Service selects the primary itself")
        .containsEntry("spilo-role", "master");
    k8s.client().resources(Postgresql.class).inNamespace(NS).withName("acid-openshift").delete();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                k8s.client().apps().statefulSets().inNamespace(NS).withName("acid-openshift").get()
                    == null);
    List<String> requests = k8s.requests();
    assertThat(requests).as("requests were recorded").anyMatch(r -> r.contains("/statefulsets"));
    assertThat(requests).noneMatch(r -> r.contains("/endpoints"));
  }
}
