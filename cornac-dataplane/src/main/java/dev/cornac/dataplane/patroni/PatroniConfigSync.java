package dev.cornac.dataplane.patroni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cornac.api.model.Patroni;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manifest's {@code patroni} section and DCS-level {@code postgresql.parameters} kept in Patroni's dynamic
 * configuration (reference d.2): one PATCH with only what differs, then a restart of every member that reports a
 * pending restart — replicas first, except when the only changes lower max_connections-type settings, where the
 * leader goes first (a hot standby cannot run with lower values than its primary).
 */
public final class PatroniConfigSync {
  /** Two HA loops at the local runtime's loop_wait: how long all pending flags take to appear once one has. */
  static final Duration SETTLE = Duration.ofSeconds(5);
  private static final Logger LOG = LoggerFactory.getLogger(PatroniConfigSync.class);
  static final Set<String> LEADER_FIRST_WHEN_LOWERED = Set.of("max_connections", "max_prepared_transactions",
      "max_locks_per_transaction", "max_worker_processes", "max_wal_senders");
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  public record Result(ObjectNode patch, List<String> restarted) {
    public boolean changed() {
      return !patch.isEmpty();
    }
  }

  private PatroniConfigSync() {}

  /** What must be sent to make the effective configuration say what the manifest says; empty when nothing. */
  public static ObjectNode diff(JsonNode effective, Patroni patroni, Map<String, String> dcsParameters,
      boolean failsafeDefault) {
    Patroni p = patroni == null ? new Patroni() : patroni;
    ObjectNode patch = F.objectNode();
    positive(patch, effective, "ttl", p.ttl == null ? null : p.ttl.longValue());
    positive(patch, effective, "loop_wait", p.loopWait == null ? null : p.loopWait.longValue());
    positive(patch, effective, "retry_timeout", p.retryTimeout == null ? null : p.retryTimeout.longValue());
    positive(patch, effective, "maximum_lag_on_failover", p.maximumLagOnFailover);
    if (p.synchronousMode != null && p.synchronousMode != effective.path("synchronous_mode").asBoolean(false)) {
      patch.put("synchronous_mode", p.synchronousMode);
    }
    if (p.synchronousModeStrict != null
        && p.synchronousModeStrict != effective.path("synchronous_mode_strict").asBoolean(false)) {
      patch.put("synchronous_mode_strict", p.synchronousModeStrict);
    }
    if (p.synchronousNodeCount != null && p.synchronousNodeCount > 0
        && p.synchronousNodeCount != effective.path("synchronous_node_count").asInt(1)) {
      patch.put("synchronous_node_count", p.synchronousNodeCount);
    }
    boolean failsafe = p.failsafeMode != null ? p.failsafeMode : failsafeDefault;
    if (!effective.has("failsafe_mode") || effective.path("failsafe_mode").asBoolean() != failsafe) {
      patch.put("failsafe_mode", failsafe);
    }
    if (p.slots != null) {
      ObjectNode slots = F.objectNode();
      new TreeMap<>(p.slots).forEach((name, slot) -> {
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
    new TreeMap<>(dcsParameters).forEach((k, v) -> {
      JsonNode current = currentParameters.get(k);
      if (current == null || !current.asText().equals(v)) {
        parameters.put(k, v);
      }
    });
    if (p.pgHba != null && !p.pgHba.isEmpty()) {
      List<String> current = new ArrayList<>();
      effective.path("postgresql").path("pg_hba").forEach(n -> current.add(n.asText()));
      if (!current.equals(p.pgHba)) {
        // Patroni reads pg_hba under postgresql in the dynamic configuration (upstream sends it top-level).
        patch.putObject("postgresql").set("pg_hba", F.arrayNode().addAll(p.pgHba.stream().map(F::textNode).toList()));
      }
    }
    if (!parameters.isEmpty()) {
      ObjectNode postgresql = patch.has("postgresql") ? (ObjectNode) patch.get("postgresql")
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

  /** Whether the leader must restart first: every changed parameter is a lowered max_connections-type setting. */
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
      long before = effective.path("postgresql").path("parameters").path(name).asLong(Long.MAX_VALUE);
      if (changed.path(name).asLong() >= before) {
        return false;
      }
    }
    return true;
  }

  /**
   * Applies the diff through one member and restarts pending members.
   *
   * @param members every member's client, any order
   */
  public static Result sync(List<PatroniClient> members, Patroni patroni, Map<String, String> dcsParameters,
      boolean failsafeDefault, Duration restartWait) throws InterruptedException {
    PatroniClient any = members.get(0);
    JsonNode effective = any.config();
    ObjectNode patch = diff(effective, patroni, dcsParameters, failsafeDefault);
    List<String> restarted = new ArrayList<>();
    if (!patch.isEmpty()) {
      LOG.info("patching Patroni's dynamic configuration: {}", patch);
      any.patchConfig(patch);
    }
    boolean leaderFirst = leaderFirst(effective, patch);
    // Each member notices the change on its own next HA loop, so pending restarts show up one by one (the
    // primary's sometimes well after its replicas'): keep watching until the wait is over, or, once the primary has
    // restarted, until the flags have been quiet for a while.
    // Without a parameter change (DCS timings, slots, failsafe, pg_hba are applied without a restart), only
    // restarts an earlier change left pending are due: one look is enough.
    boolean parametersChanged = !patch.path("postgresql").path("parameters").isEmpty();
    Instant deadline = Instant.now().plus(parametersChanged ? restartWait : Duration.ZERO);
    Instant quietUntil = null;
    List<PatroniClient> done = new ArrayList<>();
    boolean again = true;
    boolean firstLook = true;
    boolean leaderRestarted = false;
    while (again || Instant.now().isBefore(quietUntil == null || !leaderRestarted ? deadline
        : min(quietUntil, deadline))) {
      if (!firstLook) {
        Thread.sleep(200);
      }
      firstLook = false;
      again = false;
      List<PatroniClient> replicas = new ArrayList<>();
      PatroniClient leader = null;
      for (PatroniClient m : members) {
        if (done.contains(m)) {
          continue;
        }
        MemberStatus status = m.patroni();
        if (!status.pendingRestart()) {
          continue;
        }
        if (status.role().isLeader()) {
          leader = m;
        } else {
          replicas.add(m);
        }
      }
      if (leader != null || !replicas.isEmpty()) {
        quietUntil = Instant.now().plus(SETTLE);
      }
      // Replicas first, except for decreases that the primary must see first (upstream's exception).
      if (leader != null && (leaderFirst || replicas.isEmpty())) {
        restart(leader, done, restarted);
        leaderRestarted = true;
      }
      for (PatroniClient r : replicas) {
        restart(r, done, restarted);
      }
      // The replicas went first; the primary's turn comes on the next look, even when the wait is over.
      again = leader != null && !done.contains(leader);
    }
    return new Result(patch, restarted);
  }

  private static void restart(PatroniClient m, List<PatroniClient> done, List<String> restarted) {
    done.add(m);
    try {
      m.restartPending();
      restarted.add(m.base().toString());
    } catch (PatroniException e) {
      // 503 "restart conditions are not satisfied": the flag was stale (the member restarted or reloaded since we
      // looked). Nothing to do now; a pending restart that shows up again is caught at the next sync.
      if (e.status() != 503) {
        throw e;
      }
      LOG.info("no restart needed at {} after all: {}", m.base(), e.getMessage());
    }
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
