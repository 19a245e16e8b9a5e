package dev.cornac.operator.switchover;

import dev.cornac.dataplane.MemberEndpoints;
import dev.cornac.dataplane.patroni.ClusterMember;
import dev.cornac.dataplane.patroni.PatroniClient;
import dev.cornac.dataplane.patroni.PatroniException;
import dev.cornac.dataplane.patroni.PatroniRole;
import dev.cornac.dataplane.patroni.SwitchoverCandidates;
import dev.cornac.operator.reconcile.Reconciliation;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
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
  /**
   * Requests handled by this process, by resource uid: the status written after a switchover may reach the cache
   * after the pod-label events the switchover itself causes, and a request must never run twice.
   */
  private final Map<String, String> handledHere = new java.util.concurrent.ConcurrentHashMap<>();

  public DeclarativeSwitchover(MemberEndpoints endpoints, Clock clock) {
    this.endpoints = endpoints;
    this.clock = clock;
  }

  /** The condition to report, when the annotation holds a request not handled yet. */
  public Optional<Condition> sync(Reconciliation r, List<Pod> pods) throws InterruptedException {
    Map<String, String> annotations = r.cluster().annotations();
    String raw = annotations.get(SwitchoverRequest.ANNOTATION);
    if (raw == null || raw.isBlank() || handled(r, raw.strip())) {
      return Optional.empty();
    }
    String quoted = "\"" + raw.strip() + "\": ";
    handledHere.put(r.cluster().uid(), raw.strip());
    SwitchoverRequest request;
    try {
      request = SwitchoverRequest.parse(raw);
    } catch (IllegalArgumentException e) {
      r.warn("Switchover", e.getMessage());
      return Optional.of(condition(false, "Invalid", quoted + e.getMessage()));
    }
    try {
      // A member that has just switched or restarted is briefly no candidate (and Patroni answers 412): wait a
      // little for one, as a person retrying would.
      Instant patience = Instant.now().plus(CANDIDATE_WAIT);
      String leader;
      String candidate;
      while (true) {
        List<ClusterMember> members = client(pods, pods.get(0).getMetadata().getName()).cluster();
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
      switchover(pods, leader, candidate, at, patience);
      if (at.isPresent()) {
        String message = quoted + "Patroni will switch over from " + leader + " to " + candidate + " at " + at.get();
        r.acted("Switchover", message);
        return Optional.of(condition(true, "Scheduled", message));
      }
      awaitLeader(pods, candidate);
      String message = quoted + "switched over from " + leader + " to " + candidate;
      r.acted("Switchover", message);
      return Optional.of(condition(true, "Succeeded", message));
    } catch (PatroniException | IllegalStateException e) {
      String message = quoted + "failed: " + e.getMessage() + "; set a new value to try again";
      r.warn("Switchover", message);
      return Optional.of(condition(false, "Failed", message));
    }
  }

  private void switchover(List<Pod> pods, String leader, String candidate, Optional<OffsetDateTime> at,
      Instant patience) throws InterruptedException {
    while (true) {
      try {
        client(pods, leader).switchover(leader, candidate, at);
        return;
      } catch (PatroniException e) {
        if ((e.status() != 412 && e.status() != 503) || Instant.now().isAfter(patience)) {
          throw e;
        }
        Thread.sleep(500);
      }
    }
  }

  private boolean handled(Reconciliation r, String raw) {
    if (raw.equals(handledHere.get(r.cluster().uid()))) {
      return true;
    }
    var status = r.resource().getStatus();
    return status != null && status.conditions != null && status.conditions.stream()
        .anyMatch(c -> CONDITION.equals(c.getType()) && c.getMessage() != null
            && c.getMessage().startsWith("\"" + raw + "\": "));
  }

  private PatroniClient client(List<Pod> pods, String member) {
    String ip = pods.stream().filter(p -> p.getMetadata().getName().equals(member)).findFirst()
        .map(p -> p.getStatus().getPodIP()).orElse(null);
    return endpoints.patroni(member, ip);
  }

  private void awaitLeader(List<Pod> pods, String candidate) throws InterruptedException {
    Instant deadline = Instant.now().plus(LEAD_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      try {
        if (client(pods, candidate).patroni().role() == PatroniRole.LEADER) {
          return;
        }
      } catch (PatroniException e) {
        // not answering yet
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(candidate + " did not become the primary within " + LEAD_TIMEOUT.toSeconds()
        + " s");
  }

  private static Condition condition(boolean ok, String reason, String message) {
    return new ConditionBuilder().withType(CONDITION).withStatus(ok ? "True" : "False").withReason(reason)
        .withMessage(message).build();
  }
}
