package dev.cornac.operator.switchover;

import dev.cornac.dataplane.MemberEndpoints;
import dev.cornac.dataplane.patroni.PatroniClient;
import dev.cornac.dataplane.patroni.PatroniException;
import dev.cornac.dataplane.switchover.Switchover;
import dev.cornac.generators.plan.ObservedCluster;
import dev.cornac.operator.reconcile.Reconciliation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Before Kubernetes removes the highest ordinals of a shrinking StatefulSet, the primary must not
 * be among them (upstream: pkg/cluster/resources.go, preScaleDown): it hands over by switchover to
 * the best replica that stays. When no replica can take over, the scale-down waits (the plan keeps
 * the StatefulSet's size this pass) and the status says why.
 */
public final class ScaleDownSwitchover {
  private final MemberEndpoints endpoints;
  private final String roleLabel;

  public ScaleDownSwitchover(MemberEndpoints endpoints, String roleLabel) {
    this.endpoints = endpoints;
    this.roleLabel = roleLabel;
  }

  /**
   * Switches over when the primary would be removed; else the size the StatefulSet keeps this pass
   * (the scale-down waits), and the next pass comes in seconds.
   */
  public Optional<Integer> holdBeforeScalingDown(Reconciliation r, ObservedCluster observed) {
    StatefulSet desired = r.desired().statefulSet();
    Optional<StatefulSet> live = observed.live(desired);
    if (live.isEmpty() || live.get().getSpec().getReplicas() == null) {
      return Optional.empty();
    }
    int keep = desired.getSpec().getReplicas();
    int now = live.get().getSpec().getReplicas();
    if (keep >= now || keep == 0) {
      return Optional.empty();
    }
    List<Pod> pods = observed.pods();
    Optional<Pod> primary = pods.stream().filter(p -> "master".equals(label(p))).findFirst();
    if (primary.isEmpty() || PodMembers.ordinal(primary.get().getMetadata().getName()) < keep) {
      return Optional.empty();
    }
    String leader = primary.get().getMetadata().getName();
    PodMembers members = new PodMembers(endpoints, pods);
    String outcome;
    try {
      PatroniClient leaderClient = members.client(leader).once();
      Optional<String> candidate =
          Switchover.candidate(leaderClient.cluster(), false, m -> PodMembers.ordinal(m) < keep);
      if (candidate.isPresent()) {
        Switchover.Result result =
            Switchover.request(leaderClient, leader, candidate.get(), Optional.empty());
        if (result instanceof Switchover.Done) {
          r.acted(
              "Switchover",
              "switched over from "
                  + leader
                  + " to "
                  + candidate.get()
                  + " before scaling down to "
                  + keep
                  + " instance(s)");
          return Optional.empty();
        }
        outcome =
            result instanceof Switchover.NotYet notYet
                ? notYet.reason()
                : ((Switchover.Failed) result).reason();
      } else {
        // A replica that has just restarted is briefly no candidate: the next pass looks again.
        outcome = "no running replica among the " + keep + " pod(s) that stay";
      }
    } catch (PatroniException e) {
      outcome = e.getMessage();
    }
    r.note(
        "scale-down to "
            + keep
            + " waits for the primary "
            + leader
            + " to hand over ("
            + outcome
            + ")");
    r.recheckIn(Reconciliation.NEXT_STEP);
    return Optional.of(now);
  }

  private String label(Pod p) {
    Map<String, String> labels = p.getMetadata().getLabels();
    return labels == null ? null : labels.get(roleLabel);
  }
}
