package dev.cornac.dataplane.rolling;

/**
 * The one thing a rolling update does next; the caller carries it out and looks again at its next
 * pass.
 */
public sealed interface RollStep {
  /** Nothing is marked and every member is healthy: the roll, if one ran, is over. */
  record Done() implements RollStep {}

  /** Not now; the reason is shown in the status while it lasts. */
  record Wait(String reason) implements RollStep {}

  /**
   * Recreate this member (delete the pod; restart the process). {@code downtime}: it is the only
   * member.
   */
  record Recreate(String member, boolean downtime) implements RollStep {}

  /** Hand the primary role over before the leader is recreated. */
  record Switchover(String leader, String candidate) implements RollStep {}
}
