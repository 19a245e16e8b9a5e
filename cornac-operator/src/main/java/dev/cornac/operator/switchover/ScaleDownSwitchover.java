package dev.cornac.operator.switchover;

import dev.cornac.dataplane.MemberEndpoints;
import dev.cornac.dataplane.patroni.ClusterMember;
import dev.cornac.dataplane.patroni.PatroniClient;
import dev.cornac.dataplane.patroni.SwitchoverCandidates;
import dev.cornac.operator.reconcile.Reconciliation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Before Kubernetes removes the highest ordinals of a shrinking StatefulSet, the primary must not be among them
 * (reference g.3): it hands over by switchover to the best replica that stays. When no replica can take over, the
 * scale-down waits (the StatefulSet keeps its size this pass) and the status says why.
 */
public final class ScaleDownSwitchover {
  private static final Duration LEAD_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration CANDIDATE_WAIT = Duration.ofSeconds(30);
  private final MemberEndpoints endpoints;
  private final String roleLabel;

  public ScaleDownSwitchover(MemberEndpoints endpoints, String roleLabel) {
    this.endpoints = endpoints;
    this.roleLabel = roleLabel;
  }

  public void prepare(Reconciliation r) {
    StatefulSet desired = r.desired().statefulSet();
    Optional<StatefulSet> live = r.live(StatefulSet.class, desired);
    if (live.isEmpty() || live.get().getSpec().getReplicas() == null) {
      return;
    }
    int keep = desired.getSpec().getReplicas();
    int now = live.get().getSpec().getReplicas();
    if (keep >= now || keep == 0) {
      return;
    }
    List<Pod> pods = r.informers().ofCluster(Pod.class, r.cluster().namespace(), r.cluster().name());
    Optional<Pod> primary = pods.stream().filter(p -> "master".equals(label(p))).findFirst();
    if (primary.isEmpty() || PodMembers.ordinal(primary.get().getMetadata().getName()) < keep) {
      return;
    }
    String leader = primary.get().getMetadata().getName();
    try {
      PodMembers members = new PodMembers(endpoints, pods);
      PatroniClient leaderClient = members.client(leader);
      // A replica that has just restarted is briefly no candidate: give it a moment before holding the scale-down.
      Instant patience = Instant.now().plus(CANDIDATE_WAIT);
      Optional<String> best = Optional.empty();
      while (best.isEmpty() && Instant.now().isBefore(patience)) {
        List<ClusterMember> staying = leaderClient.cluster().stream()
            .filter(m -> PodMembers.ordinal(m.name()) < keep).toList();
        best = SwitchoverCandidates.best(staying, false).map(ClusterMember::name);
        if (best.isEmpty()) {
          Thread.sleep(500);
        }
      }
      String candidate = best.orElseThrow(
          () -> new IllegalStateException("no running replica among the " + keep + " pod(s) that stay"));
      leaderClient.switchover(leader, candidate, Optional.empty());
      members.awaitLeader(candidate, LEAD_TIMEOUT);
      r.acted("Switchover", "switched over from " + leader + " to " + candidate + " before scaling down to " + keep
          + " instance(s)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      desired.getSpec().setReplicas(now);
      r.recheckSoon();
    } catch (RuntimeException e) {
      // Patroni unreachable or refusing, no candidate, no address yet: all mean "not now".
      desired.getSpec().setReplicas(now);
      r.warn("Switchover", "scaling down to " + keep + " waits: the primary " + leader + " would be removed and "
          + "could not hand over (" + e.getMessage() + "); retrying at the next sync");
      r.note("scale-down to " + keep + " waits for the primary " + leader + " to hand over");
      r.recheckSoon();
    }
  }

  private String label(Pod p) {
    Map<String, String> labels = p.getMetadata().getLabels();
    return labels == null ? null : labels.get(roleLabel);
  }
}
