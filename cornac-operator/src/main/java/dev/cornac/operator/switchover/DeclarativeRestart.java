package dev.cornac.operator.switchover;

import dev.cornac.dataplane.MemberEndpoints;
import dev.cornac.dataplane.patroni.ClusterMember;
import dev.cornac.dataplane.patroni.PatroniException;
import dev.cornac.dataplane.patroni.PatroniRole;
import dev.cornac.operator.reconcile.Reconciliation;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A restart of PostgreSQL on every member, asked for with the annotation {@code cornac.dev/restart} (any value; a new
 * value asks again): replicas first, each awaited until it streams again, then the primary — in place, through
 * Patroni, without a switchover or new pods. Reported as the status condition {@code Restart} and an Event.
 */
public final class DeclarativeRestart {
  public static final String ANNOTATION = "cornac.dev/restart";
  public static final String CONDITION = "Restart";
  private static final Duration MEMBER_TIMEOUT = Duration.ofSeconds(120);

  private final MemberEndpoints endpoints;
  private final AnnotationRequests requests = new AnnotationRequests(ANNOTATION, CONDITION);

  public DeclarativeRestart(MemberEndpoints endpoints) {
    this.endpoints = endpoints;
  }

  public Optional<Condition> sync(Reconciliation r, List<Pod> pods) throws InterruptedException {
    Optional<String> taken = requests.take(r);
    if (taken.isEmpty()) {
      return Optional.empty();
    }
    String value = taken.get();
    PodMembers pod = new PodMembers(endpoints, pods);
    try {
      List<ClusterMember> members = pod.client(pods.get(0).getMetadata().getName()).cluster();
      List<ClusterMember> order = new ArrayList<>(members);
      order.sort(Comparator.comparing((ClusterMember m) -> m.role() == PatroniRole.LEADER).thenComparing(
          ClusterMember::name));
      List<String> done = new ArrayList<>();
      for (ClusterMember m : order) {
        pod.client(m.name()).restart();
        awaitRunning(pod, m.name(), m.role() == PatroniRole.LEADER);
        done.add(m.name());
      }
      String message = "restarted PostgreSQL on " + String.join(", ", done) + " (replicas first)";
      r.acted("Restart", AnnotationRequests.prefix(value) + message);
      return Optional.of(requests.condition(value, true, "Succeeded", message));
    } catch (PatroniException | IllegalStateException e) {
      String message = "failed: " + e.getMessage() + "; set a new value to try again";
      r.warn("Restart", AnnotationRequests.prefix(value) + message);
      return Optional.of(requests.condition(value, false, "Failed", message));
    }
  }

  private void awaitRunning(PodMembers pod, String member, boolean leader) throws InterruptedException {
    Instant deadline = Instant.now().plus(MEMBER_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      try {
        for (ClusterMember m : pod.client(member).cluster()) {
          if (m.name().equals(member) && m.isStreamingOrRunning() && (leader || m.lag().isPresent())) {
            return;
          }
        }
      } catch (PatroniException e) {
        // restarting
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(member + " did not run again within " + MEMBER_TIMEOUT.toSeconds() + " s");
  }
}
