package dev.cornac.dataplane.patroni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cornac.api.model.Patroni;
import dev.cornac.dataplane.wait.Poll;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manifest's {@code patroni} section and DCS-level {@code postgresql.parameters} kept in
 * Patroni's dynamic configuration (upstream: pkg/cluster/sync.go, syncPatroniConfig,
 * checkAndSetGlobalPostgreSQLConfiguration and restartInstances): one PATCH with only what differs,
 * then a restart of every member that reports a pending restart in {@link PendingRestarts}' order.
 * The operator takes one {@link #restartStep} per pass; the local runtime waits with {@link #sync}.
 */
public final class PatroniConfigSync {
  /** How often a blocking {@link #sync} looks at the members again. */
  private static final Duration LOOK_AGAIN = Duration.ofMillis(500);

  private static final Logger LOG = LoggerFactory.getLogger(PatroniConfigSync.class);
  static final Set<String> LEADER_FIRST_WHEN_LOWERED =
      Set.of(
          "max_connections",
          "max_prepared_transactions",
          "max_locks_per_transaction",
          "max_worker_processes",
          "max_wal_senders");
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  public record Result(ObjectNode patch, List<String> restarted) {
    public boolean changed() {
      return !patch.isEmpty();
    }
  }

  private PatroniConfigSync() {}

  /**
   * What must be sent to make the effective configuration say what the manifest says; empty when
   * nothing.
   */
  public static ObjectNode diff(
      JsonNode effective,
      Patroni patroni,
      Map<String, String> dcsParameters,
      boolean failsafeDefault) {
    Patroni p = patroni == null ? new Patroni() : patroni;
    ObjectNode patch = F.objectNode();
    positive(patch, effective, "ttl", p.ttl == null ? null : p.ttl.longValue());
    positive(patch, effective, "loop_wait", p.loopWait == null ? null : p.loopWait.longValue());
    positive(
        patch,
        effective,
        "retry_timeout",
        p.retryTimeout == null ? null : p.retryTimeout.longValue());
    positive(patch, effective, "maximum_lag_on_failover", p.maximumLagOnFailover);
    if (p.synchronousMode != null
        && p.synchronousMode != effective.path("synchronous_mode").asBoolean(false)) {
      patch.put("synchronous_mode", p.synchronousMode);
    }
    if (p.synchronousModeStrict != null
        && p.synchronousModeStrict != effective.path("synchronous_mode_strict").asBoolean(false)) {
      patch.put("synchronous_mode_strict", p.synchronousModeStrict);
    }
    if (p.synchronousNodeCount != null
        && p.synchronousNodeCount > 0
        && p.synchronousNodeCount != effective.path("synchronous_node_count").asInt(1)) {
      patch.put("synchronous_node_count", p.synchronousNodeCount);
    }
    boolean failsafe = p.failsafeMode != null ? p.failsafeMode : failsafeDefault;
    if (!effective.has("failsafe_mode")
        || effective.path("failsafe_mode").asBoolean() != failsafe) {
      patch.put("failsafe_mode", failsafe);
    }
    if (p.slots != null) {
      ObjectNode slots = F.objectNode();
      new TreeMap<>(p.slots)
          .forEach(
              (name, slot) -> {
                JsonNode current = effective.path("slots").path(name);
                ObjectNode wanted = F.objectNode();
                if (slot != null) {
                  new TreeMap<>(slot).forEach(wanted::put);
                }
                if (!wanted.equals(current)) {
                  slots.set(name, wanted);
                }
              });
      if (!slots.isEmpty()) {
        patch.set("slots", slots);
      }
    }
    ObjectNode parameters = F.objectNode();
    JsonNode currentParameters = effective.path("postgresql").path("parameters");
    new TreeMap<>(dcsParameters)
        .forEach(
            (k, v) -> {
              JsonNode current = currentParameters.get(k);
              if (current == null || !current.asText().equals(v)) {
                parameters.put(k, v);
              }
            });
    if (p.pgHba != null && !p.pgHba.isEmpty()) {
      List<String> current = new ArrayList<>();
      effective.path("postgresql").path("pg_hba").forEach(n -> current.add(n.asText()));
      if (!current.equals(p.pgHba)) {
        // Patroni reads pg_hba under postgresql in the dynamic configuration (upstream sends it
        // top-level).
        patch
            .putObject("postgresql")
            .set("pg_hba", F.arrayNode().addAll(p.pgHba.stream().map(F::textNode).toList()));
      }
    }
    if (!parameters.isEmpty()) {
      ObjectNode postgresql =
          patch.has("postgresql")
              ? (ObjectNode) patch.get("postgresql")
              : patch.putObject("postgresql");
      postgresql.set("parameters", parameters);
    }
    return patch;
  }

  private static void positive(ObjectNode patch, JsonNode effective, String key, Long desired) {
    if (desired != null && desired > 0 && desired != effective.path(key).asLong(-1)) {
      patch.put(key, desired);
    }
  }

  /**
   * Whether the leader must restart first: every changed parameter is a lowered
   * max_connections-type setting.
   */
  static boolean leaderFirst(JsonNode effective, ObjectNode patch) {
    JsonNode changed = patch.path("postgresql").path("parameters");
    if (changed.isEmpty() || patch.size() > 1 || patch.path("postgresql").size() > 1) {
      return false;
    }
    var names = changed.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!LEADER_FIRST_WHEN_LOWERED.contains(name)) {
        return false;
      }
      long before =
          effective.path("postgresql").path("parameters").path(name).asLong(Long.MAX_VALUE);
      if (changed.path(name).asLong() >= before) {
        return false;
      }
    }
    return true;
  }

  /**
   * Sends what differs through one member: the patch (empty when nothing) and the round of restarts
   * it starts, or {@link RestartRound#none()} when no parameter changed (DCS timings, slots,
   * failsafe and pg_hba apply without a restart; only restarts an earlier change left pending are
   * then due).
   */
  public static Change apply(
      PatroniClient any,
      Patroni patroni,
      Map<String, String> dcsParameters,
      boolean failsafeDefault,
      Instant now) {
    JsonNode effective = any.config();
    ObjectNode patch = diff(effective, patroni, dcsParameters, failsafeDefault);
    if (patch.isEmpty()) {
      return new Change(patch, RestartRound.none());
    }
    LOG.info("patching Patroni's dynamic configuration: {}", patch);
    JsonNode after = any.patchConfig(patch);
    if (patch.path("postgresql").path("parameters").isEmpty()) {
      return new Change(patch, RestartRound.none());
    }
    // Each member notices the change on its own next HA loop: two loops and a margin for every flag
    // to show.
    long loopWait = after.path("loop_wait").asLong(effective.path("loop_wait").asLong(10));
    return new Change(
        patch,
        RestartRound.afterChange(
            leaderFirst(effective, patch), now, Duration.ofSeconds(2 * loopWait + 2)));
  }

  /** What {@link #apply} sent and the restarts it asks for. */
  public record Change(ObjectNode patch, RestartRound round) {}

  /**
   * One look at the members and the restarts due now ({@link PendingRestarts}); a pass's worth of
   * work.
   */
  public record Step(
      RestartRound round, List<String> restarted, boolean inProgress, List<String> givenUp) {}

  public static Step restartStep(List<PatroniClient> members, RestartRound round, Instant now) {
    List<PendingRestarts.Member> seen = new ArrayList<>();
    Map<String, PatroniClient> byName = new TreeMap<>();
    for (PatroniClient m : members) {
      String name = m.base().toString();
      byName.put(name, m);
      try {
        MemberStatus status = m.patroni();
        seen.add(
            new PendingRestarts.Member(
                name, status.role().isLeader(), true, status.pendingRestart()));
      } catch (PatroniException e) {
        seen.add(new PendingRestarts.Member(name, false, false, false));
      }
    }
    PendingRestarts.Decision decision = PendingRestarts.decide(seen, round, now);
    List<String> restarted = new ArrayList<>();
    for (String name : decision.restartNow()) {
      if (restart(byName.get(name))) {
        restarted.add(name);
      }
    }
    return new Step(
        round.restarted(decision.restartNow(), now),
        restarted,
        decision.inProgress(),
        decision.givenUp());
  }

  /**
   * Applies the diff and restarts pending members, waiting for them (the local runtime, a CLI: it
   * may block) up to {@code timeout}; what is still pending then is caught at the next sync.
   *
   * @param members every member's client, any order
   */
  public static Result sync(
      List<PatroniClient> members,
      Patroni patroni,
      Map<String, String> dcsParameters,
      boolean failsafeDefault,
      Duration timeout)
      throws InterruptedException {
    Change change = apply(members.get(0), patroni, dcsParameters, failsafeDefault, Instant.now());
    List<String> restarted = new ArrayList<>();
    RestartRound[] round = {change.round()};
    Poll.within(
        timeout,
        LOOK_AGAIN,
        () -> {
          Step step = restartStep(members, round[0], Instant.now());
          round[0] = step.round();
          restarted.addAll(step.restarted());
          return step.inProgress() ? Optional.empty() : Optional.of(step);
        },
        e -> e instanceof PatroniException);
    return new Result(change.patch(), restarted);
  }

  /** Restarts a pending member; false when Patroni found nothing to restart after all. */
  private static boolean restart(PatroniClient m) {
    try {
      m.restartPending();
      return true;
    } catch (PatroniException e) {
      // 503 "restart conditions are not satisfied": the flag was stale (the member restarted or
      // reloaded since we
      // looked). Nothing to do now; a pending restart that shows up again is caught at the next
      // look.
      if (e.status() != 503) {
        throw e;
      }
      LOG.info("no restart needed at {} after all: {}", m.base(), e.getMessage());
      return false;
    }
  }
}
