package dev.cornac.operator.switchover;

import dev.cornac.dataplane.MemberEndpoints;
import dev.cornac.dataplane.patroni.ClusterMember;
import dev.cornac.dataplane.patroni.PatroniException;
import dev.cornac.dataplane.patroni.PatroniRole;
import dev.cornac.dataplane.patroni.SwitchoverCandidates;
import dev.cornac.operator.reconcile.Reconciliation;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * Carries out a {@link SwitchoverRequest} through Patroni once per annotation value, and reports it as the
 * {@code Switchover} condition of the status (reason Succeeded, Scheduled, Failed or Invalid, message starting with
 * the quoted request) and as an Event. A failed request is not retried on its own: setting a new value asks again.
 */
public final class DeclarativeSwitchover {
  public static final String CONDITION = "Switchover";
  private static final Duration LEAD_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration CANDIDATE_WAIT = Duration.ofSeconds(30);

  private final MemberEndpoints endpoints;
  private final Clock clock;
  private final AnnotationRequests requests = new AnnotationRequests(SwitchoverRequest.ANNOTATION, CONDITION);

  public DeclarativeSwitchover(MemberEndpoints endpoints, Clock clock) {
    this.endpoints = endpoints;
    this.clock = clock;
  }

  /** The condition to report, when the annotation holds a request not handled yet. */
  public Optional<Condition> sync(Reconciliation r, List<Pod> pods) throws InterruptedException {
    Optional<String> taken = requests.take(r);
    if (taken.isEmpty()) {
      return Optional.empty();
    }
    String value = taken.get();
    PodMembers pod = new PodMembers(endpoints, pods);
    SwitchoverRequest request;
    try {
      request = SwitchoverRequest.parse(value);
    } catch (IllegalArgumentException e) {
      r.warn("Switchover", AnnotationRequests.prefix(value) + e.getMessage());
      return Optional.of(requests.condition(value, false, "Invalid", e.getMessage()));
    }
    try {
      // A member that has just switched or restarted is briefly no candidate (and Patroni answers 412): wait a
      // little for one, as a person retrying would.
      Instant patience = Instant.now().plus(CANDIDATE_WAIT);
      String leader;
      String candidate;
      while (true) {
        List<ClusterMember> members = pod.client(pods.get(0).getMetadata().getName()).cluster();
        leader = members.stream().filter(m -> m.role() == PatroniRole.LEADER).map(ClusterMember::name)
            .findFirst().orElse(null);
        Optional<String> chosen = request.candidate().isPresent() ? request.candidate()
            : SwitchoverCandidates.best(members, false).map(ClusterMember::name);
        if (request.candidate().isPresent() && members.stream().noneMatch(m -> m.name().equals(chosen.get()))) {
          throw new IllegalStateException("no member " + chosen.get() + "; members: "
              + String.join(", ", members.stream().map(ClusterMember::name).toList()));
        }
        if (leader != null && leader.equals(chosen.orElse(null))) {
          throw new IllegalStateException(leader + " is already the primary");
        }
        if (leader != null && chosen.isPresent()) {
          candidate = chosen.get();
          break;
        }
        if (Instant.now().isAfter(patience)) {
          throw new IllegalStateException(leader == null ? "the cluster has no leader right now"
              : "no running replica to switch to");
        }
        Thread.sleep(500);
      }
      Optional<OffsetDateTime> at = request.at().filter(t -> t.toInstant().isAfter(Instant.now(clock)));
      switchover(pod, leader, candidate, at, patience);
      if (at.isPresent()) {
        String message = "Patroni will switch over from " + leader + " to " + candidate + " at " + at.get();
        r.acted("Switchover", AnnotationRequests.prefix(value) + message);
        return Optional.of(requests.condition(value, true, "Scheduled", message));
      }
      pod.awaitLeader(candidate, LEAD_TIMEOUT);
      String message = "switched over from " + leader + " to " + candidate;
      r.acted("Switchover", AnnotationRequests.prefix(value) + message);
      return Optional.of(requests.condition(value, true, "Succeeded", message));
    } catch (PatroniException | IllegalStateException e) {
      String message = "failed: " + e.getMessage() + "; set a new value to try again";
      r.warn("Switchover", AnnotationRequests.prefix(value) + message);
      return Optional.of(requests.condition(value, false, "Failed", message));
    }
  }

  private void switchover(PodMembers pod, String leader, String candidate, Optional<OffsetDateTime> at,
      Instant patience) throws InterruptedException {
    while (true) {
      try {
        pod.client(leader).switchover(leader, candidate, at);
        return;
      } catch (PatroniException e) {
        if ((e.status() != 412 && e.status() != 503) || Instant.now().isAfter(patience)) {
          throw e;
        }
        Thread.sleep(500);
      }
    }
  }
}
