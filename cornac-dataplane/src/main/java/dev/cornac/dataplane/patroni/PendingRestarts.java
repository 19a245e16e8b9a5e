package dev.cornac.dataplane.patroni;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which members restart now for a configuration change, decided from what they report (upstream's
 * order, docs/day2.md "Patroni settings and restarts"): pending replicas first, then the leader
 * once no replica is pending and the change has settled; the leader first when the change only
 * lowers max_connections-type settings. One decision per reconcile pass, so no worker waits for a
 * member to come back.
 */
public final class PendingRestarts {
  /**
   * A restart and the HA loop that clears the flag: a member restarted less long ago is still
   * coming back.
   */
  static final Duration COMING_BACK = Duration.ofSeconds(20);

  /** A member still pending after this many restarts in one round is left alone and reported. */
  static final int MAX_RESTARTS = 2;

  /**
   * One member as it answered {@code GET /patroni} this pass; not reachable when it did not answer.
   */
  public record Member(String name, boolean leader, boolean reachable, boolean pendingRestart) {}

  /**
   * @param restartNow the members to restart in this pass
   * @param inProgress whether the round needs another pass soon (settling, pending or coming back)
   * @param givenUp members still pending after {@link #MAX_RESTARTS} restarts in this round
   */
  public record Decision(List<String> restartNow, boolean inProgress, List<String> givenUp) {}

  private PendingRestarts() {}

  public static Decision decide(List<Member> members, RestartRound round, Instant now) {
    List<String> givenUp = new ArrayList<>();
    List<Member> due = new ArrayList<>();
    boolean comingBack = false;
    for (Member m : members) {
      RestartRound.Restart last = round.restarts().get(m.name());
      if (comingBack(m, round, now)) {
        comingBack = true;
      } else if (m.pendingRestart() && last != null && last.count() >= MAX_RESTARTS) {
        givenUp.add(m.name());
      } else if (m.pendingRestart() && m.reachable()) {
        due.add(m);
      }
    }
    Optional<Member> leader = due.stream().filter(Member::leader).findFirst();
    List<String> replicas = due.stream().filter(m -> !m.leader()).map(Member::name).toList();
    boolean leaderComingBack =
        members.stream().filter(Member::leader).anyMatch(m -> comingBack(m, round, now));
    List<String> restartNow;
    if (round.leaderFirst() && (leader.isPresent() || leaderComingBack)) {
      // A hot standby cannot run with lower values than its primary: the replicas wait for the
      // leader.
      restartNow = leader.map(m -> List.of(m.name())).orElse(List.of());
    } else if (!replicas.isEmpty()) {
      restartNow = replicas;
    } else if (leader.isPresent() && !comingBack && !round.settling(now)) {
      restartNow = List.of(leader.get().name());
    } else {
      restartNow = List.of();
    }
    boolean inProgress = round.settling(now) || comingBack || !due.isEmpty();
    return new Decision(restartNow, inProgress, givenUp);
  }

  private static boolean comingBack(Member m, RestartRound round, Instant now) {
    RestartRound.Restart last = round.restarts().get(m.name());
    return last != null
        && now.isBefore(last.last().plus(COMING_BACK))
        && (m.pendingRestart() || !m.reachable());
  }
}
