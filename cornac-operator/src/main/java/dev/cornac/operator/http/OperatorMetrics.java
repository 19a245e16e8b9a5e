package dev.cornac.operator.http;

import dev.cornac.api.model.Postgresql;
import dev.cornac.generators.plan.RollingUpdateMark;
import dev.cornac.operator.activity.ReconcileActivity;
import dev.cornac.operator.config.ConfigurationStatus;
import dev.cornac.operator.reconcile.ClusterInformers;
import dev.cornac.operator.rolling.RollingUpdateSlots;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * {@code /metrics} in Prometheus' text format: JOSDK's reconcile metrics, per-cluster gauges
 * computed from the informer caches at each scrape (status, instances, ready instances, pods
 * waiting for a rolling update, seconds since the last successful sync), per-cluster sync failure
 * counters, and the JVM basics. Series of a deleted cluster end.
 */
public final class OperatorMetrics implements AutoCloseable {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Supplier<ClusterInformers> informers;
  private final ReconcileActivity activity;
  private final Clock clock;
  private final String roleLabel;
  private final MultiGauge status;
  private final MultiGauge instances;
  private final MultiGauge ready;
  private final MultiGauge rollingPending;
  private final MultiGauge sinceSuccess;
  private final Map<ReconcileActivity.Key, Meter> failureCounters = new HashMap<>();
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final Metrics josdk;

  public OperatorMetrics(
      Supplier<ClusterInformers> informers,
      ReconcileActivity activity,
      Clock clock,
      String roleLabel,
      RollingUpdateSlots rollingSlots,
      ConfigurationStatus configuration) {
    this.informers = informers;
    this.activity = activity;
    this.clock = clock;
    this.roleLabel = roleLabel;
    // promtool's lint: no abbreviated units (process_cpu_time_ns), no _count suffix on a gauge
    // (system_cpu_count),
    // help text on every family (some libraries register meters without one).
    registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")));
    registry
        .config()
        .meterFilter(
            new MeterFilter() {
              @Override
              public Meter.Id map(Meter.Id id) {
                String name =
                    id.getName().equals("system.cpu.count")
                        ? "system.cpu.processors"
                        : id.getName();
                String description =
                    id.getDescription() != null ? id.getDescription() : name.replace('.', ' ');
                return name.equals(id.getName()) && description.equals(id.getDescription())
                    ? id
                    : new Meter.Id(
                        name, Tags.of(id.getTags()), id.getBaseUnit(), description, id.getType());
              }
            });
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    this.josdk = MicrometerMetrics.withoutPerResourceMetrics(registry);
    status =
        MultiGauge.builder("cornac.cluster.status")
            .description("1 for the cluster's current status.PostgresClusterStatus")
            .register(registry);
    instances =
        MultiGauge.builder("cornac.cluster.instances")
            .description("numberOfInstances the cluster asks for (after the operator's limits)")
            .register(registry);
    ready =
        MultiGauge.builder("cornac.cluster.ready.instances")
            .description("pods running with a Patroni role label")
            .register(registry);
    rollingPending =
        MultiGauge.builder("cornac.cluster.rolling.update.pending.pods")
            .description("pods marked for recreation by a rolling update")
            .register(registry);
    sinceSuccess =
        MultiGauge.builder("cornac.cluster.seconds.since.last.successful.sync")
            .description("seconds since the last sync that applied the manifest without error")
            .register(registry);
    // A pass holds a worker for this long: milliseconds plus its API calls, never a wait (issue
    // 16).
    Timer passes =
        Timer.builder("cornac.reconcile.pass")
            .description("worker time of one reconciliation pass of one cluster")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    activity.onPassEnded(nanos -> passes.record(nanos, TimeUnit.NANOSECONDS));
    Gauge.builder("cornac.rolling.updates.clusters", rollingSlots, RollingUpdateSlots::rolling)
        .description("clusters rolling their pods now (at most max_concurrent_rolling_updates)")
        .tag("state", "rolling")
        .register(registry);
    Gauge.builder("cornac.rolling.updates.clusters", rollingSlots, RollingUpdateSlots::waiting)
        .description("clusters rolling their pods now (at most max_concurrent_rolling_updates)")
        .tag("state", "waiting")
        .register(registry);
    Gauge.builder("cornac.rolling.updates.paused", rollingSlots, s -> s.paused() ? 1 : 0)
        .description(
            "1 while the fleet's rolling updates are paused after a failed roll (pause_rolling_updates_on_failure)")
        .register(registry);
    Gauge.builder(
            "cornac.rolling.updates.canary",
            rollingSlots,
            s -> s.rollout().phase() == RollingUpdateSlots.Phase.CANARY ? 1 : 0)
        .description(
            "1 while the first clusters of a rollout roll alone (rolling_update_canary_clusters)")
        .register(registry);
    // The operator is rebuilt for each applied revision, so the revision of this registry is fixed.
    Gauge.builder("cornac.operator.configuration.info", () -> 1)
        .description(
            "1, labelled with the revision (resourceVersion) of the configuration that runs")
        .tag("revision", configuration.revision())
        .register(registry);
    FunctionCounter.builder(
            "cornac.operator.configuration.changes", configuration, ConfigurationStatus::applied)
        .description(
            "changes of the ConfigMap/OperatorConfiguration since start, applied or refused")
        .tag("outcome", "applied")
        .register(registry);
    FunctionCounter.builder(
            "cornac.operator.configuration.changes", configuration, ConfigurationStatus::refused)
        .description(
            "changes of the ConfigMap/OperatorConfiguration since start, applied or refused")
        .tag("outcome", "refused")
        .register(registry);
  }

  /** For JOSDK's {@code withMetrics}. */
  public Metrics josdk() {
    return josdk;
  }

  /** The text exposition, with the cluster gauges brought up to date from the caches first. */
  public synchronized String scrape() {
    refresh();
    return registry.scrape();
  }

  private void refresh() {
    ClusterInformers i = informers.get();
    List<Postgresql> clusters = i == null ? List.of() : i.clusters();
    List<MultiGauge.Row<?>> statusRows = new ArrayList<>();
    List<MultiGauge.Row<?>> instanceRows = new ArrayList<>();
    List<MultiGauge.Row<?>> readyRows = new ArrayList<>();
    List<MultiGauge.Row<?>> rollingRows = new ArrayList<>();
    List<MultiGauge.Row<?>> sinceRows = new ArrayList<>();
    Instant now = clock.instant();
    for (Postgresql pg : clusters) {
      ReconcileActivity.Key key = ReconcileActivity.Key.of(pg);
      Tags tags = Tags.of("namespace", key.namespace(), "cluster", key.name());
      String current =
          pg.getStatus() == null || pg.getStatus().postgresClusterStatus == null
              ? "Unknown"
              : pg.getStatus().postgresClusterStatus;
      statusRows.add(MultiGauge.Row.of(tags.and("status", current), 1));
      int wanted =
          pg.getSpec() == null || pg.getSpec().numberOfInstances == null
              ? 0
              : pg.getSpec().numberOfInstances;
      instanceRows.add(MultiGauge.Row.of(tags, wanted));
      List<Pod> pods = i.ofCluster(Pod.class, key.namespace(), key.name());
      readyRows.add(MultiGauge.Row.of(tags, pods.stream().filter(this::runsWithRole).count()));
      rollingRows.add(
          MultiGauge.Row.of(tags, pods.stream().filter(RollingUpdateMark::isMarked).count()));
      activity
          .record(key)
          .flatMap(ReconcileActivity.Record::lastSuccess)
          .ifPresent(
              t ->
                  sinceRows.add(
                      MultiGauge.Row.of(
                          tags, Math.max(0, Duration.between(t, now).toMillis() / 1000.0))));
      failureCounters.computeIfAbsent(
          key,
          k ->
              FunctionCounter.builder(
                      "cornac.cluster.sync.failures",
                      activity,
                      a -> a.record(k).map(ReconcileActivity.Record::failures).orElse(0L))
                  .description(
                      "sync passes that failed (Kubernetes errors, invalid manifest, generation errors)")
                  .tags(tags)
                  .register(registry));
    }
    status.register(statusRows, true);
    instances.register(instanceRows, true);
    ready.register(readyRows, true);
    rollingPending.register(rollingRows, true);
    sinceSuccess.register(sinceRows, true);
    Set<ReconcileActivity.Key> present =
        clusters.stream().map(ReconcileActivity.Key::of).collect(Collectors.toSet());
    failureCounters
        .entrySet()
        .removeIf(
            e -> {
              if (present.contains(e.getKey())) {
                return false;
              }
              registry.remove(e.getValue());
              activity.forget(e.getKey());
              return true;
            });
  }

  private boolean runsWithRole(Pod p) {
    String role =
        p.getMetadata().getLabels() == null ? null : p.getMetadata().getLabels().get(roleLabel);
    return p.getStatus() != null
        && "Running".equals(p.getStatus().getPhase())
        && ("master".equals(role) || "replica".equals(role));
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
