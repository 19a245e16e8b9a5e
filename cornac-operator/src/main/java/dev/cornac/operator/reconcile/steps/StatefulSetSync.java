package dev.cornac.operator.reconcile.steps;

import dev.cornac.generators.plan.StatefulSetChange;
import dev.cornac.operator.reconcile.Reconciliation;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.Map;

/**
 * The StatefulSet (reference c.1): created when missing; updated in place when only replicas or the
 * pod template changed; deleted with orphaned pods and created again when Kubernetes refuses the
 * change in place (selector, volume claim templates, pod management, PVC retention, owner
 * references, annotations). A changed pod template first marks every pod with upstream's
 * rolling-update annotation, so that the roll survives an operator restart.
 */
public final class StatefulSetSync {
  public static final String ROLLING_UPDATE_ANNOTATION =
      "zalando-postgres-operator-rolling-update-required";

  private StatefulSetSync() {}

  public static void sync(Reconciliation r) {
    StatefulSet desired = r.desired().statefulSet();
    var live = r.live(StatefulSet.class, desired);
    StatefulSetChange change =
        StatefulSetChange.of(desired, live, r.cluster().config().bool("enable_lazy_spilo_upgrade"));
    if (change.action() == StatefulSetChange.Action.CREATE) {
      r.writer().create(desired);
      r.acted(
          "StatefulSet",
          "created statefulset "
              + desired.getMetadata().getName()
              + " with "
              + desired.getSpec().getReplicas()
              + " instance(s)");
      return;
    }
    StatefulSet current = live.get();
    if (change.rollsPods()) {
      markPodsForRollingUpdate(r, "pod template changed");
    }
    markPodsWithOutdatedImage(r, desired);
    switch (change.action()) {
      case REPLACE -> {
        r.writer().deleteOrphaningDependents(current);
        r.writer().create(desired);
        r.acted(
            "StatefulSet",
            "replaced statefulset "
                + desired.getMetadata().getName()
                + " (pods kept running; Kubernetes refuses this change in place)");
      }
      case UPDATE -> {
        desired
            .getMetadata()
            .setLabels(
                ServiceSync.merge(
                    current.getMetadata().getLabels(), desired.getMetadata().getLabels()));
        r.writer().update(desired, current);
        r.acted(
            "StatefulSet",
            change.scales()
                ? "scaled statefulset "
                    + desired.getMetadata().getName()
                    + " from "
                    + change.replicasFrom().get()
                    + " to "
                    + change.replicasTo()
                    + " instance(s)"
                : "updated statefulset " + desired.getMetadata().getName());
      }
      default -> {
        // in sync
      }
    }
  }

  /**
   * Without lazy upgrades, a pod running another image than the desired one must be recreated
   * (c.2).
   */
  private static void markPodsWithOutdatedImage(Reconciliation r, StatefulSet desired) {
    if (r.cluster().config().bool("enable_lazy_spilo_upgrade")) {
      return;
    }
    String image = desired.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    for (Pod pod :
        r.informers().ofCluster(Pod.class, r.cluster().namespace(), r.cluster().name())) {
      String podImage =
          pod.getSpec() == null || pod.getSpec().getContainers() == null
              ? null
              : pod.getSpec().getContainers().stream()
                  .filter(c -> "postgres".equals(c.getName()))
                  .map(Container::getImage)
                  .findFirst()
                  .orElse(null);
      if (podImage != null
          && !podImage.equals(image)
          && !r.informers().recentPodWrites().isMarked(pod)) {
        mark(r, pod, "runs image " + podImage + " instead of " + image);
      }
    }
  }

  public static void markPodsForRollingUpdate(Reconciliation r, String why) {
    for (Pod pod :
        r.informers().ofCluster(Pod.class, r.cluster().namespace(), r.cluster().name())) {
      if (!r.informers().recentPodWrites().isMarked(pod)) {
        mark(r, pod, why);
      }
    }
  }

  private static void mark(Reconciliation r, Pod pod, String why) {
    r.writer().markForRollingUpdate(pod);
    r.acted(
        "Update", "marked pod " + pod.getMetadata().getName() + " for a rolling update: " + why);
  }

  public static boolean isMarked(Pod pod) {
    Map<String, String> a = pod.getMetadata().getAnnotations();
    return a != null && "true".equalsIgnoreCase(a.get(ROLLING_UPDATE_ANNOTATION));
  }
}
