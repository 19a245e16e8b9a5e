package dev.cornac.generators.pdb;

import dev.cornac.api.config.OperatorConfig;
import dev.cornac.generators.Cluster;
import dev.cornac.generators.naming.ClusterLabels;
import dev.cornac.generators.naming.ClusterNames;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.util.Map;

/**
 * The primary PDB and the critical-operation PDB (upstream: pkg/cluster/k8sres.go,
 * generatePrimaryPodDisruptionBudget and generateCriticalOpPodDisruptionBudget).
 */
public final class PodDisruptionBudgetGenerator {
  private PodDisruptionBudgetGenerator() {}

  /**
   * Budgets relax when PDBs are disabled or the manifest (not the clamped count) asks for no
   * instances.
   */
  private static boolean relaxed(Cluster c) {
    return !c.config().bool("enable_pod_disruption_budget") || c.manifestInstances() <= 0;
  }

  /**
   * The primary's budget. Unlike upstream, a single-instance cluster gets {@code minAvailable: 0}:
   * with 1 its only pod could never be evicted and a node drain would wait for ever; with more
   * instances the operator moves the primary off a node being drained first (NodeDrainSwitchover),
   * after which the drain may evict the old one.
   */
  public static PodDisruptionBudget primary(Cluster c) {
    OperatorConfig config = c.config();
    boolean masterSelector = config.bool("pdb_master_label_selector");
    int minAvailable = relaxed(c) || c.effectiveInstances() == 1 ? 0 : 1;
    var patroni = c.spec().patroni;
    if (!masterSelector
        && minAvailable > 0
        && patroni != null
        && Boolean.TRUE.equals(patroni.synchronousModeStrict)) {
      minAvailable = (patroni.synchronousNodeCount == null ? 0 : patroni.synchronousNodeCount) + 1;
    }
    Map<String, String> selector = ClusterLabels.selector(c);
    if (masterSelector) {
      selector.put(config.podRoleLabel(), "master");
    }
    return new PodDisruptionBudgetBuilder()
        .withNewMetadata()
        .withName(ClusterNames.primaryPdb(c))
        .withNamespace(c.namespace())
        .withLabels(ClusterLabels.object(c))
        .withAnnotations(ClusterLabels.orNull(ClusterLabels.inheritedAnnotations(c)))
        .withOwnerReferences(c.ownerReferences())
        .endMetadata()
        .withNewSpec()
        .withMinAvailable(new IntOrString(minAvailable))
        .withNewSelector()
        .withMatchLabels(selector)
        .endSelector()
        .endSpec()
        .build();
  }

  public static PodDisruptionBudget criticalOperation(Cluster c) {
    Map<String, String> selector = ClusterLabels.selector(c);
    selector.put(ClusterLabels.CRITICAL_OPERATION, "true");
    return new PodDisruptionBudgetBuilder()
        .withNewMetadata()
        .withName(ClusterNames.criticalOpPdb(c))
        .withNamespace(c.namespace())
        .withLabels(ClusterLabels.object(c))
        .withAnnotations(ClusterLabels.orNull(ClusterLabels.inheritedAnnotations(c)))
        .withOwnerReferences(c.ownerReferences())
        .endMetadata()
        .withNewSpec()
        .withMaxUnavailable(relaxed(c) ? new IntOrString("100%") : new IntOrString(0))
        .withNewSelector()
        .withMatchLabels(selector)
        .endSelector()
        .endSpec()
        .build();
  }
}
