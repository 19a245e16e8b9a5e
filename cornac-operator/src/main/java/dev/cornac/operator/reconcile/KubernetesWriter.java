package dev.cornac.operator.reconcile;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.generators.plan.RollingUpdateMark;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.net.HttpURLConnection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every write the reconciler makes goes through here: create, update (PUT with the live
 * resourceVersion), metadata merge patch and delete. Writes are fed back into the informer caches
 * so that the next read sees them.
 */
public final class KubernetesWriter {
  private final KubernetesClient client;
  private final ClusterInformers informers;

  public KubernetesWriter(KubernetesClient client, ClusterInformers informers) {
    this.client = client;
    this.informers = informers;
  }

  public <R extends HasMetadata> R create(R desired) {
    R created = client.resource(desired).create();
    cacheCreate(created);
    return created;
  }

  /**
   * Creates an object shared by several clusters (the per-namespace ServiceAccount and
   * RoleBinding): another worker may have created it a moment ago, which is fine.
   */
  public <R extends HasMetadata> void createShared(R desired) {
    try {
      create(desired);
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
    }
  }

  public <R extends HasMetadata> R update(R desired, R actual) {
    desired.getMetadata().setResourceVersion(actual.getMetadata().getResourceVersion());
    R updated = client.resource(desired).update();
    cacheUpdate(updated, actual);
    return updated;
  }

  /**
   * A JSON merge patch of labels, annotations and owner references: nothing of anybody else's is
   * removed, and no read is needed.
   */
  public <R extends HasMetadata> R patchMetadata(
      R actual,
      Map<String, String> labels,
      Map<String, String> annotations,
      List<OwnerReference> ownerReferences) {
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    ObjectNode metadata = patch.putObject("metadata");
    if (labels != null && !labels.isEmpty()) {
      metadata.set("labels", ManifestMapper.tree(labels));
    }
    if (annotations != null && !annotations.isEmpty()) {
      metadata.set("annotations", ManifestMapper.tree(annotations));
    }
    if (ownerReferences != null) {
      metadata.set("ownerReferences", ManifestMapper.tree(ownerReferences));
    }
    R result =
        client.resource(actual).patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
    cacheUpdate(result, actual);
    return result;
  }

  /** A JSON merge patch of any part of an object (a PVC's requested size, say). */
  public <R extends HasMetadata> R mergePatch(R actual, ObjectNode patch) {
    R result =
        client.resource(actual).patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
    cacheUpdate(result, actual);
    return result;
  }

  public void delete(HasMetadata actual) {
    client.resource(actual).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
    if (actual instanceof Pod pod) {
      informers.recentPodWrites().deleted(pod);
    }
  }

  /**
   * Marks a pod for a rolling update (upstream's annotation), remembered until the cache shows it.
   */
  public void markForRollingUpdate(Pod pod) {
    patchMetadata(pod, null, Map.of(RollingUpdateMark.ANNOTATION, "true"), null);
    informers.recentPodWrites().markedForRollingUpdate(pod);
  }

  /**
   * Sets and removes keys of a Secret's data on the Secret as the API server has it (a read and a
   * PUT with its resourceVersion): a key written meanwhile by somebody else is kept.
   */
  public void editSecretData(Secret live, Map<String, String> put, Set<String> remove) {
    client
        .secrets()
        .inNamespace(live.getMetadata().getNamespace())
        .withName(live.getMetadata().getName())
        .edit(
            s -> {
              Map<String, String> data =
                  new LinkedHashMap<>(s.getData() == null ? Map.of() : s.getData());
              data.putAll(put);
              remove.forEach(data::remove);
              s.setData(data);
              return s;
            });
  }

  public void deleteOrphaningDependents(HasMetadata actual) {
    client.resource(actual).withPropagationPolicy(DeletionPropagation.ORPHAN).delete();
  }

  public KubernetesClient client() {
    return client;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void cacheCreate(HasMetadata created) {
    var source = informers.source((Class) created.getClass());
    if (source != null) {
      source.handleRecentResourceCreate(ResourceID.fromResource(created), created);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void cacheUpdate(HasMetadata updated, HasMetadata previous) {
    var source = informers.source((Class) updated.getClass());
    if (source != null) {
      source.handleRecentResourceUpdate(ResourceID.fromResource(updated), updated, previous);
    }
  }
}
