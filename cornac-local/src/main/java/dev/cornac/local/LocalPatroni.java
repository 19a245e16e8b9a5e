package dev.cornac.local;

import dev.cornac.dataplane.patroni.ClusterMember;
import dev.cornac.dataplane.patroni.PatroniClient;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Patroni's REST API of local members: one quick attempt per call, since every member is on this
 * machine.
 */
public final class LocalPatroni {
  private LocalPatroni() {}

  public static PatroniClient client(LocalState.Member m) {
    return new PatroniClient(
        URI.create("http://127.0.0.1:" + m.restPort()),
        Duration.ofSeconds(3),
        Duration.ofMillis(200),
        Duration.ZERO);
  }

  /** A slower, patient client for calls that change things (switchover, restart, config). */
  public static PatroniClient patientClient(LocalState.Member m) {
    return new PatroniClient(
        URI.create("http://127.0.0.1:" + m.restPort()),
        Duration.ofSeconds(30),
        Duration.ofMillis(500),
        Duration.ofSeconds(5));
  }

  /** The cluster as the first member that answers sees it; empty when none does. */
  public static Optional<List<ClusterMember>> clusterView(LocalState state) {
    for (LocalState.Member m : state.membersByOrdinal()) {
      try {
        return Optional.of(client(m).cluster());
      } catch (RuntimeException e) {
        // try the next member
      }
    }
    return Optional.empty();
  }
}
