package dev.cornac.generators.plan;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a cluster has, read once at the start of a pass (the operator's informer caches) or of a
 * diff (the live cluster, or another manifest's objects): the objects a plan looks at, by key; its
 * pods and which of them are marked for a rolling update — in the cache or by a write of ours the
 * cache does not show yet —; its data volumes, and which storage classes allow them to grow.
 *
 * @param objects the objects that exist, among those read ({@link ObjectPlanner#reads})
 * @param unobserved kinds that were not read (PodMonitors without their CRD, kinds a diff skips): a
 *     plan neither creates nor deletes them
 * @param storageClasses the storage class of each volume, by the class name the claim gives ("" for
 *     a claim without one: the cluster's default class); a class missing here is unknown
 */
public record ObservedCluster(
    Map<ObjectKey, HasMetadata> objects,
    Set<Class<? extends HasMetadata>> unobserved,
    List<Pod> pods,
    Set<String> markedPods,
    List<PersistentVolumeClaim> volumes,
    Map<String, StorageClass> storageClasses) {

  public ObservedCluster {
    objects = Map.copyOf(objects);
    unobserved = Set.copyOf(unobserved);
    pods = List.copyOf(pods);
    markedPods = Set.copyOf(markedPods);
    volumes = List.copyOf(volumes);
    storageClasses = Map.copyOf(storageClasses);
  }

  public <T extends HasMetadata> Optional<T> get(Class<T> type, String namespace, String name) {
    return Optional.ofNullable(objects.get(new ObjectKey(type, namespace, name))).map(type::cast);
  }

  /** The live counterpart of a desired object. */
  @SuppressWarnings("unchecked")
  public <T extends HasMetadata> Optional<T> live(T desired) {
    return Optional.ofNullable((T) objects.get(ObjectKey.of(desired)));
  }

  public boolean observes(Class<? extends HasMetadata> type) {
    return !unobserved.contains(type);
  }

  public boolean marked(Pod pod) {
    return markedPods.contains(pod.getMetadata().getName());
  }
}
