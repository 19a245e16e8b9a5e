package dev.cornac.operator.reconcile.steps;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cornac.generators.Cluster;
import dev.cornac.operator.reconcile.Reconciliation;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.Optional;

/**
 * Grows the data volumes to the manifest's {@code volume.size} (reference g.1, {@code
 * storage_resize_mode}): {@code pvc} and {@code mixed} raise each smaller PVC's request — no pod
 * restart; the CSI driver grows the filesystem online — when its storage class allows expansion,
 * and say so in the status when it does not; {@code off} leaves sizes alone; {@code ebs}, which
 * needs the AWS API, is reported as not done. Volumes never shrink. Sizes are compared in whole
 * GiB, as upstream does.
 */
public final class VolumeResizeSync {
  private static final BigDecimal GIB = BigDecimal.valueOf(1L << 30);

  private VolumeResizeSync() {}

  public static void sync(Reconciliation r) {
    Cluster c = r.cluster();
    String mode = c.config().string("storage_resize_mode");
    if ("off".equals(mode) || c.spec().volume == null || c.spec().volume.size == null) {
      return;
    }
    if ("ebs".equals(mode)) {
      r.note(
          "storage_resize_mode ebs resizes through the AWS API, which Cornac does not call; volumes keep their "
              + "size (use storage_resize_mode pvc with an expandable storage class)");
      return;
    }
    Quantity wanted = new Quantity(c.spec().volume.size);
    long wantedGib = gib(wanted);
    var pvcs =
        r.informers().ofCluster(PersistentVolumeClaim.class, c.namespace(), c.name()).stream()
            .filter(p -> p.getMetadata().getName().startsWith("pgdata-"))
            .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
            .toList();
    for (PersistentVolumeClaim pvc : pvcs) {
      Quantity requested =
          pvc.getSpec() == null
                  || pvc.getSpec().getResources() == null
                  || pvc.getSpec().getResources().getRequests() == null
              ? null
              : pvc.getSpec().getResources().getRequests().get("storage");
      if (requested == null) {
        continue;
      }
      long currentGib = gib(requested);
      String name = pvc.getMetadata().getName();
      if (currentGib == wantedGib) {
        continue;
      }
      if (currentGib > wantedGib) {
        r.note(
            "volume "
                + name
                + " is "
                + requested
                + "; volumes do not shrink, volume.size "
                + wanted
                + " is not applied to it");
        continue;
      }
      String className = pvc.getSpec().getStorageClassName();
      Optional<StorageClass> storageClass = r.informers().storageClass(className);
      if (storageClass.isPresent()
          && !Boolean.TRUE.equals(storageClass.get().getAllowVolumeExpansion())) {
        r.note(
            "volume "
                + name
                + " stays "
                + requested
                + ": its storage class "
                + storageClass.get().getMetadata().getName()
                + " does not allow expansion (allowVolumeExpansion); use an expandable class (Rook Ceph "
                + "RBD allows it) or keep volume.size at "
                + requested);
        continue;
      }
      ObjectNode patch = JsonNodeFactory.instance.objectNode();
      patch
          .putObject("spec")
          .putObject("resources")
          .putObject("requests")
          .put("storage", wanted.toString());
      r.writer().mergePatch(pvc, patch);
      r.acted("Volume", "resized volume " + name + " from " + requested + " to " + wanted);
    }
  }

  static long gib(Quantity q) {
    return Quantity.getAmountInBytes(q).divideToIntegralValue(GIB).longValue();
  }
}
