package dev.cornac.operator.reconcile;

import dev.cornac.generators.Cluster;
import dev.cornac.generators.plan.ObjectKey;
import dev.cornac.generators.plan.ObservedCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The observe step: one {@link ObservedCluster} from the informer caches — the objects a plan looks
 * at, by name; the cluster's pods, with the rolling-update marks of ours the cache may not show yet
 * ({@link RecentPodWrites}); its volumes and their storage classes. Nothing is read from the API
 * server.
 */
public final class ObservedClusterReader {
  private ObservedClusterReader() {}

  public static ObservedCluster read(
      ClusterInformers informers, Cluster cluster, List<ObjectKey> keys) {
    Map<ObjectKey, HasMetadata> objects = new HashMap<>();
    Set<Class<? extends HasMetadata>> unobserved = new HashSet<>();
    for (ObjectKey key : keys) {
      if (!informers.watches(key.type())) {
        unobserved.add(key.type());
        continue;
      }
      informers.get(key.type(), key.namespace(), key.name()).ifPresent(o -> objects.put(key, o));
    }
    List<Pod> pods = informers.ofCluster(Pod.class, cluster.namespace(), cluster.name());
    Set<String> marked = new HashSet<>();
    for (Pod pod : pods) {
      if (informers.recentPodWrites().isMarked(pod)) {
        marked.add(pod.getMetadata().getName());
      }
    }
    List<PersistentVolumeClaim> volumes =
        informers.ofCluster(PersistentVolumeClaim.class, cluster.namespace(), cluster.name());
    Map<String, StorageClass> storageClasses = new HashMap<>();
    for (PersistentVolumeClaim pvc : volumes) {
      String name = pvc.getSpec() == null ? null : pvc.getSpec().getStorageClassName();
      String key = name == null ? "" : name;
      if (!storageClasses.containsKey(key)) {
        informers.storageClass(name).ifPresent(sc -> storageClasses.put(key, sc));
      }
    }
    return new ObservedCluster(objects, unobserved, pods, marked, volumes, storageClasses);
  }
}
