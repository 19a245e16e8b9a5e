package dev.cornac.operator.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cornac.api.config.ConfigMapValues;
import dev.cornac.api.config.OperatorConfig;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.api.model.Postgresql;
import dev.cornac.generators.Cluster;
import dev.cornac.generators.naming.ClusterNames;
import dev.cornac.generators.naming.Role;
import dev.cornac.generators.plan.RollingUpdateMark;
import dev.cornac.operator.activity.ReconcileActivity;
import dev.cornac.operator.activity.RingLog;
import dev.cornac.operator.backups.BackupCatalog;
import dev.cornac.operator.backups.S3Location;
import dev.cornac.operator.config.ConfigurationStatus;
import dev.cornac.operator.infrastructure.InfrastructureRoles;
import dev.cornac.operator.reconcile.ClusterInformers;
import dev.cornac.operator.reconcile.PodEnvironment;
import dev.cornac.operator.rolling.RollingUpdateSlots;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's operator REST API (upstream: pkg/apiserver/apiserver.go, New) on {@code api_port},
 * read from the informer caches and the reconcile activity: {@code /status/}, {@code /config/}
 * (without any secret, unlike upstream), {@code /clusters/...}, {@code /workers/...}, {@code
 * /databases/}. Errors are HTTP 500 with {@code {"error": "..."}} as upstream answers.
 */
public final class OperatorApi {
  private static final ObjectMapper JSON = ManifestMapper.json();
  private static final Logger LOG = LoggerFactory.getLogger(OperatorApi.class);
  private static final Pattern TEAM = Pattern.compile("[a-zA-Z][a-zA-Z0-9\\-_]*");
  private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9\\-_]*[a-z0-9])?");

  /** Configuration keys whose values are credentials: shown as set or not, never as values. */
  static final Set<String> SECRET_KEYS =
      Set.of(
          "scalyr_api_key",
          "logical_backup_azure_storage_account_key",
          "logical_backup_s3_access_key_id",
          "logical_backup_s3_secret_access_key");

  static final String REDACTED = "(redacted)";

  private final OperatorConfig config;
  private final ConfigurationStatus configuration;
  private final RollingUpdateSlots rollingSlots;
  private final Supplier<ClusterInformers> informers;
  private final ReconcileActivity activity;
  private final RingLog ring;
  private final Supplier<List<InfrastructureRoles.Role>> infrastructureRoles;
  private final String controllerId;

  public OperatorApi(
      OperatorConfig config,
      ConfigurationStatus configuration,
      RollingUpdateSlots rollingSlots,
      Supplier<ClusterInformers> informers,
      ReconcileActivity activity,
      RingLog ring,
      Supplier<List<InfrastructureRoles.Role>> infrastructureRoles,
      String controllerId) {
    this.config = config;
    this.configuration = configuration;
    this.rollingSlots = rollingSlots;
    this.informers = informers;
    this.activity = activity;
    this.ring = ring;
    this.infrastructureRoles = infrastructureRoles;
    this.controllerId = controllerId;
  }

  /** An error the API reports as upstream does: HTTP 500, {@code {"error": message}}. */
  static final class ApiError extends RuntimeException {
    ApiError(String message) {
      super(message);
    }
  }

  public void routes(RoutesConfig routes) {
    routes.get("/status", ctx -> json(ctx, status()));
    routes.get("/config", ctx -> json(ctx, configuration()));
    routes.get("/clusters", ctx -> json(ctx, clustersByTeam()));
    routes.get("/clusters/{team}", ctx -> json(ctx, clustersOfTeam(ctx.pathParam("team"))));
    routes.get("/clusters/{namespace}/{name}", ctx -> json(ctx, cluster(key(ctx))));
    routes.get("/clusters/{namespace}/{name}/logs", ctx -> json(ctx, clusterLogs(key(ctx))));
    routes.get("/clusters/{namespace}/{name}/history", ctx -> json(ctx, history(key(ctx))));
    routes.get("/clusters/{namespace}/{name}/backups", ctx -> json(ctx, backups(key(ctx))));
    routes.get("/workers/all/queue", ctx -> json(ctx, allWorkers(this::queue)));
    routes.get("/workers/all/status", ctx -> json(ctx, allWorkers(this::workerStatus)));
    routes.get("/workers/{id}/queue", ctx -> json(ctx, queue(worker(ctx))));
    routes.get("/workers/{id}/logs", ctx -> json(ctx, workerLogs(worker(ctx))));
    routes.get("/workers/{id}/status", ctx -> json(ctx, workerStatus(worker(ctx))));
    routes.get("/databases", ctx -> json(ctx, databases()));
    routes.exception(ApiError.class, (e, ctx) -> error(ctx, e.getMessage()));
    routes.exception(
        RuntimeException.class,
        (e, ctx) -> {
          LOG.warn("operator API {} failed", ctx.path(), e);
          error(ctx, "internal error, see the operator log");
        });
  }

  private static void json(Context ctx, JsonNode body) throws Exception {
    ctx.contentType("application/json").result(JSON.writeValueAsString(body));
  }

  private static void error(Context ctx, String message) {
    ctx.status(500)
        .contentType("application/json")
        .result(JSON.createObjectNode().put("error", message).toString());
  }

  private List<Postgresql> clusters() {
    ClusterInformers i = informers.get();
    if (i == null) {
      throw new ApiError("the operator has not started watching yet");
    }
    return i.clusters();
  }

  private ReconcileActivity.Key key(Context ctx) {
    String ns = ctx.pathParam("namespace");
    String name = ctx.pathParam("name");
    if (!NAMESPACE.matcher(ns).matches() || !TEAM.matcher(name).matches()) {
      throw new ApiError("page not found");
    }
    return new ReconcileActivity.Key(ns, name);
  }

  private int worker(Context ctx) {
    try {
      int id = Integer.parseInt(ctx.pathParam("id"));
      if (id >= 0 && id < activity.workers()) {
        return id;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new ApiError(
        "worker id " + ctx.pathParam("id") + " is not between 0 and " + (activity.workers() - 1));
  }

  // /status/
  // ---------------------------------------------------------------------------------------------------------

  JsonNode status() {
    List<Postgresql> all = clusters();
    ObjectNode out = JSON.createObjectNode();
    out.put("LastSyncTime", activity.lastSyncTime().map(Instant::getEpochSecond).orElse(0L));
    out.put("Clusters", all.size());
    ObjectNode queues = out.putObject("WorkerQueueSize");
    Map<Integer, List<Postgresql>> pending = pendingByWorker(all);
    for (int id = 0; id < activity.workers(); id++) {
      queues.put(Integer.toString(id), pending.getOrDefault(id, List.of()).size());
    }
    // The fleet's rolling updates since this configuration revision: canary, rolling or paused, and
    // why.
    RollingUpdateSlots.Rollout rollout = rollingSlots.rollout();
    ObjectNode rolling = out.putObject("RollingUpdates");
    rolling.put("ConfigRevision", configuration.revision());
    rolling.put("Phase", rollout.phase().name());
    rolling.put("CanaryClusters", rollout.canaryClusters());
    rolling.set("CanaryDone", JSON.valueToTree(rollout.canaryDone()));
    ClusterInformers caches = informers.get();
    long toRoll =
        caches == null
            ? 0
            : all.stream()
                .filter(
                    pg ->
                        caches
                            .ofCluster(
                                Pod.class,
                                pg.getMetadata().getNamespace(),
                                pg.getMetadata().getName())
                            .stream()
                            .anyMatch(RollingUpdateMark::isMarked))
                .count();
    // Clusters with pods still to recreate (on an older spec or revision) and those done.
    rolling.put("ClustersToRoll", toRoll);
    rolling.put("ClustersUpToDate", all.size() - toRoll);
    rolling.put("Rolling", rollout.rolling());
    rolling.put("Waiting", rollout.waiting());
    rollout.pausedBy().ifPresent(c -> rolling.put("PausedBy", c));
    rollout.pauseReason().ifPresent(reason -> rolling.put("PauseReason", reason));
    return out;
  }

  // /config/
  // ---------------------------------------------------------------------------------------------------------

  JsonNode configuration() {
    ObjectNode out = JSON.createObjectNode();
    ObjectNode controller = out.putObject("controller");
    controller.put("ControllerID", controllerId);
    controller.put("Workers", activity.workers());
    controller.put("ConfigSource", config.source().toString());
    // Which revision of the ConfigMap/OperatorConfiguration runs; a change that was refused, and
    // why.
    controller.put("ConfigRevision", configuration.revision());
    controller.put("ConfigChangesApplied", configuration.applied());
    controller.put("ConfigChangesRefused", configuration.refused());
    configuration
        .lastRefusal()
        .ifPresent(
            r ->
                controller
                    .putObject("ConfigLastRefused")
                    .put("Revision", r.revision())
                    .put("Reason", r.reason())
                    .put("Time", r.at().toString()));
    ObjectNode roles = controller.putObject("InfrastructureRoles");
    for (InfrastructureRoles.Role r : infrastructureRoles.get()) {
      // Name, flags and memberships only: the password stays in its secret.
      ObjectNode role = roles.putObject(r.name());
      role.put("Name", r.name()).put("Origin", "infrastructure");
      role.set("Flags", JSON.valueToTree(r.flags()));
      role.set("MemberOf", JSON.valueToTree(r.memberOf()));
    }
    ObjectNode operator = out.putObject("operator");
    new TreeMap<>(config.asMap()).forEach((key, value) -> operator.set(key, redacted(key, value)));
    return out;
  }

  private static JsonNode redacted(String key, Object value) {
    if (SECRET_KEYS.contains(key)) {
      boolean set = value != null && !value.toString().isEmpty();
      return JSON.getNodeFactory().textNode(set ? REDACTED : "");
    }
    if (value instanceof Duration d) {
      return JSON.getNodeFactory().textNode(ConfigMapValues.formatDuration(d));
    }
    JsonNode node = JSON.valueToTree(value);
    return "sidecars".equals(key) ? redactEnv(node) : node;
  }

  private static final Pattern SECRET_ENV =
      Pattern.compile("(?i).*(pass|secret|token|key|credential|auth).*");

  /**
   * Literal env values named like credentials (a sidecar's, say) are redacted; references
   * (valueFrom) stay.
   */
  static JsonNode redactEnv(JsonNode node) {
    node.findParents("value")
        .forEach(
            p -> {
              if (p.isObject()
                  && p.path("name").isTextual()
                  && p.get("value").isTextual()
                  && SECRET_ENV.matcher(p.path("name").asText()).matches()) {
                ((ObjectNode) p).put("value", REDACTED);
              }
            });
    return node;
  }

  // /clusters/
  // -------------------------------------------------------------------------------------------------------

  private static String team(Postgresql pg) {
    String t = pg.getSpec() == null ? null : pg.getSpec().teamId;
    return t == null ? "" : t.toLowerCase(Locale.ROOT);
  }

  JsonNode clustersByTeam() {
    Map<String, Set<String>> byTeam = new TreeMap<>();
    for (Postgresql pg : clusters()) {
      byTeam.computeIfAbsent(team(pg), t -> new TreeSet<>()).add(pg.getMetadata().getName());
    }
    return JSON.valueToTree(byTeam);
  }

  JsonNode clustersOfTeam(String team) {
    if (!TEAM.matcher(team).matches()) {
      throw new ApiError("page not found");
    }
    Set<String> names = new TreeSet<>();
    for (Postgresql pg : clusters()) {
      if (team(pg).equals(team.toLowerCase(Locale.ROOT))) {
        names.add(pg.getMetadata().getName());
      }
    }
    if (names.isEmpty()) {
      throw new ApiError("could not find clusters for the team");
    }
    return JSON.valueToTree(names);
  }

  JsonNode cluster(ReconcileActivity.Key key) {
    ClusterInformers i = informers.get();
    Postgresql pg =
        (i == null ? Optional.<Postgresql>empty() : i.cluster(key.namespace(), key.name()))
            .orElseThrow(() -> new ApiError("could not find cluster"));
    String ns = key.namespace();
    String name = key.name();
    ObjectNode out = JSON.createObjectNode();
    out.put("Team", pg.getSpec() == null ? "" : pg.getSpec().teamId);
    out.put("Cluster", name);
    out.put("Namespace", ns);
    Cluster c = new Cluster(pg, config);
    out.set(
        "MasterService", object(i.get(Service.class, ns, ClusterNames.service(c, Role.MASTER))));
    out.set(
        "ReplicaService", object(i.get(Service.class, ns, ClusterNames.service(c, Role.REPLICA))));
    out.set(
        "MasterEndpoint", object(i.get(Endpoints.class, ns, ClusterNames.service(c, Role.MASTER))));
    out.set(
        "ReplicaEndpoint",
        object(i.get(Endpoints.class, ns, ClusterNames.service(c, Role.REPLICA))));
    out.set("StatefulSet", redactEnv(object(i.get(StatefulSet.class, ns, name))));
    out.set(
        "PrimaryPodDisruptionBudget",
        object(i.get(PodDisruptionBudget.class, ns, ClusterNames.primaryPdb(c))));
    out.set(
        "CriticalOpPodDisruptionBudget",
        object(i.get(PodDisruptionBudget.class, ns, ClusterNames.criticalOpPdb(c))));
    ObjectNode process = out.putObject("CurrentProcess");
    activity
        .running(key)
        .ifPresentOrElse(
            r -> process.put("Name", r.process()).put("StartTime", r.startTime().toString()),
            () -> process.put("Name", "").put("StartTime", ""));
    out.put("Worker", activity.workerOf(key));
    out.putObject("Status")
        .put(
            "PostgresClusterStatus",
            pg.getStatus() == null || pg.getStatus().postgresClusterStatus == null
                ? ""
                : pg.getStatus().postgresClusterStatus);
    out.set("Spec", JSON.valueToTree(pg.getSpec()));
    ObjectNode error = out.putObject("Error");
    activity
        .record(key)
        .flatMap(ReconcileActivity.Record::lastError)
        .ifPresent(m -> error.put("Message", m));
    return out;
  }

  private static JsonNode object(Optional<?> o) {
    return o.<JsonNode>map(JSON::valueToTree).orElse(JSON.nullNode());
  }

  JsonNode clusterLogs(ReconcileActivity.Key key) {
    ArrayNode out = JSON.createArrayNode();
    if (ring != null) {
      for (RingLog.Line l : ring.cluster(key.toString())) {
        ObjectNode line = out.addObject().put("Time", l.time().toString()).put("Level", l.level());
        if (l.worker() != null) {
          line.put("Worker", l.worker());
        }
        line.put("Message", l.message());
      }
    }
    return out;
  }

  JsonNode history(ReconcileActivity.Key key) {
    ArrayNode out = JSON.createArrayNode();
    for (ReconcileActivity.Change c : activity.history(key)) {
      ObjectNode entry =
          out.addObject()
              .put("EventTime", c.eventTime().toString())
              .put("ProcessTime", c.processTime().toString());
      entry.set("Diff", JSON.valueToTree(c.diff()));
    }
    return out;
  }

  /**
   * Cornac's: the cluster's base backups and recoverable range in its WAL-G archive, found with the
   * pods' own S3 settings; nothing secret in the answer.
   */
  JsonNode backups(ReconcileActivity.Key key) {
    ClusterInformers i = informers.get();
    Postgresql pg =
        (i == null ? Optional.<Postgresql>empty() : i.cluster(key.namespace(), key.name()))
            .orElseThrow(() -> new ApiError("could not find cluster"));
    Cluster cluster;
    try {
      cluster = new Cluster(pg, config);
    } catch (RuntimeException e) {
      throw new ApiError("the manifest of " + key + " is not valid: " + e.getMessage());
    }
    var env = PodEnvironment.values(i, config, key.namespace());
    var location =
        S3Location.of(config, cluster, env.get("configMap"), env.get("secret"))
            .orElseThrow(
                () ->
                    new ApiError(
                        key
                            + " has no WAL archive Cornac can read: set wal_s3_bucket (or "
                            + "WAL_S3_BUCKET) and AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY in pod_environment_secret"));
    BackupCatalog.Catalog catalog;
    try {
      catalog = BackupCatalog.list(location);
    } catch (BackupCatalog.BackupListingException e) {
      throw new ApiError(e.getMessage());
    }
    ObjectNode out = JSON.createObjectNode();
    out.put("Location", catalog.location());
    out.put("Earliest", catalog.earliest().map(Instant::toString).orElse(null));
    out.put("Latest", catalog.latest().map(Instant::toString).orElse(null));
    ArrayNode list = out.putArray("Backups");
    catalog
        .backups()
        .forEach(
            b ->
                list.addObject()
                    .put("Name", b.name())
                    .put("Finished", b.finished().toString())
                    .put("Size", b.size())
                    .put("StartLSN", b.startLsn())
                    .put("FinishLSN", b.finishLsn()));
    out.put("Uid", pg.getMetadata().getUid());
    return out;
  }

  // /workers/
  // --------------------------------------------------------------------------------------------------------

  private Map<Integer, List<Postgresql>> pendingByWorker(List<Postgresql> all) {
    Map<Integer, List<Postgresql>> out = new TreeMap<>();
    for (Postgresql pg : all) {
      if (activity.pending(pg).isPresent()) {
        out.computeIfAbsent(activity.workerOf(ReconcileActivity.Key.of(pg)), k -> new ArrayList<>())
            .add(pg);
      }
    }
    return out;
  }

  private JsonNode allWorkers(IntFunction<JsonNode> view) {
    ObjectNode out = JSON.createObjectNode();
    for (int id = 0; id < activity.workers(); id++) {
      out.set(Integer.toString(id), view.apply(id));
    }
    return out;
  }

  JsonNode queue(int worker) {
    List<Postgresql> pending =
        new ArrayList<>(pendingByWorker(clusters()).getOrDefault(worker, List.of()));
    pending.sort(Comparator.comparing(pg -> ReconcileActivity.Key.of(pg).toString()));
    ObjectNode out = JSON.createObjectNode();
    ArrayNode keys = out.putArray("Keys");
    ArrayNode list = out.putArray("List");
    for (Postgresql pg : pending) {
      String type = activity.pending(pg).orElse("SYNC");
      keys.add(type + "-" + pg.getMetadata().getUid());
      list.addObject()
          .put("EventType", type)
          .put("UID", pg.getMetadata().getUid())
          .put("Namespace", pg.getMetadata().getNamespace())
          .put("Name", pg.getMetadata().getName())
          .put("WorkerID", worker);
    }
    return out;
  }

  JsonNode workerStatus(int worker) {
    return activity.runningNow().entrySet().stream()
        .filter(e -> activity.workerOf(e.getKey()) == worker)
        .min(Comparator.comparing(e -> e.getValue().startTime()))
        .<JsonNode>map(
            e -> {
              ObjectNode busy = JSON.createObjectNode();
              busy.putObject("CurrentCluster")
                  .put("Namespace", e.getKey().namespace())
                  .put("Name", e.getKey().name());
              busy.putObject("CurrentProcess")
                  .put("Name", e.getValue().process())
                  .put("StartTime", e.getValue().startTime().toString());
              return busy;
            })
        .orElse(JSON.getNodeFactory().textNode("idle"));
  }

  JsonNode workerLogs(int worker) {
    ArrayNode out = JSON.createArrayNode();
    if (ring != null) {
      for (RingLog.Line l : ring.worker(worker)) {
        out.addObject()
            .put("Time", l.time().toString())
            .put("Level", l.level())
            .put("ClusterName", l.cluster())
            .put("Message", l.message());
      }
    }
    return out;
  }

  // /databases/
  // ------------------------------------------------------------------------------------------------------

  JsonNode databases() {
    Map<String, Set<String>> out = new TreeMap<>();
    for (Postgresql pg : clusters()) {
      Set<String> dbs = out.computeIfAbsent(pg.getMetadata().getName(), k -> new TreeSet<>());
      if (pg.getSpec() != null && pg.getSpec().databases != null) {
        dbs.addAll(pg.getSpec().databases.keySet());
      }
    }
    return JSON.valueToTree(out);
  }
}
