package dev.cornac.operator.reconcile;

import dev.cornac.api.cluster.MaintenanceWindows;
import dev.cornac.api.config.OperatorConfig;
import dev.cornac.api.crd.CrdManifests;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.api.model.Postgresql;
import dev.cornac.api.model.PostgresqlStatus;
import dev.cornac.api.validation.ManifestValidator;
import dev.cornac.api.validation.ValidationResult;
import dev.cornac.api.validation.Violation;
import dev.cornac.dataplane.MemberEndpoints;
import dev.cornac.dataplane.patroni.PatroniException;
import dev.cornac.generators.Cluster;
import dev.cornac.generators.DesiredState;
import dev.cornac.generators.DesiredStateGenerator;
import dev.cornac.generators.GenerationException;
import dev.cornac.generators.monitoring.PodMonitor;
import dev.cornac.generators.plan.ObjectPlanner;
import dev.cornac.generators.plan.ObservedCluster;
import dev.cornac.generators.secrets.CredentialSecretGenerator;
import dev.cornac.generators.secrets.Credentials;
import dev.cornac.generators.secrets.PasswordGenerator;
import dev.cornac.generators.secrets.TeamMembers;
import dev.cornac.operator.activity.ReconcileActivity;
import dev.cornac.operator.activity.RingLog;
import dev.cornac.operator.dataplane.DataPlaneSync;
import dev.cornac.operator.deletion.ClusterDeletion;
import dev.cornac.operator.deletion.DeleteProtection;
import dev.cornac.operator.events.EventRecorder;
import dev.cornac.operator.infrastructure.InfrastructureRoles;
import dev.cornac.operator.maintenance.VersionGate;
import dev.cornac.operator.rolling.RollingUpdateSlots;
import dev.cornac.operator.rolling.RollingUpdateSync;
import dev.cornac.operator.status.ClusterStatus;
import dev.cornac.operator.status.StatusCalculator;
import dev.cornac.operator.switchover.DeclarativeRestart;
import dev.cornac.operator.switchover.DeclarativeSwitchover;
import dev.cornac.operator.switchover.NodeDrainSwitchover;
import dev.cornac.operator.switchover.ScaleDownSwitchover;
import dev.cornac.operator.upgrade.MajorVersionUpgrade;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.net.HttpURLConnection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every owned {@code postgresql} resource's objects in their desired state, one pass at a
 * time: validate; observe (one {@link ObservedCluster} from the informer caches); plan the object
 * writes ({@link ObjectPlanner}, pure) and act on them ({@link PlanExecutor}); then the member
 * steps, each planned as data and one step per pass; record (status and events, once). JOSDK
 * guarantees that one cluster is reconciled by one worker at a time (docs/architecture.md).
 */
public final class PostgresqlReconciler implements Reconciler<Postgresql> {
  public static final String FINALIZER = "postgres-operator.acid.zalan.do";

  /** A manifest that cannot be applied is looked at again now and then (it may be edited). */
  static final Duration INVALID_RECHECK = Duration.ofMinutes(1);

  static final Duration FAILURE_RETRY = Duration.ofSeconds(30);
  static final Duration CONFLICT_RETRY = Duration.ofSeconds(1);

  /**
   * Windows are compared at minute precision: a pass just after the opening minute starts is inside
   * it.
   */
  static final Duration WINDOW_MARGIN = Duration.ofSeconds(2);

  private static final Logger LOG = LoggerFactory.getLogger(PostgresqlReconciler.class);

  private final OperatorConfig config;
  private final KubernetesClient client;
  private final EventRecorder events;
  private final StatusCalculator statuses;
  private final DeleteProtection protection;
  private final ClusterDeletion deletion;
  private final DataPlaneSync dataPlane;
  private final RollingUpdateSync rolling;
  private final RollingUpdateSlots rollingSlots;
  private final DeclarativeSwitchover switchover;
  private final ScaleDownSwitchover scaleDown;
  private final NodeDrainSwitchover nodeDrain;
  private final DeclarativeRestart restart;
  private final MajorVersionUpgrade majorUpgrade;
  private final Clock clock;
  private final ReconcileActivity activity;
  private ClusterInformers informers;
  private volatile List<InfrastructureRoles.Role> infrastructureRoles = List.of();

  public PostgresqlReconciler(
      OperatorConfig config,
      KubernetesClient client,
      EventRecorder events,
      Clock clock,
      MemberEndpoints endpoints,
      ReconcileActivity activity) {
    this.config = config;
    this.activity = activity;
    this.client = client;
    this.events = events;
    this.dataPlane = new DataPlaneSync(config, endpoints, clock);
    this.rollingSlots =
        new RollingUpdateSlots(
            (int) config.integerOr("max_concurrent_rolling_updates", 10),
            (int) config.integerOr("rolling_update_canary_clusters", 1),
            config.bool("pause_rolling_updates_on_failure"));
    this.rolling = new RollingUpdateSync(config, endpoints, rollingSlots, clock);
    this.switchover = new DeclarativeSwitchover(endpoints, clock);
    this.scaleDown = new ScaleDownSwitchover(endpoints, config.podRoleLabel());
    this.nodeDrain = new NodeDrainSwitchover(config, endpoints, clock);
    this.restart = new DeclarativeRestart(endpoints, clock);
    this.majorUpgrade = new MajorVersionUpgrade(config, endpoints, client, clock);
    this.statuses = new StatusCalculator(clock);
    this.clock = clock;
    this.protection = new DeleteProtection(config, clock);
    this.deletion = new ClusterDeletion(client, config, events);
  }

  @Override
  public List<EventSource<?, Postgresql>> prepareEventSources(
      EventSourceContext<Postgresql> context) {
    boolean teams = config.bool("enable_postgres_team_crd");
    if (teams
        && context
                .getClient()
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName(CrdManifests.POSTGRES_TEAM)
                .get()
            == null) {
      LOG.warn(
          "enable_postgres_team_crd is true but the PostgresTeam CRD is not installed; team members are skipped "
              + "until it is (kubectl apply -f manifests/postgresteam.crd.yaml) and the operator restarts");
      teams = false;
    }
    informers =
        new ClusterInformers(
            context,
            config.clusterNameLabel(),
            config.podRoleLabel(),
            teams,
            PodEnvironment.names(config));
    if (!config.configMapDcs()) {
      informers.watchEndpoints(context);
    }
    List<EventSource<?, Postgresql>> sources = new ArrayList<>();
    // A cluster waiting for a rolling-update slot gets its next pass as soon as one frees.
    SimpleInboundEventSource<Postgresql> slotFreed =
        new SimpleInboundEventSource<>("rolling-update-slot");
    rollingSlots.onFree(slotFreed::propagateEvent);
    sources.add(slotFreed);
    // A major version upgrade's exec runs on the client's threads; its end wakes the cluster's next
    // pass.
    SimpleInboundEventSource<Postgresql> upgradeEnded =
        new SimpleInboundEventSource<>("major-upgrade-ended");
    majorUpgrade.onFinished(upgradeEnded::propagateEvent);
    sources.add(upgradeEnded);
    // Watched with the exporter on even when its PodMonitors are off, so that turning them off
    // deletes them; not
    // otherwise, as an operator running with upstream's RBAC may not list PodMonitors.
    boolean podMonitors = config.bool("enable_postgres_exporter_pod_monitor");
    if (podMonitors || config.bool("enable_postgres_exporter")) {
      boolean crd =
          context
                  .getClient()
                  .apiextensions()
                  .v1()
                  .customResourceDefinitions()
                  .withName(PodMonitor.CRD)
                  .get()
              != null;
      if (crd) {
        informers.watchPodMonitors(context);
      } else if (podMonitors) {
        LOG.warn(
            "enable_postgres_exporter_pod_monitor is true but the PodMonitor CRD ({}) is not installed: no "
                + "PodMonitor is created until the Prometheus Operator's CRDs are installed and the operator restarts",
            PodMonitor.CRD);
      }
    }
    sources.addAll(informers.all());
    return sources;
  }

  /** The fleet's rolling-update slots ({@code max_concurrent_rolling_updates}). */
  public RollingUpdateSlots rollingSlots() {
    return rollingSlots;
  }

  /** The informer caches; null until JOSDK has prepared the event sources. */
  public ClusterInformers informers() {
    return informers;
  }

  public List<InfrastructureRoles.Role> infrastructureRoles() {
    return infrastructureRoles;
  }

  /**
   * The infrastructure roles, loaded once at start (upstream: pkg/controller/controller.go,
   * initController); put into every cluster.
   */
  public void infrastructureRoles(List<InfrastructureRoles.Role> roles) {
    this.infrastructureRoles = List.copyOf(roles);
  }

  /**
   * Finalizers are used only when asked for, or to enforce delete protection (so adoption writes
   * nothing).
   */
  public boolean usesFinalizer() {
    return config.bool("enable_finalizers")
        || (protection.configured() && !config.bool("enable_owner_references"));
  }

  public ClusterDeletion deletion() {
    return deletion;
  }

  public DeleteProtection protection() {
    return protection;
  }

  /**
   * One pass, recorded as the cluster's activity, its log lines attributed to the cluster and its
   * worker.
   */
  @Override
  public UpdateControl<Postgresql> reconcile(Postgresql pg, Context<Postgresql> context) {
    ReconcileActivity.Key key = ReconcileActivity.Key.of(pg);
    boolean deleting = pg.isMarkedForDeletion() || context.isPrimaryResourceDeleted();
    activity.started(pg, deleting ? "delete cluster" : "sync cluster");
    try {
      return RingLog.within(
          key.toString(),
          activity.workerOf(key),
          () ->
              deleting ? deletionPass(pg, context.isPrimaryResourceDeleted()) : reconcilePass(pg));
    } finally {
      activity.ended(pg);
    }
  }

  /**
   * The record step for a pass that failed in a way no step expected (JOSDK's error status
   * handler): the cluster still gets a status that says so and a Warning event, in words, without a
   * stack trace or a class name (those go to the operator's log); JOSDK retries with backoff, and
   * the other clusters are served as usual.
   */
  @Override
  public ErrorStatusUpdateControl<Postgresql> updateErrorStatus(
      Postgresql pg, Context<Postgresql> context, Exception e) {
    LOG.error(
        "cluster {}/{}: the pass failed unexpectedly; it is retried",
        pg.getMetadata().getNamespace(),
        pg.getMetadata().getName(),
        e);
    String cause = null;
    for (Throwable t = e; t != null && cause == null; t = t.getCause()) {
      // Our own wording (or Kubernetes'); any other message may name Java's internals.
      cause =
          t instanceof IllegalStateException
                  || t instanceof IllegalArgumentException
                  || t instanceof GenerationException
              ? t.getMessage()
              : t instanceof KubernetesClientException k ? kubernetesError(k) : null;
    }
    String message =
        "the operator failed on this cluster"
            + (cause == null ? " (an internal error)" : ": " + cause)
            + "; it tries again, and its log has the details (cluster "
            + pg.getMetadata().getNamespace()
            + "/"
            + pg.getMetadata().getName()
            + ")";
    PostgresqlStatus status = statuses.next(pg, StatusCalculator.Outcome.FAILED, false, message);
    activity.finished(pg, false, message);
    if (!StatusCalculator.sameStatus(pg.getStatus(), status)) {
      events.warning(pg, "Sync", message);
      try {
        // A merge patch of the status alone, as every status write: JOSDK's own patch would be
        // computed against the
        // cached resource, which may lag behind the status this pass's predecessor wrote.
        writeStatusNow(pg, status);
      } catch (KubernetesClientException writeFailed) {
        LOG.warn(
            "cluster {}/{}: the failure could not be recorded in the status: {}",
            pg.getMetadata().getNamespace(),
            pg.getMetadata().getName(),
            kubernetesError(writeFailed));
      }
    }
    return ErrorStatusUpdateControl.noStatusUpdate();
  }

  /**
   * Deletion, on the cluster's own worker like every pass (JOSDK calls the reconciler for every
   * event, the delete event included): with our finalizer, clean up (unless protected) and let the
   * resource go; without one, clean up once the resource is gone, unless owner references make
   * Kubernetes' garbage collector do it.
   */
  private UpdateControl<Postgresql> deletionPass(Postgresql pg, boolean gone) {
    rolling.forget(ResourceID.fromResource(pg));
    dataPlane.forget(pg.getMetadata().getNamespace(), pg.getMetadata().getName());
    majorUpgrade.forget(pg.getMetadata().getUid());
    List<String> finalizers =
        pg.getMetadata().getFinalizers() == null ? List.of() : pg.getMetadata().getFinalizers();
    if (!gone) {
      handleDeletion(pg);
    } else if (!finalizers.contains(FINALIZER) && !config.bool("enable_owner_references")) {
      deletion.delete(pg);
    }
    return UpdateControl.noUpdate();
  }

  private UpdateControl<Postgresql> reconcilePass(Postgresql pg) {
    if (pg.unreadable().isPresent()) {
      return record(
          pg,
          StatusCalculator.Outcome.INVALID,
          false,
          pg.unreadable().get(),
          "Invalid",
          INVALID_RECHECK);
    }
    ValidationResult validation = new ManifestValidator(config).validate(ManifestMapper.tree(pg));
    if (!validation.isValid()) {
      String message =
          validation.errors().stream().map(Violation::message).collect(Collectors.joining("; "));
      return record(
          pg, StatusCalculator.Outcome.INVALID, false, message, "Invalid", INVALID_RECHECK);
    }
    try {
      ensureFinalizer(pg);
      Cluster manifest = new Cluster(pg, config);
      var gated =
          VersionGate.apply(
              manifest,
              informers.get(StatefulSet.class, manifest.namespace(), manifest.name()),
              clock);
      Cluster cluster = gated.cluster();
      String ns = cluster.namespace();
      Credentials credentials =
          Credentials.keepingExisting(secret -> StoredSecrets.password(informers, ns, secret));
      DesiredState desired =
          DesiredStateGenerator.generate(
              cluster,
              PodEnvironment.read(informers, config, ns),
              PodEnvironment.backupSecretKeys(
                  informers, config, ns, Boolean.TRUE.equals(cluster.spec().enableLogicalBackup)),
              credentials);
      Reconciliation r =
          new Reconciliation(
              cluster, desired, informers, new KubernetesWriter(client, informers), events);
      gated
          .note()
          .ifPresent(
              note -> {
                r.note(note);
                r.waitForWindow();
              });
      if (majorUpgrade.running(cluster.uid())) {
        // Nothing else touches the pods while Spilo's upgrade script runs in the primary (upstream
        // runs it inside its sync); the pass only looks at it, and the exec's end wakes the next.
        List<Condition> reported = majorUpgrade.progress(r).stream().toList();
        return record(
            pg,
            StatusCalculator.Outcome.APPLIED,
            podsReady(cluster),
            String.join("; ", r.actions()),
            null,
            r.recheck().orElseGet(this::resyncInterval),
            reported,
            r.statusWritten());
      }
      // 1. Observe: one view of what the cluster has, from the caches.
      ObjectPlanner.Request request =
          new ObjectPlanner.Request(
              cluster,
              desired,
              infrastructureSecrets(cluster),
              Optional.empty(),
              Optional.of(
                  new ObjectPlanner.Rotation(clock.instant(), PasswordGenerator::generate)));
      ObservedCluster observed =
          ObservedClusterReader.read(informers, cluster, ObjectPlanner.reads(request));
      boolean ready = podsReady(cluster, observed.pods());
      // 2. Plan the object writes (a scale-down that would remove the primary is held until it
      // has handed over), 3. act on them, in upstream's order.
      Optional<Integer> hold = scaleDown.holdBeforeScalingDown(r, observed);
      PlanExecutor.act(r, ObjectPlanner.plan(request.holding(hold), observed));
      // Then the member steps, each planned as data and one step per pass. Pod recreation waits
      // for a successful Patroni configuration sync and its restarts (upstream:
      // pkg/cluster/sync.go, syncStatefulSet); a roll that has taken a pod down goes on while the
      // pods are not all ready.
      DataPlane plane = ready ? syncDataPlane(r) : DataPlane.SYNCED;
      RollingUpdateSync.State roll =
          plane == DataPlane.SYNCED ? rolling.sync(r) : RollingUpdateSync.State.ROLLING;
      List<Condition> reported = new ArrayList<>();
      if (ready && roll == RollingUpdateSync.State.IDLE) {
        // A primary on a node being drained moves off it; then the switchover and restart asked
        // for by annotation.
        onAddressedPods(
            r,
            pods -> {
              nodeDrain.sync(r, pods);
              return Optional.empty();
            });
        onAddressedPods(r, pods -> switchover.sync(r, pods)).ifPresent(reported::add);
        onAddressedPods(r, pods -> restart.sync(r, pods)).ifPresent(reported::add);
        // Last, as upstream: only a cluster that is otherwise in sync gets its major version
        // upgraded.
        onAddressedPods(r, pods -> majorVersionUpgrade(r, pg, manifest.postgresVersion(), pods))
            .ifPresent(reported::add);
      }
      String message = r.actions().isEmpty() ? "in sync" : String.join("; ", r.actions());
      Duration next =
          NextPass.after(roll, plane == DataPlane.FAILED, ready, r.recheck(), resyncInterval());
      if (r.waitsForWindow()) {
        next = untilWindowOpens(cluster, next);
      }
      StatusCalculator.Outcome outcome =
          roll == RollingUpdateSync.State.IDLE
              ? StatusCalculator.Outcome.APPLIED
              : StatusCalculator.Outcome.ROLLING;
      // 4. Record: status and Events, once.
      return record(pg, outcome, ready, message, null, next, reported, r.statusWritten());
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        // Our cache was a moment behind the API server (an object we saw missing exists, or
        // changed): not a failure.
        LOG.debug(
            "cluster {}/{}: conflict, retrying: {}",
            pg.getMetadata().getNamespace(),
            pg.getMetadata().getName(),
            e.getMessage());
        return UpdateControl.<Postgresql>noUpdate().rescheduleAfter(CONFLICT_RETRY);
      }
      return failed(pg, kubernetesError(e));
    } catch (GenerationException e) {
      return failed(pg, e.getMessage());
    }
  }

  /**
   * The credential Secret of each infrastructure role in the cluster's namespace, as for manifest
   * users, with the infrastructure secret's password (upstream: pkg/cluster/sync.go, updateSecret).
   */
  private List<ObjectPlanner.InfrastructureSecret> infrastructureSecrets(Cluster cluster) {
    return infrastructureRoles.stream()
        .map(
            role ->
                new ObjectPlanner.InfrastructureSecret(
                    role.name(),
                    CredentialSecretGenerator.secret(
                        cluster,
                        role.desired(cluster.namespace()),
                        (secret, user) -> role.password())))
        .toList();
  }

  /** Where the data plane stands after this pass's sync. */
  private enum DataPlane {
    SYNCED,
    /**
     * Members restart for a configuration change: the next pass comes soon, pod recreation waits.
     */
    RESTARTING,
    /**
     * Patroni's configuration could not be synced: pod recreation is postponed (upstream:
     * pkg/cluster/sync.go, syncStatefulSet).
     */
    FAILED
  }

  /**
   * Patroni configuration and SQL objects. Their failures are reported (Warning event) but do not
   * flip the status, as upstream's role and database sync errors do not (upstream:
   * pkg/cluster/sync.go, Sync); the next sync tries again.
   */
  private DataPlane syncDataPlane(Reconciliation r) {
    Cluster cluster = r.cluster();
    String ns = cluster.namespace();
    try {
      DataPlaneSync.Outcome done =
          dataPlane.sync(
              cluster,
              informers.ofCluster(Pod.class, ns, cluster.name()),
              secret -> StoredSecrets.field(informers, ns, secret, "password"),
              secret -> StoredSecrets.field(informers, ns, secret, "username"),
              infrastructureRoles,
              TeamMembers.of(cluster, informers.postgresTeams()));
      if (!done.actions().isEmpty()) {
        r.acted("Sync", String.join("; ", done.actions()));
      }
      if (!done.stillPending().isEmpty()) {
        r.warn(
            "Sync",
            "PostgreSQL still reports a pending restart after two restarts at "
                + String.join(", ", done.stillPending())
                + "; look at its log for a setting it cannot apply");
      }
      if (done.restartsInProgress()) {
        r.note("restarting members for a configuration change");
        return DataPlane.RESTARTING;
      }
      return DataPlane.SYNCED;
    } catch (SQLException e) {
      r.warn("Sync", "database sync failed, retrying at the next sync: " + e.getMessage());
      return DataPlane.SYNCED;
    } catch (PatroniException e) {
      r.warn(
          "Sync",
          "Patroni configuration sync failed, retrying at the next sync: " + e.getMessage());
      return DataPlane.FAILED;
    }
  }

  /**
   * What runs against the members once the cluster is in sync; it may report a status condition.
   */
  private interface MemberStep {
    Optional<Condition> run(List<Pod> pods) throws InterruptedException;
  }

  /** A step that talks to the members, run only when every pod has an address. */
  private Optional<Condition> onAddressedPods(Reconciliation r, MemberStep step) {
    List<Pod> pods = informers.ofCluster(Pod.class, r.cluster().namespace(), r.cluster().name());
    if (pods.isEmpty()
        || pods.stream().anyMatch(p -> p.getStatus() == null || p.getStatus().getPodIP() == null)) {
      return Optional.empty();
    }
    try {
      return step.run(pods);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * The next pass when work waits for a window: as it opens (a few seconds into it), if before
   * {@code next}.
   */
  private Duration untilWindowOpens(Cluster cluster, Duration next) {
    var opening =
        MaintenanceWindows.nextOpening(cluster.spec().maintenanceWindows, config, clock.instant());
    if (opening.isEmpty()) {
      return next;
    }
    Duration until = Duration.between(clock.instant(), opening.get()).plus(WINDOW_MARGIN);
    return until.compareTo(next) < 0 ? until : next;
  }

  /**
   * The major version upgrade; its start is written to the status at once, as it may run for
   * minutes.
   */
  private Optional<Condition> majorVersionUpgrade(
      Reconciliation r, Postgresql pg, String manifestVersion, List<Pod> pods)
      throws InterruptedException {
    return majorUpgrade.sync(
        r,
        pods,
        manifestVersion,
        started -> {
          writeStatusNow(
              pg,
              statuses.next(
                  pg,
                  StatusCalculator.Outcome.APPLIED,
                  true,
                  started.getMessage(),
                  List.of(started)));
          r.statusWritten(true);
        });
  }

  /**
   * A status written in the middle of a pass, for an operation that takes long enough to be
   * watched.
   */
  private void writeStatusNow(Postgresql pg, PostgresqlStatus status) {
    Postgresql fresh = statusOnly(pg, status);
    client
        .resource(fresh)
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), fresh);
  }

  /**
   * The resource reduced to its name and a status: a status patch that cannot touch anything else.
   */
  private static Postgresql statusOnly(Postgresql pg, PostgresqlStatus status) {
    Postgresql fresh = new Postgresql();
    fresh.setMetadata(
        new ObjectMetaBuilder()
            .withName(pg.getMetadata().getName())
            .withNamespace(pg.getMetadata().getNamespace())
            .build());
    fresh.setStatus(status);
    return fresh;
  }

  private UpdateControl<Postgresql> failed(Postgresql pg, String message) {
    LOG.warn(
        "cluster {}/{}: sync failed: {}",
        pg.getMetadata().getNamespace(),
        pg.getMetadata().getName(),
        message);
    return record(pg, StatusCalculator.Outcome.FAILED, false, message, "Sync", FAILURE_RETRY);
  }

  /** The pods are up when every instance has a Patroni role label and exactly one is the master. */
  boolean podsReady(Cluster cluster) {
    return podsReady(cluster, informers.ofCluster(Pod.class, cluster.namespace(), cluster.name()));
  }

  private boolean podsReady(Cluster cluster, List<Pod> pods) {
    int instances = cluster.effectiveInstances();
    if (instances == 0) {
      return true;
    }
    String roleLabel = config.podRoleLabel();
    long masters = pods.stream().filter(p -> "master".equals(role(p, roleLabel))).count();
    long replicas = pods.stream().filter(p -> "replica".equals(role(p, roleLabel))).count();
    return masters == 1 && masters + replicas >= instances;
  }

  private static String role(Pod p, String label) {
    Map<String, String> l = p.getMetadata().getLabels();
    return l == null ? null : l.get(label);
  }

  private UpdateControl<Postgresql> record(
      Postgresql pg,
      StatusCalculator.Outcome outcome,
      boolean ready,
      String message,
      String warningReason,
      Duration next) {
    return record(pg, outcome, ready, message, warningReason, next, List.of(), false);
  }

  private UpdateControl<Postgresql> record(
      Postgresql pg,
      StatusCalculator.Outcome outcome,
      boolean ready,
      String message,
      String warningReason,
      Duration next,
      List<Condition> reported,
      boolean writtenDuringPass) {
    PostgresqlStatus status = statuses.next(pg, outcome, ready, message, reported);
    activity.finished(
        pg,
        outcome == StatusCalculator.Outcome.APPLIED || outcome == StatusCalculator.Outcome.ROLLING,
        message);
    String before = pg.getStatus() == null ? null : pg.getStatus().postgresClusterStatus;
    if (warningReason != null
        && (!status.postgresClusterStatus.equals(before) || !sameMessage(pg, message))) {
      events.warning(pg, warningReason, message);
    }
    if (ClusterStatus.RUNNING.equals(status.postgresClusterStatus)
        && !ClusterStatus.RUNNING.equals(before)) {
      events.normal(pg, "StatefulSet", "Pods are ready");
    }
    UpdateControl<Postgresql> control;
    if (writtenDuringPass) {
      // JOSDK would patch the difference from the status it handed us, which the server no longer
      // has.
      writeStatusNow(pg, status);
      control = UpdateControl.noUpdate();
    } else if (StatusCalculator.sameStatus(pg.getStatus(), status)) {
      control = UpdateControl.noUpdate();
    } else {
      control = UpdateControl.patchStatus(statusOnly(pg, status));
    }
    return control.rescheduleAfter(next);
  }

  private static boolean sameMessage(Postgresql pg, String message) {
    return pg.getStatus() != null
        && pg.getStatus().conditions != null
        && pg.getStatus().conditions.stream()
            .anyMatch(
                c ->
                    StatusCalculator.RECONCILED.equals(c.getType())
                        && message.equals(c.getMessage()));
  }

  private Duration resyncInterval() {
    Duration resync = config.duration("resync_period");
    if (resync.isZero() || resync.isNegative()) {
      resync = Duration.ofMinutes(30);
    }
    long jitter = (long) (resync.toMillis() * 0.1 * ThreadLocalRandom.current().nextDouble());
    return resync.plusMillis(jitter);
  }

  private void ensureFinalizer(Postgresql pg) {
    List<String> finalizers =
        pg.getMetadata().getFinalizers() == null ? List.of() : pg.getMetadata().getFinalizers();
    boolean has = finalizers.contains(FINALIZER);
    if (usesFinalizer() == has) {
      return;
    }
    List<String> next = new ArrayList<>(finalizers);
    if (has) {
      next.remove(FINALIZER);
    } else {
      next.add(FINALIZER);
    }
    client.resource(pg).patch(PatchContext.of(PatchType.JSON_MERGE), finalizersPatch(next));
  }

  /**
   * Deletion of a resource held by our finalizer: refused while protected, else clean up and let it
   * go.
   */
  public void handleDeletion(Postgresql pg) {
    List<String> finalizers = pg.getMetadata().getFinalizers();
    if (finalizers == null || !finalizers.contains(FINALIZER)) {
      return;
    }
    var refusal = protection.refusal(pg);
    if (refusal.isPresent() && !config.bool("enable_owner_references")) {
      events.warning(pg, "Delete", refusal.get());
      return;
    }
    if (deletion.delete(pg)) {
      List<String> next = new ArrayList<>(finalizers);
      next.remove(FINALIZER);
      client.resource(pg).patch(PatchContext.of(PatchType.JSON_MERGE), finalizersPatch(next));
    }
  }

  /**
   * A merge patch of the finalizer list; an empty list is sent as null, which removes the field.
   */
  private static String finalizersPatch(List<String> finalizers) {
    return "{\"metadata\":{\"finalizers\":"
        + (finalizers.isEmpty() ? "null" : ManifestMapper.toJson(finalizers))
        + "}}";
  }

  static String kubernetesError(KubernetesClientException e) {
    String message =
        e.getStatus() != null && e.getStatus().getMessage() != null
            ? e.getStatus().getMessage()
            : e.getMessage();
    return "Kubernetes refused a change (HTTP " + e.getCode() + "): " + message;
  }
}
