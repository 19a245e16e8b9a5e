package dev.cornac.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cornac.dataplane.patroni.ClusterMember;
import dev.cornac.dataplane.patroni.PatroniException;
import dev.cornac.dataplane.rolling.RollMember;
import dev.cornac.dataplane.rolling.RollPlanner;
import dev.cornac.dataplane.rolling.RollStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code cornac local restart}: every member's PostgreSQL restarted in the operator's rolling order
 * ({@link RollPlanner}): replicas one at a time, each streaming again before the next, then one
 * switchover to a restarted replica, then the old primary. PostgreSQL starts from the installed
 * binaries again, so a minor update the package manager installed takes effect with one switchover
 * as the only unavailability. Patroni's own restart is used: it keeps the member in the cluster and
 * answers once PostgreSQL is back.
 */
final class RollingRestart {
  private static final Duration POLL = Duration.ofMillis(200);

  /** What was done, in order, for the user. */
  record Outcome(List<String> steps, int switchovers) {}

  private RollingRestart() {}

  static Outcome run(LocalState state, Progress progress) throws Exception {
    Set<String> pending = new HashSet<>();
    state.members().forEach(m -> pending.add(m.name()));
    Optional<String> demoting = Optional.empty();
    List<String> steps = new ArrayList<>();
    int switchovers = 0;
    while (true) {
      RollStep step = next(state, pending, demoting);
      if (step instanceof RollStep.Done) {
        return new Outcome(steps, switchovers);
      } else if (step instanceof RollStep.Recreate r) {
        LocalState.Member m = state.member(r.member()).orElseThrow();
        String what =
            "restarting "
                + m.name()
                + (r.downtime()
                    ? " (the only member: PostgreSQL is down while it restarts)"
                    : demoting.filter(m.name()::equals).isPresent()
                        ? " (the old primary, now a replica)"
                        : " (replica)");
        progress.step(what, () -> restart(state, m));
        steps.add(what);
        pending.remove(m.name());
        if (demoting.filter(m.name()::equals).isPresent()) {
          demoting = Optional.empty();
        }
      } else if (step instanceof RollStep.Switchover s) {
        LocalState.Member leader = state.member(s.leader()).orElseThrow();
        LocalState.Member target = state.member(s.candidate()).orElseThrow();
        String what = "switching over from " + leader.name() + " to " + target.name();
        progress.step(what, () -> ReadinessWaits.switchover(state, leader, target));
        steps.add(what);
        switchovers++;
        demoting = Optional.of(leader.name());
      }
    }
  }

  /** The planner's next step once it is not "wait"; a wait that lasts says what it waits for. */
  private static RollStep next(LocalState state, Set<String> pending, Optional<String> demoting)
      throws InterruptedException {
    String[] waitingFor = {"no member answers Patroni's REST API"};
    return Waits.until(
        ReadinessWaits.READY_TIMEOUT,
        POLL,
        () -> {
          List<ClusterMember> view = LocalPatroni.clusterView(state).orElse(List.of());
          RollStep step = RollPlanner.next(facts(state, view, pending, demoting));
          if (step instanceof RollStep.Wait w) {
            waitingFor[0] = w.reason();
            return Optional.empty();
          }
          return Optional.of(step);
        },
        () ->
            "the restart of "
                + state.name()
                + " stopped half-way: "
                + waitingFor[0]
                + " after "
                + ReadinessWaits.READY_TIMEOUT.toSeconds()
                + " s; see `cornac local status "
                + state.name()
                + "`, then run `cornac local restart "
                + state.name()
                + "` again");
  }

  private static RollPlanner.Facts facts(
      LocalState state, List<ClusterMember> view, Set<String> pending, Optional<String> demoting) {
    List<RollMember> members =
        state.membersByOrdinal().stream()
            .map(
                m ->
                    new RollMember(
                        m.name(),
                        pending.contains(m.name()),
                        view.stream().anyMatch(v -> v.name().equals(m.name())),
                        !pending.contains(m.name())))
            .toList();
    JsonNode config = dynamicConfig(view, state);
    return new RollPlanner.Facts(
        members,
        view,
        config.path("maximum_lag_on_failover").asLong(1048576),
        config.path("synchronous_mode").asBoolean(false),
        demoting);
  }

  private static JsonNode dynamicConfig(List<ClusterMember> view, LocalState state) {
    for (ClusterMember v : view) {
      Optional<LocalState.Member> m = state.member(v.name());
      if (m.isPresent()) {
        try {
          return LocalPatroni.client(m.get()).config();
        } catch (PatroniException e) {
          // ask the next member
        }
      }
    }
    throw new PatroniException("no member of " + state.name() + " answers GET /config", 0);
  }

  private static String restart(LocalState state, LocalState.Member m) {
    try {
      return LocalPatroni.patientClient(m).restart();
    } catch (PatroniException e) {
      throw new LocalRuntimeException(
          "Patroni did not restart "
              + m.name()
              + ": "
              + e.getMessage()
              + "; see `cornac local logs "
              + state.name()
              + " "
              + m.name()
              + "`, then run `cornac local restart "
              + state.name()
              + "` again",
          e);
    }
  }
}
