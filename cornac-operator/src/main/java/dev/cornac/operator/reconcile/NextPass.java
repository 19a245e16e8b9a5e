package dev.cornac.operator.reconcile;

import dev.cornac.operator.rolling.RollingUpdateSync;
import java.time.Duration;
import java.util.Optional;

/**
 * When a cluster's next pass comes if no event brings it sooner. Waiting is a later pass, never a
 * sleep; and what an event announces is not polled for: a cluster waiting for its pods is woken by
 * their events (created, scheduled, addressed, labelled by Patroni), so its timed pass is only a
 * safety net.
 */
final class NextPass {
  /** Pods are awaited: their events wake the cluster; this only covers a lost event. */
  static final Duration PODS_AWAITED = Duration.ofMinutes(1);

  /** Patroni's configuration could not be synced: pod recreation waits, the sync is retried. */
  static final Duration DATA_PLANE_RETRY = Duration.ofSeconds(10);

  /**
   * A cluster in line for a rolling-update slot is woken when one frees; this is only the safety
   * net.
   */
  static final Duration ROLL_SLOT_RECHECK = Duration.ofMinutes(1);

  private NextPass() {}

  /**
   * @param askedFor the shortest wait a step of the pass asked for (the next step of a member
   *     operation, say)
   * @param resync the periodic resync, for a cluster with nothing under way
   */
  static Duration after(
      RollingUpdateSync.State roll,
      boolean dataPlaneFailed,
      boolean podsReady,
      Optional<Duration> askedFor,
      Duration resync) {
    return switch (roll) {
      case ROLLING -> dataPlaneFailed ? DATA_PLANE_RETRY : Reconciliation.NEXT_STEP;
      case WAITING_FOR_SLOT -> ROLL_SLOT_RECHECK;
      case WAITING_FOR_WINDOW -> resync;
      case IDLE ->
          podsReady
              ? askedFor.orElse(resync)
              : askedFor.filter(d -> d.compareTo(PODS_AWAITED) < 0).orElse(PODS_AWAITED);
    };
  }
}
