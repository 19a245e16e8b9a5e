package dev.cornac.operator;

import static dev.cornac.operator.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cornac.api.model.ManifestMapper;
import dev.cornac.generators.monitoring.ExporterContainer;
import dev.cornac.generators.monitoring.PodMonitor;
import dev.cornac.testkit.StrictApiServer;
import dev.cornac.testkit.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The exporter's PodMonitor: created for each cluster so that the Prometheus Operator scrapes the
 * sidecars, kept as generated, left alone by an idle resync, deleted when turned off; without the
 * CRD the operator carries on.
 */
@WithStrictApiServer
class PodMonitorOperatorTest {
  StrictApiServer api;
  OperatorHarness k8s;

  static final String CLUSTER = "acid-monitored";
  static final String MANIFEST =
      """
      apiVersion: acid.zalan.do/v1
      kind: postgresql
      metadata: {name: acid-monitored}
      spec: {teamId: acid, numberOfInstances: 2, volume: {size: 1Gi}, postgresql: {version: "15"}}
      """;

  @AfterEach
  void tearDown() {
    if (k8s != null) {
      k8s.close();
    }
  }

  private PodMonitor podMonitor() {
    return k8s.client()
        .resources(PodMonitor.class)
        .inNamespace(NS)
        .withName(CLUSTER + "-postgres-exporter")
        .get();
  }

  private void installCrd() throws Exception {
    k8s.client()
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .resource(
            ManifestMapper.yaml()
                .readValue(
                    getClass().getResourceAsStream("/podmonitor.crd.yaml"),
                    CustomResourceDefinition.class))
        .create();
  }

  @Test
  void theClusterGetsAPodMonitorThatScrapesItsExporterSidecars() throws Exception {
    k8s = OperatorHarness.withExampleConfig(api);
    installCrd();
    k8s.configMap(
        "manifests/configmap.yaml",
        Map.of(
            "watched_namespace",
            NS,
            "enable_postgres_exporter",
            "true",
            "enable_postgres_exporter_pod_monitor",
            "true",
            "postgres_exporter_pod_monitor_labels",
            "release:prometheus",
            "postgres_exporter_scrape_interval",
            "30s"));
    var op = k8s.startOperator(false);
    k8s.create(MANIFEST);
    await().atMost(Duration.ofSeconds(20)).until(() -> podMonitor() != null);

    PodMonitor monitor = podMonitor();
    StatefulSet sts = k8s.client().apps().statefulSets().inNamespace(NS).withName(CLUSTER).get();
    Map<String, String> podLabels = sts.getSpec().getTemplate().getMetadata().getLabels();
    assertThat(monitor.getMetadata().getLabels())
        .containsEntry("release", "prometheus")
        .containsEntry("cluster-name", CLUSTER);
    assertThat(podLabels)
        .as("the selector finds the cluster's pods")
        .containsAllEntriesOf(monitor.getSpec().selector.getMatchLabels());
    assertThat(monitor.getSpec().selector.getMatchLabels()).containsEntry("cluster-name", CLUSTER);
    Container sidecar =
        sts.getSpec().getTemplate().getSpec().getContainers().stream()
            .filter(c -> c.getName().equals(ExporterContainer.NAME))
            .findFirst()
            .orElseThrow();
    assertThat(monitor.getSpec().podMetricsEndpoints)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(sidecar.getPorts())
                  .extracting(ContainerPort::getName)
                  .as("a port the sidecar serves")
                  .contains(e.port);
              assertThat(e.path).isEqualTo("/metrics");
              assertThat(e.interval).isEqualTo("30s");
            });

    // Drift is undone; an idle pass writes nothing.
    k8s.client()
        .resources(PodMonitor.class)
        .inNamespace(NS)
        .withName(monitor.getMetadata().getName())
        .edit(
            m -> {
              m.getSpec().podMetricsEndpoints.get(0).port = "web";
              return m;
            });
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(podMonitor().getSpec().podMetricsEndpoints.get(0).port)
                    .isEqualTo("exporter"));
    k8s.awaitQuiet(CLUSTER);
    k8s.forgetRequests();
    k8s.afterNextPass(CLUSTER, () -> k8s.annotate(CLUSTER, "cornac.dev/test-touch", "1"));
    assertThat(OperatorHarness.writes(k8s.requests())).noneMatch(w -> w.contains("podmonitors"));

    // Turned off (the exporter stays): the PodMonitor goes.
    k8s.stop(op);
    k8s.configMap(
        "manifests/configmap.yaml",
        Map.of("watched_namespace", NS, "enable_postgres_exporter", "true"));
    k8s.startOperator(false);
    await().atMost(Duration.ofSeconds(20)).until(() -> podMonitor() == null);
  }

  @Test
  void withoutTheCrdTheClusterIsServedAndTheStatusSaysWhy() throws Exception {
    k8s = OperatorHarness.withExampleConfig(api);
    k8s.configMap(
        "manifests/configmap.yaml",
        Map.of(
            "watched_namespace",
            NS,
            "enable_postgres_exporter",
            "true",
            "enable_postgres_exporter_pod_monitor",
            "true"));
    k8s.startOperator(false);
    k8s.create(MANIFEST);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(k8s.client().apps().statefulSets().inNamespace(NS).withName(CLUSTER).get())
                  .isNotNull();
              assertThat(k8s.get(CLUSTER).getStatus().conditions)
                  .anySatisfy(
                      c ->
                          assertThat(c.getMessage())
                              .contains(
                                  "no PodMonitor: the Prometheus Operator's PodMonitor CRD is not installed"));
            });
  }
}
