package dev.cornac.operator.reconcile.steps;

import dev.cornac.generators.plan.ObjectMatcher;
import dev.cornac.operator.reconcile.Reconciliation;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;

/**
 * Both PDBs; a drifted PDB is deleted and created again, as upstream does (its RBAC has no update
 * verb).
 */
public final class PodDisruptionBudgetSync {
  private PodDisruptionBudgetSync() {}

  public static void sync(Reconciliation r) {
    for (PodDisruptionBudget desired :
        List.of(r.desired().primaryPdb(), r.desired().criticalOpPdb())) {
      var live = r.live(PodDisruptionBudget.class, desired);
      String name = desired.getMetadata().getName();
      if (live.isEmpty()) {
        r.writer().create(desired);
        r.acted("PodDisruptionBudget", "created pod disruption budget " + name);
      } else if (!ObjectMatcher.covers(desired, live.get())) {
        r.writer().delete(live.get());
        r.writer().create(desired);
        r.acted("PodDisruptionBudget", "recreated pod disruption budget " + name);
      }
    }
  }
}
