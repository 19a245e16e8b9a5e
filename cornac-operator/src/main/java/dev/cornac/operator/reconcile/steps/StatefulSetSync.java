package dev.cornac.operator.reconcile.steps;

import dev.cornac.api.model.ManifestMapper;
import dev.cornac.operator.reconcile.ObjectMatcher;
import dev.cornac.operator.reconcile.Reconciliation;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;
import java.util.Map;
import java.util.Objects;

/**
 * The StatefulSet (reference c.1): created when missing; updated in place when only replicas or the pod template
 * changed; deleted with orphaned pods and created again when Kubernetes refuses the change in place (selector,
 * volume claim templates, pod management, PVC retention, owner references, annotations). A changed pod template
 * first marks every pod with upstream's rolling-update annotation, so that the roll survives an operator restart.
 */
public final class StatefulSetSync {
  public static final String ROLLING_UPDATE_ANNOTATION = "zalando-postgres-operator-rolling-update-required";

  private StatefulSetSync() {}

  public static void sync(Reconciliation r) {
    StatefulSet desired = r.desired().statefulSet();
    var live = r.live(StatefulSet.class, desired);
    if (live.isEmpty()) {
      r.writer().create(desired);
      r.acted("StatefulSet", "created statefulset " + desired.getMetadata().getName() + " with "
          + desired.getSpec().getReplicas() + " instance(s)");
      return;
    }
    StatefulSet current = live.get();
    boolean templateChanged = !ObjectMatcher.covers(ManifestMapper.tree(desired.getSpec().getTemplate()),
        ManifestMapper.tree(current.getSpec().getTemplate()), ".spec.template");
    if (templateChanged && !lazyImageOnly(r, desired, current)) {
      markPodsForRollingUpdate(r, "pod template changed");
    }
    markPodsWithOutdatedImage(r, desired);
    if (ObjectMatcher.covers(desired, current)) {
      return;
    }
    if (needsReplace(desired, current)) {
      r.writer().deleteOrphaningDependents(current);
      r.writer().create(desired);
      r.acted("StatefulSet", "replaced statefulset " + desired.getMetadata().getName()
          + " (pods kept running; Kubernetes refuses this change in place)");
      return;
    }
    desired.getMetadata().setLabels(ServiceSync.merge(current.getMetadata().getLabels(),
        desired.getMetadata().getLabels()));
    r.writer().update(desired, current);
    if (!Objects.equals(desired.getSpec().getReplicas(), current.getSpec().getReplicas())) {
      r.acted("StatefulSet", "scaled statefulset " + desired.getMetadata().getName() + " from "
          + current.getSpec().getReplicas() + " to " + desired.getSpec().getReplicas() + " instance(s)");
    } else {
      r.acted("StatefulSet", "updated statefulset " + desired.getMetadata().getName());
    }
  }

  private static boolean needsReplace(StatefulSet desired, StatefulSet current) {
    StatefulSetSpec d = desired.getSpec();
    StatefulSetSpec c = current.getSpec();
    return !ObjectMatcher.covers(d.getSelector(), c.getSelector())
        || !ObjectMatcher.covers(ManifestMapper.tree(d.getVolumeClaimTemplates()),
            ManifestMapper.tree(c.getVolumeClaimTemplates()), ".spec.volumeClaimTemplates")
        || !Objects.equals(d.getPodManagementPolicy(), c.getPodManagementPolicy())
        || !Objects.equals(d.getServiceName(), c.getServiceName())
        || !ObjectMatcher.covers(d.getPersistentVolumeClaimRetentionPolicy(),
            c.getPersistentVolumeClaimRetentionPolicy())
        || !ObjectMatcher.covers(desired.getMetadata().getOwnerReferences(), current.getMetadata().getOwnerReferences())
        || !ObjectMatcher.covers(desired.getMetadata().getAnnotations(), current.getMetadata().getAnnotations());
  }

  /** With {@code enable_lazy_spilo_upgrade} an image change alone updates the template without rolling pods. */
  private static boolean lazyImageOnly(Reconciliation r, StatefulSet desired, StatefulSet current) {
    if (!r.cluster().config().bool("enable_lazy_spilo_upgrade")) {
      return false;
    }
    StatefulSet probe = ManifestMapper.convert(desired, StatefulSet.class);
    Container desiredPostgres = probe.getSpec().getTemplate().getSpec().getContainers().get(0);
    desiredPostgres.setImage(current.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
    return ObjectMatcher.covers(ManifestMapper.tree(probe.getSpec().getTemplate()),
        ManifestMapper.tree(current.getSpec().getTemplate()), ".spec.template");
  }

  /** Without lazy upgrades, a pod running another image than the desired one must be recreated (c.2). */
  private static void markPodsWithOutdatedImage(Reconciliation r, StatefulSet desired) {
    if (r.cluster().config().bool("enable_lazy_spilo_upgrade")) {
      return;
    }
    String image = desired.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    for (Pod pod : r.informers().ofCluster(Pod.class, r.cluster().namespace(), r.cluster().name())) {
      String podImage = pod.getSpec() == null || pod.getSpec().getContainers() == null
          ? null : pod.getSpec().getContainers().stream().filter(c -> "postgres".equals(c.getName()))
              .map(Container::getImage).findFirst().orElse(null);
      if (podImage != null && !podImage.equals(image) && !r.informers().recentPodWrites().isMarked(pod)) {
        mark(r, pod, "runs image " + podImage + " instead of " + image);
      }
    }
  }

  public static void markPodsForRollingUpdate(Reconciliation r, String why) {
    for (Pod pod : r.informers().ofCluster(Pod.class, r.cluster().namespace(), r.cluster().name())) {
      if (!r.informers().recentPodWrites().isMarked(pod)) {
        mark(r, pod, why);
      }
    }
  }

  private static void mark(Reconciliation r, Pod pod, String why) {
    r.writer().markForRollingUpdate(pod);
    r.acted("Update", "marked pod " + pod.getMetadata().getName() + " for a rolling update: " + why);
  }

  public static boolean isMarked(Pod pod) {
    Map<String, String> a = pod.getMetadata().getAnnotations();
    return a != null && "true".equalsIgnoreCase(a.get(ROLLING_UPDATE_ANNOTATION));
  }
}
