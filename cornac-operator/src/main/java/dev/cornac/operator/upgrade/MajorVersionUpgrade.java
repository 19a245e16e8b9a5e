package dev.cornac.operator.upgrade;

import dev.cornac.api.cluster.MaintenanceWindows;
import dev.cornac.api.config.OperatorConfig;
import dev.cornac.api.model.Postgresql;
import dev.cornac.dataplane.MemberEndpoints;
import dev.cornac.dataplane.patroni.ClusterMember;
import dev.cornac.dataplane.patroni.MemberStatus;
import dev.cornac.dataplane.patroni.PatroniException;
import dev.cornac.dataplane.patroni.PatroniRole;
import dev.cornac.generators.Cluster;
import dev.cornac.generators.naming.ClusterLabels;
import dev.cornac.generators.statefulset.SpiloEnvironment;
import dev.cornac.operator.kubernetes.PodExec;
import dev.cornac.operator.reconcile.Reconciliation;
import dev.cornac.operator.switchover.PodMembers;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The in-place major version upgrade (upstream: pkg/cluster/majorversionupgrade.go,
 * majorVersionUpgrade): when the manifest asks for a newer major version than the primary runs, and
 * the checks pass, Spilo's upgrade script runs in the primary pod by exec while every pod carries
 * the critical-operation label (which the critical-operation PDB protects from eviction). The
 * outcome is recorded as upstream does, in the annotations {@code
 * last-major-upgrade-success|failure}; a recorded failure is not retried until the user reverts the
 * version or removes the annotation. Progress and outcome are the status condition {@code
 * MajorVersionUpgrade} and Events with upstream's reason.
 */
public final class MajorVersionUpgrade {
  public static final String SUCCESS_ANNOTATION = "last-major-upgrade-success";
  public static final String FAILURE_ANNOTATION = "last-major-upgrade-failure";
  public static final String CONDITION = "MajorVersionUpgrade";
  public static final String EVENT_REASON = "Major Version Upgrade";
  static final String CONTAINER = "postgres";

  /**
   * Spilo's upgrade copies no data (hard links) but runs ANALYZE; an hour is far beyond what it
   * needs.
   */
  static final Duration UPGRADE_TIMEOUT = Duration.ofHours(1);

  static final Duration ID_TIMEOUT = Duration.ofSeconds(30);

  /** A safety net: the end of the exec wakes the cluster's next pass itself. */
  static final Duration UPGRADE_RECHECK = Duration.ofMinutes(1);

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private final OperatorConfig config;
  private final MemberEndpoints endpoints;
  private final KubernetesClient client;
  private final PodExec exec;
  private final Clock clock;

  /**
   * Failures recorded by this process, by resource uid and version, until the cache shows the
   * annotation: it may reach the cache after the next pass, and a failed upgrade must not run
   * twice.
   */
  private final Map<String, String> failedHere = new ConcurrentHashMap<>();

  /**
   * The primary's server_version seen at the last check, by resource uid (upstream keeps it the
   * same way).
   */
  private final Map<String, Integer> lastSeenVersion = new ConcurrentHashMap<>();

  /** The last outcome reported by this process, by resource uid, until the cache shows it. */
  private final Map<String, Condition> reportedHere = new ConcurrentHashMap<>();

  /** Upgrades under way, by resource uid. */
  private final Map<String, Running> running = new ConcurrentHashMap<>();

  private volatile Consumer<ResourceID> onFinished = id -> {};

  public MajorVersionUpgrade(
      OperatorConfig config, MemberEndpoints endpoints, KubernetesClient client, Clock clock) {
    this.config = config;
    this.endpoints = endpoints;
    this.client = client;
    this.exec = new PodExec(client);
    this.clock = clock;
  }

  /** The exact command upstream runs in the primary's container. */
  public static String upgradeCommand(int pods) {
    return "set -o pipefail && /usr/bin/python3 /scripts/inplace_upgrade.py "
        + pods
        + " 2>&1 | tee last_upgrade.log";
  }

  /**
   * @param manifestVersion the version the manifest asks for, before a maintenance window holds it
   *     back
   * @param progress told when an upgrade starts, so the status shows it while the script runs
   * @return the condition to report when an upgrade ran
   */
  public Optional<Condition> sync(
      Reconciliation r, List<Pod> pods, String manifestVersion, Consumer<Condition> progress) {
    String uid = r.cluster().uid();
    Condition remembered = reportedHere.get(uid);
    if (remembered != null
        && cached(r)
            .filter(
                c ->
                    c.getReason().equals(remembered.getReason())
                        && c.getMessage().equals(remembered.getMessage()))
            .isPresent()) {
      reportedHere.remove(uid);
    }
    Optional<Condition> outcome = upgrade(r, pods, manifestVersion, progress);
    outcome.ifPresent(c -> reportedHere.put(uid, c));
    // A pass that starts from a cache older than our last outcome would otherwise write the older
    // condition back.
    return outcome.or(() -> Optional.ofNullable(reportedHere.get(uid)));
  }

  private static Optional<Condition> cached(Reconciliation r) {
    var status = r.resource().getStatus();
    return status == null || status.conditions == null
        ? Optional.empty()
        : status.conditions.stream().filter(c -> CONDITION.equals(c.getType())).findFirst();
  }

  private Optional<Condition> upgrade(
      Reconciliation r, List<Pod> pods, String manifestVersion, Consumer<Condition> progress) {
    Cluster c = r.cluster();
    String desired = SpiloEnvironment.desiredMajorVersion(c);
    boolean upToDate =
        lastSeenVersion.getOrDefault(c.uid(), 0) >= MajorUpgradeChecks.major(desired) * 10000;
    if (!MajorUpgradeChecks.enabled(
            config.string("major_version_upgrade_mode"),
            config.list("major_version_upgrade_team_allow_list"),
            c.teamId())
        || (upToDate && !c.annotations().containsKey(FAILURE_ANNOTATION))) {
      // As upstream (majorVersionUpgrade's check of currentMajorVersion): the version seen last
      // time is enough to know there is nothing to do, without asking.
      return Optional.empty();
    }
    PodMembers members = new PodMembers(endpoints, pods);
    Map<String, Optional<MemberStatus>> statuses = new LinkedHashMap<>();
    for (Pod p : pods) {
      String name = p.getMetadata().getName();
      statuses.put(name, patroniOf(members, name));
    }
    String primaryName =
        statuses.entrySet().stream()
            .filter(e -> e.getValue().map(s -> s.role() == PatroniRole.LEADER).orElse(false))
            .map(Map.Entry::getKey)
            .findFirst()
            .orElse(null);
    if (primaryName != null) {
      lastSeenVersion.put(c.uid(), statuses.get(primaryName).orElseThrow().serverVersion());
    }
    if (c.annotations().containsKey(FAILURE_ANNOTATION)) {
      // The cache shows our annotation: from now on it alone decides (the user may remove it to try
      // again).
      forgetFailures(c);
    }
    Optional<String> failure =
        Optional.ofNullable(c.annotations().get(FAILURE_ANNOTATION))
            .or(() -> Optional.ofNullable(failedHere.get(c.uid() + "/" + desired)));
    List<ClusterMember> view = List.of();
    if (primaryName != null) {
      try {
        view = members.client(primaryName).cluster();
      } catch (PatroniException e) {
        r.note(
            "the major version check could not read the members from "
                + primaryName
                + ": "
                + e.getMessage());
        return Optional.empty();
      }
    }
    boolean inWindow =
        MaintenanceWindows.inWindow(c.spec().maintenanceWindows, config, clock.instant());
    var decision =
        MajorUpgradeChecks.decide(
            new MajorUpgradeChecks.Facts(
                config.string("major_version_upgrade_mode"),
                config.list("major_version_upgrade_team_allow_list"),
                c.teamId(),
                desired,
                manifestVersion,
                statuses,
                view,
                failure,
                inWindow));
    switch (decision.action()) {
      case SKIP -> {
        decision.reason().ifPresent(r::note);
        if (decision.waiting()) {
          r.recheckIn(Reconciliation.SOON);
        } else if (!inWindow && decision.reason().isPresent()) {
          r.waitForWindow();
        }
        return Optional.empty();
      }
      case CLEAR_FAILURE -> {
        annotate(c, FAILURE_ANNOTATION, null);
        forgetFailures(c);
        r.acted(
            EVENT_REASON,
            "removed the annotation "
                + FAILURE_ANNOTATION
                + ": the cluster runs PostgreSQL "
                + decision.currentMajor()
                + " as its manifest asks");
        return Optional.empty();
      }
      default -> {
        return Optional.of(
            start(r, pods, decision.primaryPod(), decision.currentMajor(), desired, progress));
      }
    }
  }

  /**
   * Starts Spilo's script in the primary: the pods are labelled, the status says so at once, and
   * the exec runs on the client's threads; {@link #progress} finishes it in the pass after it ends.
   */
  private Condition start(
      Reconciliation r,
      List<Pod> pods,
      String primary,
      int from,
      String to,
      Consumer<Condition> progress) {
    Cluster c = r.cluster();
    Running run =
        new Running(
            ResourceID.fromResource(r.resource()),
            primary,
            from,
            to,
            pods.stream().map(p -> p.getMetadata().getName()).toList(),
            clock.instant(),
            new CompletableFuture<>());
    Condition started =
        condition(false, "InProgress", run.upgrade() + " running in pod " + primary);
    progress.accept(started);
    r.acted(
        EVENT_REASON,
        "starting major version upgrade on pod "
            + primary
            + " of "
            + pods.size()
            + " pods: "
            + run.upgrade());
    labelPods(c, run.pods(), "true");
    running.put(c.uid(), run);
    exec.start(c.namespace(), primary, CONTAINER, ID_TIMEOUT, "/usr/bin/id", "-u")
        .thenCompose(
            id -> {
              if (!id.succeeded()) {
                return CompletableFuture.completedFuture(
                    new Attempt(
                        false,
                        id,
                        "checking the user id in pod " + primary + " failed: " + firstLine(id)));
              }
              String command = upgradeCommand(pods.size());
              String[] shell =
                  "0".equals(id.stdout().strip())
                      ? new String[] {"/bin/su", "postgres", "-c", command}
                      : new String[] {"/bin/bash", "-c", command};
              return exec.start(c.namespace(), primary, CONTAINER, UPGRADE_TIMEOUT, shell)
                  .thenCompose(
                      result ->
                          result.succeeded()
                              ? CompletableFuture.completedFuture(new Attempt(true, result, null))
                              : exec.start(
                                      c.namespace(),
                                      primary,
                                      CONTAINER,
                                      ID_TIMEOUT,
                                      "tail",
                                      "-n",
                                      "1",
                                      "last_upgrade.log")
                                  .thenApply(
                                      tail ->
                                          new Attempt(
                                              true,
                                              result,
                                              tail.stdout().isBlank()
                                                  ? firstLine(result)
                                                  : tail.stdout().strip())));
            })
        .whenComplete(
            (attempt, failure) -> {
              run.attempt()
                  .complete(
                      attempt != null
                          ? attempt
                          : new Attempt(
                              false,
                              new PodExec.Result(-1, "", String.valueOf(failure)),
                              "the upgrade could not run: " + failure.getMessage()));
              onFinished.accept(run.resource());
            });
    return started;
  }

  /**
   * The upgrade under way, if any: its condition while the script runs (the pass changes nothing
   * else), its outcome recorded in the pass after it ended.
   */
  public Optional<Condition> progress(Reconciliation r) {
    String uid = r.cluster().uid();
    Running run = running.get(uid);
    if (run == null) {
      return Optional.empty();
    }
    if (!run.attempt().isDone()) {
      r.note(
          run.upgrade()
              + " running in pod "
              + run.primary()
              + " since "
              + STAMP.format(run.started().truncatedTo(ChronoUnit.SECONDS)));
      r.recheckIn(UPGRADE_RECHECK);
      return Optional.of(
          condition(false, "InProgress", run.upgrade() + " running in pod " + run.primary()));
    }
    running.remove(uid);
    Condition outcome = finish(r, run, run.attempt().join());
    reportedHere.put(uid, outcome);
    return Optional.of(outcome);
  }

  /**
   * Whether Spilo's script is running in one of the cluster's pods (nothing else may touch them
   * meanwhile).
   */
  public boolean running(String uid) {
    return running.containsKey(uid);
  }

  /**
   * Told when an upgrade's exec has ended, so that the cluster's next pass records it without
   * waiting.
   */
  public void onFinished(Consumer<ResourceID> listener) {
    this.onFinished = listener;
  }

  /** The cluster is gone: its upgrade is no longer watched. */
  public void forget(String uid) {
    running.remove(uid);
  }

  private Condition finish(Reconciliation r, Running run, Attempt attempt) {
    Cluster c = r.cluster();
    labelPods(c, run.pods(), null);
    if (!attempt.ran()) {
      String message = attempt.lastLine() + "; retrying at the next sync";
      r.warn(EVENT_REASON, message);
      return condition(false, "Failed", message);
    }
    String stamp = STAMP.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
    if (attempt.result().succeeded()) {
      annotate(c, SUCCESS_ANNOTATION, stamp);
      String message = run.upgrade() + " finished in pod " + run.primary();
      r.acted(EVENT_REASON, message);
      return condition(true, "Succeeded", message + " at " + stamp);
    }
    failedHere.put(c.uid() + "/" + run.to(), stamp);
    annotate(c, FAILURE_ANNOTATION, stamp);
    String message =
        run.upgrade()
            + " FAILED in pod "
            + run.primary()
            + ": "
            + attempt.lastLine()
            + " — not retried until the annotation "
            + FAILURE_ANNOTATION
            + " is removed or spec.postgresql.version set "
            + "back to "
            + run.from();
    r.warn(EVENT_REASON, message);
    return condition(false, "Failed", message);
  }

  /** An upgrade started by this process; its exec ends on the client's threads. */
  private record Running(
      ResourceID resource,
      String primary,
      int from,
      String to,
      List<String> pods,
      Instant started,
      CompletableFuture<Attempt> attempt) {
    String upgrade() {
      return "upgrade from PostgreSQL " + from + " to " + to;
    }
  }

  /**
   * How the exec went: {@code ran} is false when the script never started (the user id could not be
   * read), which is retried; {@code lastLine} is the log's last line on failure.
   */
  private record Attempt(boolean ran, PodExec.Result result, String lastLine) {}

  private void forgetFailures(Cluster c) {
    failedHere.keySet().removeIf(k -> k.startsWith(c.uid() + "/"));
  }

  private Optional<MemberStatus> patroniOf(PodMembers members, String pod) {
    try {
      return Optional.of(members.client(pod).patroni());
    } catch (PatroniException e) {
      return Optional.empty();
    }
  }

  private void labelPods(Cluster c, List<String> pods, String value) {
    for (String name : pods) {
      var pod = client.pods().inNamespace(c.namespace()).withName(name);
      ignoringGone(
          () -> {
            if (value == null) {
              pod.patch(
                  PatchContext.of(PatchType.JSON),
                  removal("labels", ClusterLabels.CRITICAL_OPERATION));
            } else {
              pod.patch(
                  PatchContext.of(PatchType.JSON_MERGE),
                  "{\"metadata\":{\"labels\":{\""
                      + ClusterLabels.CRITICAL_OPERATION
                      + "\":\""
                      + value
                      + "\"}}}");
            }
          });
    }
  }

  private void annotate(Cluster c, String key, String value) {
    var resource = client.resources(Postgresql.class).inNamespace(c.namespace()).withName(c.name());
    if (value == null) {
      ignoringGone(
          () -> resource.patch(PatchContext.of(PatchType.JSON), removal("annotations", key)));
    } else {
      resource.patch(
          PatchContext.of(PatchType.JSON_MERGE),
          "{\"metadata\":{\"annotations\":{\"" + key + "\":\"" + value + "\"}}}");
    }
  }

  /**
   * A JSON patch removing one metadata key: a merge patch's null is kept as a value by some API
   * servers' fakes.
   */
  private static String removal(String map, String key) {
    return "[{\"op\":\"remove\",\"path\":\"/metadata/"
        + map
        + "/"
        + key.replace("~", "~0").replace("/", "~1")
        + "\"}]";
  }

  /**
   * Removing what is already gone (a recreated pod, an annotation removed by the user) is not an
   * error.
   */
  private static void ignoringGone(Runnable patch) {
    try {
      patch.run();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND && e.getCode() != 422) {
        throw e;
      }
    }
  }

  private static String firstLine(PodExec.Result r) {
    String text = !r.stderr().isBlank() ? r.stderr() : r.stdout();
    text = text.strip();
    int nl = text.indexOf('\n');
    return text.isEmpty() ? "exit code " + r.exitCode() : nl < 0 ? text : text.substring(0, nl);
  }

  static Condition condition(boolean ok, String reason, String message) {
    return new ConditionBuilder()
        .withType(CONDITION)
        .withStatus(ok ? "True" : "False")
        .withReason(reason)
        .withMessage(message)
        .build();
  }
}
