package dev.cornac.generators.plan;

import dev.cornac.api.model.ManifestMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the StatefulSet needs (upstream: pkg/cluster/cluster.go, compareStatefulSetWith), decided
 * once for the operator, which carries it out, and for {@code cornac diff}, which shows it: created
 * when missing; updated in place when only replicas or the pod template changed; deleted with
 * orphaned pods and created again when Kubernetes refuses the change in place (selector, volume
 * claim templates, pod management, service name, PVC retention, owner references, annotations). A
 * changed pod template rolls the pods, except an image change alone under {@code
 * enable_lazy_spilo_upgrade}.
 *
 * @param fields the paths that differ ({@code .spec.template.spec.containers[0].image}, …)
 */
public record StatefulSetChange(
    Action action,
    List<String> fields,
    boolean rollsPods,
    Optional<Integer> replicasFrom,
    int replicasTo) {

  public enum Action {
    NONE,
    CREATE,
    UPDATE,
    REPLACE
  }

  public boolean scales() {
    return replicasFrom.isPresent() && replicasFrom.get() != replicasTo;
  }

  public static StatefulSetChange of(
      StatefulSet desired, Optional<StatefulSet> live, boolean lazySpiloUpgrade) {
    int to = desired.getSpec().getReplicas() == null ? 0 : desired.getSpec().getReplicas();
    if (live.isEmpty()) {
      return new StatefulSetChange(Action.CREATE, List.of(), false, Optional.empty(), to);
    }
    StatefulSet current = live.get();
    Optional<Integer> from = Optional.ofNullable(current.getSpec().getReplicas());
    boolean templateChanged =
        !ObjectMatcher.covers(
            ManifestMapper.tree(desired.getSpec().getTemplate()),
            ManifestMapper.tree(current.getSpec().getTemplate()),
            ".spec.template");
    boolean rolls = templateChanged && !(lazySpiloUpgrade && imageOnly(desired, current));
    if (ObjectMatcher.covers(desired, current)) {
      return new StatefulSetChange(Action.NONE, List.of(), false, from, to);
    }
    List<String> fields = new ArrayList<>(ObjectMatcher.differences(desired, current));
    Action action = needsReplace(desired, current) ? Action.REPLACE : Action.UPDATE;
    return new StatefulSetChange(action, List.copyOf(fields), rolls, from, to);
  }

  private static boolean needsReplace(StatefulSet desired, StatefulSet current) {
    StatefulSetSpec d = desired.getSpec();
    StatefulSetSpec c = current.getSpec();
    return !ObjectMatcher.covers(d.getSelector(), c.getSelector())
        || !ObjectMatcher.covers(
            ManifestMapper.tree(d.getVolumeClaimTemplates()),
            ManifestMapper.tree(c.getVolumeClaimTemplates()),
            ".spec.volumeClaimTemplates")
        || !Objects.equals(d.getPodManagementPolicy(), c.getPodManagementPolicy())
        || !Objects.equals(d.getServiceName(), c.getServiceName())
        || !ObjectMatcher.covers(
            d.getPersistentVolumeClaimRetentionPolicy(),
            c.getPersistentVolumeClaimRetentionPolicy())
        || !ObjectMatcher.covers(
            desired.getMetadata().getOwnerReferences(), current.getMetadata().getOwnerReferences())
        || !ObjectMatcher.covers(
            desired.getMetadata().getAnnotations(), current.getMetadata().getAnnotations());
  }

  /** Whether the templates differ only in the Spilo image. */
  private static boolean imageOnly(StatefulSet desired, StatefulSet current) {
    StatefulSet probe = ManifestMapper.convert(desired, StatefulSet.class);
    Container desiredPostgres = probe.getSpec().getTemplate().getSpec().getContainers().get(0);
    desiredPostgres.setImage(
        current.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
    return ObjectMatcher.covers(
        ManifestMapper.tree(probe.getSpec().getTemplate()),
        ManifestMapper.tree(current.getSpec().getTemplate()),
        ".spec.template");
  }
}
