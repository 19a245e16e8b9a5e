package dev.cornac.dataplane.patroni;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The restarts one configuration change asks for, remembered across reconcile passes: the order
 * (the leader first when the change only lowers max_connections-type settings), until when members
 * may still raise their pending flag (each notices the change on its own next HA loop), and whom
 * this round restarted, when and how often.
 *
 * <p>A round that is lost (the operator restarted) is replaced by {@link #none()}: replicas first,
 * which Patroni copes with for lowered settings (a replica starts with the higher values of its
 * control file and stays pending until the leader has restarted; docs/day2.md "Patroni settings and
 * restarts").
 */
public record RestartRound(
    boolean leaderFirst, Instant settleUntil, Map<String, Restart> restarts) {
  public record Restart(int count, Instant last) {}

  public RestartRound {
    restarts = Map.copyOf(restarts);
  }

  /** The round a parameter change starts now. */
  public static RestartRound afterChange(boolean leaderFirst, Instant now, Duration settle) {
    return new RestartRound(leaderFirst, now.plus(settle), Map.of());
  }

  /** No change in flight: restarts an earlier change left pending, replicas first. */
  public static RestartRound none() {
    return new RestartRound(false, Instant.EPOCH, Map.of());
  }

  public boolean settling(Instant now) {
    return now.isBefore(settleUntil);
  }

  public RestartRound restarted(List<String> members, Instant now) {
    Map<String, Restart> next = new HashMap<>(restarts);
    members.forEach(
        m -> next.merge(m, new Restart(1, now), (a, b) -> new Restart(a.count() + 1, now)));
    return new RestartRound(leaderFirst, settleUntil, next);
  }
}
