package dev.cornac.dataplane.patroni;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Upstream's choice of a switchover target (upstream: pkg/cluster/pod.go, getSwitchoverCandidate):
 * a synchronous standby if there is one, else any running or streaming replica; among those the
 * lowest lag ("unknown" lag counts as the largest).
 */
public final class SwitchoverCandidates {
  private SwitchoverCandidates() {}

  public static Optional<ClusterMember> best(List<ClusterMember> members, boolean synchronousMode) {
    List<ClusterMember> sync =
        members.stream().filter(m -> m.role() == PatroniRole.SYNC_STANDBY).toList();
    if (!sync.isEmpty()) {
      return sync.stream().min(Comparator.comparingLong(ClusterMember::lagOrMax));
    }
    if (synchronousMode) {
      return Optional.empty();
    }
    return members.stream()
        .filter(m -> !m.role().isLeader() && m.isStreamingOrRunning())
        .min(Comparator.comparingLong(ClusterMember::lagOrMax));
  }
}
