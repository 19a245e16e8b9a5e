package dev.cornac.generators.statefulset;

import dev.cornac.api.config.OperatorConfig;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.generators.Cluster;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Tolerations, node affinity and pod (anti-)affinity of database, pooler and backup pods (upstream:
 * pkg/cluster/k8sres.go, tolerations, nodeAffinity and podAffinity).
 */
public final class Scheduling {
  private Scheduling() {}

  public static List<Toleration> tolerations(Cluster c) {
    if (c.spec().tolerations != null && !c.spec().tolerations.isEmpty()) {
      return c.spec().tolerations;
    }
    Map<String, String> t = c.config().map("toleration");
    String key = t.getOrDefault("key", "");
    String operator = t.getOrDefault("operator", "");
    String value = t.getOrDefault("value", "");
    String effect = t.getOrDefault("effect", "");
    if (key.isEmpty() && operator.isEmpty() && value.isEmpty() && effect.isEmpty()) {
      return null;
    }
    return List.of(
        new TolerationBuilder()
            .withKey(blankToNull(key))
            .withOperator(blankToNull(operator))
            .withValue(blankToNull(value))
            .withEffect(blankToNull(effect))
            .build());
  }

  /** Node affinity from {@code node_readiness_label} merged with the manifest's, or null. */
  public static NodeAffinity nodeAffinity(Cluster c, NodeAffinity manifest) {
    Map<String, String> readiness = new TreeMap<>(c.config().map("node_readiness_label"));
    if (readiness.isEmpty()) {
      return manifest;
    }
    List<NodeSelectorRequirement> expressions = new ArrayList<>();
    readiness.forEach(
        (k, v) ->
            expressions.add(
                new NodeSelectorRequirementBuilder()
                    .withKey(k)
                    .withOperator("In")
                    .withValues(v)
                    .build()));
    NodeSelectorTerm readinessTerm = new NodeSelectorTerm(expressions, null);
    if (manifest == null) {
      NodeAffinity a = new NodeAffinity();
      a.setRequiredDuringSchedulingIgnoredDuringExecution(new NodeSelector(List.of(readinessTerm)));
      return a;
    }
    NodeAffinity merged = ManifestMapper.convert(manifest, NodeAffinity.class);
    NodeSelector required = merged.getRequiredDuringSchedulingIgnoredDuringExecution();
    if (required == null
        || required.getNodeSelectorTerms() == null
        || required.getNodeSelectorTerms().isEmpty()) {
      merged.setRequiredDuringSchedulingIgnoredDuringExecution(
          new NodeSelector(List.of(readinessTerm)));
      return merged;
    }
    String merge = c.config().string("node_readiness_label_merge");
    List<NodeSelectorTerm> terms = new ArrayList<>(required.getNodeSelectorTerms());
    if ("OR".equals(merge)) {
      terms.add(readinessTerm);
    } else if ("AND".equals(merge)) {
      for (NodeSelectorTerm term : terms) {
        List<NodeSelectorRequirement> all =
            new ArrayList<>(
                term.getMatchExpressions() == null ? List.of() : term.getMatchExpressions());
        all.addAll(expressions);
        term.setMatchExpressions(all);
      }
    } else {
      return merged;
    }
    required.setNodeSelectorTerms(terms);
    return merged;
  }

  /**
   * The pod's affinity: anti-affinity among pods with {@code labels} when enabled, plus node
   * affinity.
   */
  public static Affinity affinity(
      Cluster c, NodeAffinity manifestNodeAffinity, Map<String, String> labels) {
    OperatorConfig config = c.config();
    NodeAffinity node = nodeAffinity(c, manifestNodeAffinity);
    if (!config.bool("enable_pod_antiaffinity")) {
      return node == null ? null : new AffinityBuilder().withNodeAffinity(node).build();
    }
    PodAffinityTerm term =
        new PodAffinityTermBuilder()
            .withNewLabelSelector()
            .withMatchLabels(labels)
            .endLabelSelector()
            .withTopologyKey(config.string("pod_antiaffinity_topology_key"))
            .build();
    AffinityBuilder b = new AffinityBuilder().withNodeAffinity(node);
    if (config.bool("pod_antiaffinity_preferred_during_scheduling")) {
      b.withNewPodAntiAffinity()
          .withPreferredDuringSchedulingIgnoredDuringExecution(new WeightedPodAffinityTerm(term, 1))
          .endPodAntiAffinity();
    } else {
      b.withNewPodAntiAffinity()
          .withRequiredDuringSchedulingIgnoredDuringExecution(term)
          .endPodAntiAffinity();
    }
    return b.build();
  }

  private static String blankToNull(String s) {
    return s.isEmpty() ? null : s;
  }
}
