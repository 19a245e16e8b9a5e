package dev.cornac.cli;

import static dev.cornac.operator.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cornac.operator.Closeables;
import dev.cornac.operator.OperatorHarness;
import dev.cornac.testkit.Kubelet;
import dev.cornac.testkit.StrictApiServer;
import dev.cornac.testkit.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator configured with its own cluster_name_label and pod_role_label: the CLI finds the pods
 * by them.
 */
@WithStrictApiServer
class ClusterLabelsCliTest {
  StrictApiServer api;
  OperatorHarness k8s;
  @TempDir Path dir;

  @AfterEach
  void tearDown() throws Exception {
    Closeables.closeAll(k8s);
  }

  @Test
  void statusFindsThePodsByTheConfiguredLabels() throws Exception {
    k8s = new OperatorHarness(api);
    k8s.create(
        """
        apiVersion: acid.zalan.do/v1
        kind: postgresql
        metadata: {name: acid-labels}
        spec: {teamId: acid, numberOfInstances: 1, volume: {size: 1Gi}, postgresql: {version: "15"}}
        """);
    Kubelet.run(
        k8s.client(),
        new PodBuilder()
            .withNewMetadata()
            .withName("acid-labels-0")
            .withNamespace(NS)
            .withLabels(Map.of("example.com/cluster", "acid-labels", "example.com/role", "master"))
            .endMetadata()
            .withNewSpec()
            .withContainers(new ContainerBuilder().withName("postgres").withImage("spilo").build())
            .endSpec()
            .build(),
        "10.0.0.7");
    String kubeconfig = TestKubeconfig.forDba(api, dir, NS).toString();

    CliRunner.Result upstreamLabels =
        CliRunner.run("status", "acid-labels", "--kubeconfig", kubeconfig);
    assertThat(upstreamLabels.exit()).as(upstreamLabels.err()).isZero();
    assertThat(upstreamLabels.out()).doesNotContain("acid-labels-0");

    CliRunner.Result configured =
        CliRunner.run(
            "status",
            "acid-labels",
            "--kubeconfig",
            kubeconfig,
            "--cluster-name-label",
            "example.com/cluster",
            "--pod-role-label",
            "example.com/role");
    assertThat(configured.exit()).as(configured.err()).isZero();
    assertThat(configured.out()).containsPattern("acid-labels-0 +master");
  }
}
