package dev.cornac.operator;

import dev.cornac.api.config.OperatorConfig;
import dev.cornac.api.model.Postgresql;
import dev.cornac.dataplane.MemberEndpoints;
import dev.cornac.operator.activity.ReconcileActivity;
import dev.cornac.operator.activity.RingLog;
import dev.cornac.operator.config.ConfigurationStatus;
import dev.cornac.operator.config.CrdRegistration;
import dev.cornac.operator.config.OperatorConfigLoader;
import dev.cornac.operator.config.OperatorEnvironment;
import dev.cornac.operator.events.EventRecorder;
import dev.cornac.operator.http.OperatorApi;
import dev.cornac.operator.http.OperatorHttpServer;
import dev.cornac.operator.http.OperatorMetrics;
import dev.cornac.operator.infrastructure.InfrastructureRolesLoader;
import dev.cornac.operator.kubernetes.KubernetesClients;
import dev.cornac.operator.kubernetes.UnreadableKeepingCloner;
import dev.cornac.operator.reconcile.NewClustersFirst;
import dev.cornac.operator.reconcile.Ownership;
import dev.cornac.operator.reconcile.PostgresqlReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running operator: configuration read once, one JOSDK controller for {@code postgresql},
 * Lease-based leader election and the HTTP endpoints. {@link #close()} stops it gracefully:
 * in-flight reconciliations get {@code terminationTimeout} to finish.
 */
public final class CornacOperator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CornacOperator.class);

  private final Operator operator;
  private final PostgresqlReconciler reconciler;
  private final OperatorHttpServer http;
  private final AtomicBoolean leader = new AtomicBoolean(false);
  private final AtomicBoolean started = new AtomicBoolean(false);
  private final OperatorConfig config;
  private final KubernetesClient eventClient;
  private final EventRecorder events;
  private final ReconcileActivity activity;
  private final NewClustersFirst workers;
  private final RingLog ringLog;
  private final OperatorMetrics metrics;
  static final double EVENT_QPS = 25;
  static final int EVENT_BURST = 50;

  /**
   * @param onLeadershipLost what to do when another replica took the lease (not on our own
   *     shutdown); the command exits so that Kubernetes restarts it as a follower with clean caches
   */
  public record Options(
      OperatorEnvironment environment,
      String httpHost,
      int httpPort,
      Duration terminationTimeout,
      Clock clock,
      Runnable onLeadershipLost,
      MemberEndpoints memberEndpoints) {
    public Options {
      Objects.requireNonNull(environment);
    }
  }

  /** An operator with the configuration as it is now, read once. */
  public CornacOperator(KubernetesClient client, Options options) {
    this(client, options, OperatorConfigLoader.read(client, options.environment()));
  }

  private CornacOperator(
      KubernetesClient client, Options options, OperatorConfigLoader.Loaded loaded) {
    this(client, options, loaded.config(), new ConfigurationStatus(loaded.revision()));
  }

  /**
   * An operator with a given configuration ({@link LiveOperator} builds one for each revision).
   *
   * @param configuration which revision runs and what became of changes, for {@code /config/} and
   *     the metrics
   */
  public CornacOperator(
      KubernetesClient client,
      Options options,
      OperatorConfig config,
      ConfigurationStatus configuration) {
    OperatorEnvironment env = options.environment();
    this.config = config;
    config.warnings().forEach(w -> LOG.warn("configuration: {}", w));
    if (config.bool("enable_teams_api")) {
      LOG.warn(
          "configuration: enable_teams_api is true, but Cornac does not query a Teams API; team members come "
              + "from PostgresTeam resources (enable_postgres_team_crd). Set enable_teams_api: \"false\" to silence this");
    }
    CrdRegistration.register(client, config, env.crdReadyWaitInterval(), env.crdReadyWaitTimeout());
    String watched = OperatorConfigLoader.watchedNamespace(config, env);
    Ownership ownership = new Ownership(env.controllerId());
    // Events get their own client and budget (see EventRecorder).
    this.eventClient =
        KubernetesClients.builder(client.getConfiguration(), EVENT_QPS, EVENT_BURST).build();
    this.events = new EventRecorder(eventClient);
    int workerCount = (int) Math.max(1, config.integerOr("workers", 8));
    this.activity = new ReconcileActivity(options.clock(), workerCount);
    this.workers = new NewClustersFirst(workerCount);
    this.ringLog = RingLog.attach((int) config.integerOr("ring_log_lines", 100));
    this.reconciler =
        new PostgresqlReconciler(
            config,
            client,
            events,
            options.clock(),
            options.memberEndpoints() == null ? MemberEndpoints.podIp() : options.memberEndpoints(),
            activity);
    this.metrics =
        new OperatorMetrics(
            reconciler::informers,
            activity,
            options.clock(),
            config.podRoleLabel(),
            reconciler.rollingSlots(),
            configuration);
    reconciler.infrastructureRoles(
        InfrastructureRolesLoader.load(client, config, env.operatorNamespace()));
    this.operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withUseSSAToPatchPrimaryResource(false)
                  .withResourceCloner(new UnreadableKeepingCloner(client))
                  .withSSABasedCreateUpdateMatchForDependentResources(false)
                  .withExecutorService(workers)
                  .withReconciliationTerminationTimeout(options.terminationTimeout())
                  .withCacheSyncTimeout(Duration.ofMinutes(2))
                  .withStopOnInformerErrorDuringStartup(true)
                  .withMetrics(metrics.josdk());
              if (env.leaderElection()) {
                o.withLeaderElectionConfiguration(
                    LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(env.leaseName())
                        .withLeaseNamespace(env.operatorNamespace())
                        .withExitOnStopLeading(false)
                        .withLeaderCallbacks(
                            new LeaderCallbacks(
                                () -> {
                                  LOG.info("leading: this operator reconciles the clusters now");
                                  leader.set(true);
                                },
                                () -> {
                                  leader.set(false);
                                  if (started.get()) {
                                    LOG.warn("lost the leader lease to another replica");
                                    options.onLeadershipLost().run();
                                  }
                                },
                                identity -> LOG.info("leader is {}", identity)))
                        .build());
              } else {
                leader.set(true);
              }
            });
    operator.register(
        reconciler,
        c -> {
          if ("*".equals(watched)) {
            c.watchingAllNamespaces();
          } else {
            c.settingNamespace(watched);
          }
          c.withGenerationAware(false)
              .withTriggerReconcilerOnAllEvents(true)
              .withGenericFilter(ownership::owns)
              .withOnUpdateFilter(CornacOperator::changeMatters)
              .withReconciliationMaxInterval(maxInterval(config));
        });
    this.http =
        new OperatorHttpServer(
            options.httpHost(),
            options.httpPort() < 0 ? (int) config.integerOr("api_port", 8080) : options.httpPort(),
            () -> started.get() && operator.getRuntimeInfo().allEventSourcesAreHealthy(),
            started::get,
            new OperatorApi(
                config,
                configuration,
                reconciler.rollingSlots(),
                reconciler::informers,
                activity,
                ringLog,
                reconciler::infrastructureRoles,
                env.controllerId()),
            metrics);
    LOG.info(
        "watching {} (controller id '{}'), configuration from {}",
        "*".equals(watched) ? "all namespaces" : "namespace " + watched,
        env.controllerId(),
        config.source());
  }

  /**
   * Resource changes worth a reconciliation: spec, labels, annotations (incl. the sync trigger),
   * deletion.
   */
  static boolean changeMatters(Postgresql before, Postgresql after) {
    return !Objects.equals(
            before.getMetadata().getGeneration(), after.getMetadata().getGeneration())
        || !Objects.equals(
            map(before.getMetadata().getAnnotations()), map(after.getMetadata().getAnnotations()))
        || !Objects.equals(
            map(before.getMetadata().getLabels()), map(after.getMetadata().getLabels()))
        || !Objects.equals(
            before.getMetadata().getDeletionTimestamp(), after.getMetadata().getDeletionTimestamp())
        || !Objects.equals(
            before.getMetadata().getFinalizers(), after.getMetadata().getFinalizers());
  }

  private static Map<String, String> map(Map<String, String> m) {
    return m == null ? Map.of() : m;
  }

  private static Duration maxInterval(OperatorConfig config) {
    Duration resync = config.duration("resync_period");
    return resync.isZero() || resync.isNegative() ? Duration.ofMinutes(30) : resync.multipliedBy(2);
  }

  public void start() {
    operator.start();
    started.set(true);
  }

  public boolean isLeader() {
    return leader.get();
  }

  public OperatorConfig config() {
    return config;
  }

  public int httpPort() {
    return http.port();
  }

  /**
   * Waits until queued Events have been sent (tests and benchmarks measure idle traffic after
   * this).
   */
  public void flushEvents(Duration timeout) {
    events.flush(timeout);
  }

  /** The reconciliation activity: running passes, outcomes, pass counts. */
  public ReconcileActivity activity() {
    return activity;
  }

  public PostgresqlReconciler reconciler() {
    return reconciler;
  }

  /** The reconcile workers (to see that new clusters are served first). */
  public NewClustersFirst workers() {
    return workers;
  }

  @Override
  public void close() {
    started.set(false);
    try {
      operator.stop();
    } finally {
      http.close();
      metrics.close();
      if (ringLog != null) {
        ringLog.detach();
      }
      events.close();
      eventClient.close();
      workers.shutdownNow();
    }
  }
}
