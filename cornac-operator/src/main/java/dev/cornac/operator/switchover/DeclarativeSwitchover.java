package dev.cornac.operator.switchover;

import dev.cornac.dataplane.MemberEndpoints;
import dev.cornac.dataplane.patroni.ClusterMember;
import dev.cornac.dataplane.patroni.PatroniException;
import dev.cornac.dataplane.switchover.Switchover;
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
 * Carries out a {@link SwitchoverRequest} through Patroni once per annotation value, and reports it
 * as the {@code Switchover} condition of the status (reason Succeeded, Scheduled, Failed or
 * Invalid, message starting with the quoted request) and as an Event. A failed request is not
 * retried on its own: setting a new value asks again.
 */
public final class DeclarativeSwitchover {
  public static final String CONDITION = "Switchover";

  /** How long "not yet" from Patroni is retried before the request is reported failed. */
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private final MemberEndpoints endpoints;
  private final Clock clock;
  private final AnnotationRequests requests =
      new AnnotationRequests(SwitchoverRequest.ANNOTATION, CONDITION);

  public DeclarativeSwitchover(MemberEndpoints endpoints, Clock clock) {
    this.endpoints = endpoints;
    this.clock = clock;
  }

  /**
   * The condition to report, when the annotation holds a request not handled yet and settled in
   * this pass.
   */
  public Optional<Condition> sync(Reconciliation r, List<Pod> pods) {
    Optional<String> taken = requests.take(r);
    if (taken.isEmpty()) {
      return Optional.empty();
    }
    String value = taken.get();
    SwitchoverRequest request;
    try {
      request = SwitchoverRequest.parse(value);
    } catch (IllegalArgumentException e) {
      r.warn("Switchover", AnnotationRequests.prefix(value) + e.getMessage());
      return Optional.of(settled(r, value, false, "Invalid", e.getMessage()));
    }
    PodMembers members = new PodMembers(endpoints, pods);
    String notYet;
    try {
      List<ClusterMember> view =
          members.client(pods.get(0).getMetadata().getName()).once().cluster();
      Optional<String> leader = Switchover.leader(view);
      Optional<String> candidate =
          request.candidate().isPresent()
              ? request.candidate()
              : Switchover.candidate(view, false, m -> true);
      if (request.candidate().isPresent()
          && view.stream().noneMatch(m -> m.name().equals(candidate.get()))) {
        return Optional.of(
            failed(
                r,
                value,
                "no member "
                    + candidate.get()
                    + "; members: "
                    + String.join(", ", view.stream().map(ClusterMember::name).toList())));
      }
      if (leader.isPresent() && leader.equals(candidate)) {
        return Optional.of(failed(r, value, leader.get() + " is already the primary"));
      }
      if (leader.isEmpty() || candidate.isEmpty()) {
        notYet =
            leader.isEmpty()
                ? "the cluster has no leader right now"
                : "no running replica to switch to";
      } else {
        Optional<OffsetDateTime> at =
            request.at().filter(t -> t.toInstant().isAfter(Instant.now(clock)));
        Switchover.Result result =
            Switchover.request(
                members.client(leader.get()).once(), leader.get(), candidate.get(), at);
        if (result instanceof Switchover.Done) {
          return Optional.of(done(r, value, leader.get(), candidate.get(), at));
        }
        if (result instanceof Switchover.Failed failed) {
          return Optional.of(failed(r, value, failed.reason()));
        }
        notYet = ((Switchover.NotYet) result).reason();
      }
    } catch (PatroniException e) {
      notYet = e.getMessage();
    }
    // A member that has just switched or restarted is briefly no candidate (Patroni answers 412):
    // the request is
    // taken again at the next passes for a while, as a person retrying would.
    if (requests.retryLater(r, value, PATIENCE, clock.instant())) {
      r.note("switchover " + AnnotationRequests.prefix(value) + "not yet: " + notYet);
      r.recheckIn(Reconciliation.NEXT_STEP);
      return Optional.empty();
    }
    return Optional.of(failed(r, value, notYet));
  }

  private Condition done(
      Reconciliation r,
      String value,
      String leader,
      String candidate,
      Optional<OffsetDateTime> at) {
    if (at.isPresent()) {
      String message =
          "Patroni will switch over from " + leader + " to " + candidate + " at " + at.get();
      r.acted("Switchover", AnnotationRequests.prefix(value) + message);
      return settled(r, value, true, "Scheduled", message);
    }
    String message = "switched over from " + leader + " to " + candidate;
    r.acted("Switchover", AnnotationRequests.prefix(value) + message);
    return settled(r, value, true, "Succeeded", message);
  }

  private Condition failed(Reconciliation r, String value, String reason) {
    String message = "failed: " + reason + "; set a new value to try again";
    r.warn("Switchover", AnnotationRequests.prefix(value) + message);
    return settled(r, value, false, "Failed", message);
  }

  private Condition settled(
      Reconciliation r, String value, boolean ok, String reason, String message) {
    requests.settled(r, value);
    return requests.condition(value, ok, reason, message);
  }
}
