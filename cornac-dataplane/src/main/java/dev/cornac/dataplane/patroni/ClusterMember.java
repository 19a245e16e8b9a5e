package dev.cornac.dataplane.patroni;

import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One member as {@code GET /cluster} reports it. {@code lag} is empty when Patroni says "unknown"
 * (right after a switchover, a stopped member); upstream treats that as the largest lag.
 */
public record ClusterMember(
    String name,
    PatroniRole role,
    String state,
    String host,
    int port,
    String apiUrl,
    OptionalInt timeline,
    OptionalLong lag,
    boolean pendingRestart) {

  /** Lag for comparisons: unknown counts as the largest possible. */
  public long lagOrMax() {
    return lag.orElse(Long.MAX_VALUE);
  }

  public boolean isStreamingOrRunning() {
    return "running".equals(state)
        || "streaming".equals(state)
        || "in archive recovery".equals(state);
  }
}
