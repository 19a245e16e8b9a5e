package dev.cornac.generators.monitoring;

import dev.cornac.generators.Cluster;
import dev.cornac.generators.naming.ClusterLabels;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The PodMonitor of a cluster's postgres_exporter sidecars ({@code
 * enable_postgres_exporter_pod_monitor}): it selects the cluster's pods with the same labels as its
 * Services and scrapes their {@code exporter} port, so that a Prometheus run by the Prometheus
 * Operator finds every cluster without configuration.
 */
public final class PodMonitorGenerator {
  public static final String PATH = "/metrics";

  private PodMonitorGenerator() {}

  public static String name(Cluster c) {
    return c.name() + "-" + ExporterContainer.NAME;
  }

  public static Optional<PodMonitor> generate(Cluster c) {
    if (!c.config().bool("enable_postgres_exporter_pod_monitor")
        || ExporterContainer.of(c).isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> labels = new LinkedHashMap<>(ClusterLabels.object(c));
    labels.putAll(c.config().map("postgres_exporter_pod_monitor_labels"));
    PodMonitor monitor = new PodMonitor();
    monitor.setMetadata(
        new ObjectMetaBuilder()
            .withName(name(c))
            .withNamespace(c.namespace())
            .withLabels(labels)
            .withOwnerReferences(c.ownerReferences())
            .build());
    PodMonitor.Spec spec = new PodMonitor.Spec();
    spec.selector = new LabelSelectorBuilder().withMatchLabels(ClusterLabels.selector(c)).build();
    PodMonitor.Endpoint endpoint = new PodMonitor.Endpoint();
    endpoint.port = ExporterContainer.PORT_NAME;
    endpoint.path = PATH;
    String interval = c.config().string("postgres_exporter_scrape_interval");
    endpoint.interval = interval == null || interval.isBlank() ? null : interval.strip();
    spec.podMetricsEndpoints = List.of(endpoint);
    monitor.setSpec(spec);
    return Optional.of(monitor);
  }
}
