package dev.cornac.operator.switchover;

import dev.cornac.dataplane.MemberEndpoints;
import dev.cornac.dataplane.patroni.ClusterMember;
import dev.cornac.dataplane.patroni.PatroniException;
import dev.cornac.operator.reconcile.Reconciliation;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A restart of PostgreSQL on every member, asked for with the annotation {@code cornac.dev/restart}
 * (any value; a new value asks again): replicas first, each awaited until it streams again, then
 * the primary — in place, through Patroni, without a switchover or new pods. Reported as the status
 * condition {@code Restart} and an Event.
 */
public final class DeclarativeRestart {
  public static final String ANNOTATION = "cornac.dev/restart";
  public static final String CONDITION = "Restart";
  private static final Duration MEMBER_TIMEOUT = Duration.ofSeconds(120);

  /**
   * A restart under way: the members in order, how many are restarted, since when the last one is
   * awaited.
   */
  private record Progress(String value, List<String> order, int restarted, Instant since) {}

  private final MemberEndpoints endpoints;
  private final Clock clock;
  private final AnnotationRequests requests = new AnnotationRequests(ANNOTATION, CONDITION);
  private final Map<String, Progress> underWay = new ConcurrentHashMap<>();

  public DeclarativeRestart(MemberEndpoints endpoints, Clock clock) {
    this.endpoints = endpoints;
    this.clock = clock;
  }

  /**
   * One step per pass: restart the next member once the one before runs again; the condition once
   * all have (or one failed).
   */
  public Optional<Condition> sync(Reconciliation r, List<Pod> pods) {
    String uid = r.cluster().uid();
    Optional<String> current = requests.current(r);
    Progress progress = underWay.get(uid);
    if (progress != null && !current.equals(Optional.of(progress.value()))) {
      underWay.remove(uid);
      progress = null;
    }
    PodMembers members = new PodMembers(endpoints, pods);
    try {
      if (progress == null) {
        Optional<String> taken = requests.take(r);
        if (taken.isEmpty()) {
          return Optional.empty();
        }
        List<ClusterMember> view =
            members.client(pods.get(0).getMetadata().getName()).once().cluster();
        List<String> order =
            view.stream()
                .sorted(
                    Comparator.comparing((ClusterMember m) -> m.role().isLeader())
                        .thenComparing(ClusterMember::name))
                .map(ClusterMember::name)
                .toList();
        progress = new Progress(taken.get(), order, 0, clock.instant());
      }
      String value = progress.value();
      if (progress.restarted() > 0) {
        String last = progress.order().get(progress.restarted() - 1);
        if (!runsAgain(members, last)) {
          if (Duration.between(progress.since(), clock.instant()).compareTo(MEMBER_TIMEOUT) > 0) {
            underWay.remove(uid);
            return Optional.of(
                failed(
                    r,
                    value,
                    last + " did not run again within " + MEMBER_TIMEOUT.toSeconds() + " s"));
          }
          underWay.put(uid, progress);
          r.note(
              "restart "
                  + AnnotationRequests.prefix(value)
                  + "waiting for "
                  + last
                  + " to run again");
          r.recheckIn(Reconciliation.NEXT_STEP);
          return Optional.empty();
        }
      }
      if (progress.restarted() == progress.order().size()) {
        underWay.remove(uid);
        String message =
            "restarted PostgreSQL on " + String.join(", ", progress.order()) + " (replicas first)";
        r.acted("Restart", AnnotationRequests.prefix(value) + message);
        return Optional.of(requests.condition(value, true, "Succeeded", message));
      }
      String next = progress.order().get(progress.restarted());
      try {
        members.client(next).restart();
      } catch (PatroniException e) {
        // 503 is Patroni busy with something that ends by itself (right after a switchover the old
        // primary is still demoting): the restart waits for it, up to the member timeout.
        boolean busy = e.status() == 503;
        if (!busy
            || Duration.between(progress.since(), clock.instant()).compareTo(MEMBER_TIMEOUT) > 0) {
          throw e;
        }
        underWay.put(uid, progress);
        r.note(
            "restart "
                + AnnotationRequests.prefix(value)
                + "waiting: Patroni on "
                + next
                + " is busy ("
                + e.getMessage()
                + ")");
        r.recheckIn(Reconciliation.NEXT_STEP);
        return Optional.empty();
      }
      underWay.put(
          uid, new Progress(value, progress.order(), progress.restarted() + 1, clock.instant()));
      r.note("restart " + AnnotationRequests.prefix(value) + "restarted " + next);
      r.recheckIn(Reconciliation.NEXT_STEP);
      return Optional.empty();
    } catch (PatroniException e) {
      underWay.remove(uid);
      return Optional.of(
          failed(r, progress == null ? current.orElse("") : progress.value(), e.getMessage()));
    }
  }

  private Condition failed(Reconciliation r, String value, String reason) {
    String message = "failed: " + reason + "; set a new value to try again";
    r.warn("Restart", AnnotationRequests.prefix(value) + message);
    return requests.condition(value, false, "Failed", message);
  }

  /** Running again: the leader running, a replica streaming with a known lag. */
  private static boolean runsAgain(PodMembers members, String member) {
    try {
      return members.client(member).once().cluster().stream()
          .anyMatch(
              m ->
                  m.name().equals(member)
                      && m.isStreamingOrRunning()
                      && (m.role().isLeader() || m.lag().isPresent()));
    } catch (PatroniException e) {
      return false;
    }
  }
}
