package dev.cornac.dataplane.rolling;

import dev.cornac.dataplane.patroni.ClusterMember;
import dev.cornac.dataplane.switchover.Switchover;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The next step of a rolling update (upstream's recreatePods, docs/compatibility.md "Rolling
 * updates"), decided from what is observed now, so that a roll advances one step per pass and
 * resumes from the marks after a restart: replicas first, one at a time, each only once every
 * member already rolled streams again within {@code maximum_lag_on_failover}; then exactly one
 * switchover, to a healthy replica that already runs the desired spec; then the old primary, which
 * by then is a marked replica like the others.
 */
public final class RollPlanner {
  /**
   * @param members the members as they run, in StatefulSet order
   * @param patroni Patroni's view ({@code GET /cluster}); empty when no member answered
   * @param maxLagBytes {@code maximum_lag_on_failover}
   * @param synchronousMode Patroni's {@code synchronous_mode}: only a synchronous standby may take
   *     over
   * @param demoting the old primary of this roll's switchover, until it has been recreated: it is
   *     not stopped before it follows the new leader ({@link Switchover#settled})
   */
  public record Facts(
      List<RollMember> members,
      List<ClusterMember> patroni,
      long maxLagBytes,
      boolean synchronousMode,
      Optional<String> demoting) {
    public Facts(
        List<RollMember> members,
        List<ClusterMember> patroni,
        long maxLagBytes,
        boolean synchronousMode) {
      this(members, patroni, maxLagBytes, synchronousMode, Optional.empty());
    }
  }

  private RollPlanner() {}

  public static RollStep next(Facts f) {
    List<RollMember> members =
        f.members().stream().sorted(Comparator.comparingInt(m -> ordinal(m.name()))).toList();
    Optional<RollMember> down = members.stream().filter(m -> !m.up()).findFirst();
    if (down.isPresent()) {
      return new RollStep.Wait(
          "pod " + down.get().name() + " is not running with a Patroni role yet");
    }
    boolean anyMarked = members.stream().anyMatch(RollMember::marked);
    if (members.size() == 1 && anyMarked) {
      return new RollStep.Recreate(members.get(0).name(), true);
    }
    if (f.patroni().isEmpty()) {
      return new RollStep.Wait("no member answers Patroni's REST API");
    }
    Optional<String> leader = Switchover.leader(f.patroni());
    if (leader.isEmpty()) {
      return new RollStep.Wait("the cluster has no leader right now");
    }
    if (f.demoting().isPresent()
        && !Switchover.settled(f.patroni(), f.demoting().get(), leader.get())) {
      return new RollStep.Wait("the old primary " + f.demoting().get() + " is still demoting");
    }
    Set<String> marked =
        members.stream()
            .filter(RollMember::marked)
            .map(RollMember::name)
            .collect(Collectors.toSet());
    // Every member already rolled must stream again before the next one goes: a roll never takes
    // two down.
    for (RollMember m : members) {
      if (!m.marked() && !m.name().equals(leader.get())) {
        Optional<String> unhealthy = unhealthy(m.name(), f);
        if (unhealthy.isPresent()) {
          return new RollStep.Wait(unhealthy.get());
        }
      }
    }
    Optional<RollMember> replica =
        members.stream().filter(m -> m.marked() && !m.name().equals(leader.get())).findFirst();
    if (replica.isPresent()) {
      return new RollStep.Recreate(replica.get().name(), false);
    }
    if (!marked.contains(leader.get())) {
      return new RollStep.Done();
    }
    Set<String> current =
        members.stream()
            .filter(RollMember::currentSpec)
            .map(RollMember::name)
            .collect(Collectors.toSet());
    Optional<String> candidate =
        Switchover.candidate(f.patroni(), f.synchronousMode(), current::contains);
    if (candidate.isEmpty()) {
      return new RollStep.Wait(
          "no replica running the new spec is ready to take over from "
              + leader.get()
              + (f.synchronousMode()
                  ? " (synchronous mode: a synchronous standby is needed)"
                  : ""));
    }
    return new RollStep.Switchover(leader.get(), candidate.get());
  }

  private static Optional<String> unhealthy(String name, Facts f) {
    Optional<ClusterMember> seen =
        f.patroni().stream().filter(m -> m.name().equals(name)).findFirst();
    if (seen.isEmpty()) {
      return Optional.of("replica " + name + " has not joined the cluster yet");
    }
    ClusterMember m = seen.get();
    if (!m.isStreamingOrRunning()) {
      return Optional.of(
          "replica " + name + " is " + (m.state().isEmpty() ? "not running" : m.state()));
    }
    if (m.lag().isEmpty() || m.lag().getAsLong() > f.maxLagBytes()) {
      return Optional.of(
          "replica "
              + name
              + " lags "
              + (m.lag().isEmpty() ? "an unknown amount" : m.lag().getAsLong() + " bytes")
              + " (maximum_lag_on_failover "
              + f.maxLagBytes()
              + ")");
    }
    return Optional.empty();
  }

  /**
   * The StatefulSet ordinal of a member name ({@code <cluster>-<ordinal>}); unparsable names sort
   * last.
   */
  public static int ordinal(String member) {
    try {
      return Integer.parseInt(member.substring(member.lastIndexOf('-') + 1));
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }
}
