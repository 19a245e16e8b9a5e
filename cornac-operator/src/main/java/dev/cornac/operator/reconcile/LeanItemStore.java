package dev.cornac.operator.reconcile;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.List;
import java.util.stream.Stream;

/**
 * An informer store that keeps only what the reconciler reads, so that 1000 clusters fit in a small
 * heap: no {@code managedFields} (often the largest part of an object on a real API server), for
 * pods only identity, labels, annotations, container images and phase, and what objects have in
 * common shared between them ({@link SharedObjectParts}).
 */
public final class LeanItemStore<V extends HasMetadata> implements ItemStore<V> {
  private final BasicItemStore<V> store = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);

  @Override
  public String getKey(V obj) {
    return store.getKey(obj);
  }

  @Override
  public V put(String key, V obj) {
    return store.put(key, lean(obj));
  }

  @Override
  public V remove(String key) {
    return store.remove(key);
  }

  @Override
  public Stream<String> keySet() {
    return store.keySet();
  }

  @Override
  public Stream<V> values() {
    return store.values();
  }

  @Override
  public int size() {
    return store.size();
  }

  @Override
  public V get(String key) {
    return store.get(key);
  }

  static <V extends HasMetadata> V lean(V obj) {
    ObjectMeta meta = obj.getMetadata();
    if (meta != null) {
      meta.setManagedFields(List.of());
    }
    if (obj instanceof Pod pod) {
      leanPod(pod);
    }
    SharedObjectParts.share(obj);
    return obj;
  }

  private static void leanPod(Pod pod) {
    PodSpec spec = pod.getSpec();
    if (spec != null) {
      List<Container> containers =
          spec.getContainers() == null
              ? List.of()
              : spec.getContainers().stream()
                  .map(
                      c ->
                          new ContainerBuilder()
                              .withName(c.getName())
                              .withImage(c.getImage())
                              .build())
                  .toList();
      PodSpec lean = new PodSpec();
      lean.setContainers(containers);
      lean.setNodeName(spec.getNodeName());
      pod.setSpec(lean);
    }
    PodStatus status = pod.getStatus();
    if (status != null) {
      PodStatus lean = new PodStatus();
      lean.setPhase(status.getPhase());
      lean.setPodIP(status.getPodIP());
      lean.setConditions(status.getConditions());
      pod.setStatus(lean);
    }
  }
}
