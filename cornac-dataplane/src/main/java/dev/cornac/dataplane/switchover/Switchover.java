package dev.cornac.dataplane.switchover;

import dev.cornac.dataplane.patroni.ClusterMember;
import dev.cornac.dataplane.patroni.PatroniClient;
import dev.cornac.dataplane.patroni.PatroniException;
import dev.cornac.dataplane.patroni.PatroniRole;
import dev.cornac.dataplane.patroni.SwitchoverCandidates;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Patroni's planned switchover, the one implementation every caller uses (rolling update, the
 * switchover annotation, scale-down, node drain, the local runtime): one candidate rule, one
 * reading of Patroni's answers, one rule for the old primary's demotion. A request is made once;
 * "not yet" is a value, and the caller decides whether that means its next pass (the operator) or
 * another try in a moment (the CLI, the local runtime).
 */
public final class Switchover {
  /** What Patroni made of one request. */
  public sealed interface Result {}

  /** Switched over (200, Patroni answers once the candidate leads), or scheduled (202). */
  public record Done(String answer) implements Result {}

  /**
   * Not now, ask again: 412 (the candidate is not yet a healthy replica in Patroni's eyes, or the
   * leader has just changed), 503 (Patroni could not do it now), or the leader did not answer.
   */
  public record NotYet(String reason) implements Result {}

  /** Refused for good (another 4xx): asking again would get the same answer. */
  public record Failed(String reason) implements Result {}

  private Switchover() {}

  /** One request to the leader's Patroni. */
  public static Result request(
      PatroniClient leaderClient, String leader, String candidate, Optional<OffsetDateTime> at) {
    try {
      return new Done(leaderClient.switchover(leader, candidate, at).strip());
    } catch (PatroniException e) {
      boolean transientRefusal = e.status() == 412 || e.status() >= 500 || e.status() <= 0;
      return transientRefusal ? new NotYet(e.getMessage()) : new Failed(e.getMessage());
    }
  }

  /**
   * Upstream's candidate (upstream: pkg/cluster/pod.go, getSwitchoverCandidate: the synchronous
   * standby, else the least-lagging running replica), among the members {@code allowed} (those that
   * stay after a scale-down, those on the new spec during a roll, those on nodes that are not
   * drained).
   */
  public static Optional<String> candidate(
      List<ClusterMember> view, boolean synchronousMode, Predicate<String> allowed) {
    return SwitchoverCandidates.best(
            view.stream().filter(m -> allowed.test(m.name())).toList(), synchronousMode)
        .map(ClusterMember::name);
  }

  /** The member Patroni reports as leader, if any. */
  public static Optional<String> leader(List<ClusterMember> view) {
    return view.stream().filter(m -> m.role().isLeader()).map(ClusterMember::name).findFirst();
  }

  /**
   * The demotion rule: a switchover is over when the new leader runs and the old one follows it as
   * a replica. Until then the old primary must not be stopped (a primary stopped mid-demotion may
   * need a rewind, or lose the timeline switch), so a caller that goes on to recreate or remove it
   * waits for this.
   */
  public static boolean settled(List<ClusterMember> view, String oldLeader, String newLeader) {
    boolean leads =
        view.stream()
            .anyMatch(
                m ->
                    m.name().equals(newLeader)
                        && m.role() == PatroniRole.LEADER
                        && "running".equals(m.state()));
    boolean follows =
        view.stream()
            .anyMatch(
                m ->
                    m.name().equals(oldLeader) && !m.role().isLeader() && m.isStreamingOrRunning());
    return leads && follows;
  }
}
