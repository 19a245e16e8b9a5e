package dev.cornac.generators.plan;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One write a pass makes to one object, decided by {@link ObjectPlanner} and carried out by the
 * operator; or a note for the status. Each says, in the words of the cluster's Events, what it did:
 * {@link #event()} is the Event's reason, null for a step that is not news (a note, a silent
 * bookkeeping write).
 */
public sealed interface ObjectStep {
  /** The Event reason (upstream's), or null: recorded in the status only. */
  String event();

  /** What was done, in the past tense, as the log, the Event and the status say it. */
  String message();

  /** The object the step is about (the desired one when it is written whole); null for a note. */
  HasMetadata subject();

  /** Create a missing object; {@code shared}: several clusters may create it at once. */
  record Create(HasMetadata object, boolean shared, String event, String message)
      implements ObjectStep {
    @Override
    public HasMetadata subject() {
      return object;
    }
  }

  /** Replace a drifted object in place (PUT with the live resourceVersion). */
  record Update(HasMetadata object, HasMetadata live, String event, String message)
      implements ObjectStep {
    @Override
    public HasMetadata subject() {
      return object;
    }
  }

  /**
   * Merge labels, annotations and owner references into a live object; null parts are left alone,
   * nothing of anybody else's is removed.
   */
  record PatchMetadata(
      HasMetadata live,
      Map<String, String> labels,
      Map<String, String> annotations,
      List<OwnerReference> ownerReferences,
      String event,
      String message)
      implements ObjectStep {
    @Override
    public HasMetadata subject() {
      return live;
    }
  }

  /**
   * Delete and create again, for a change Kubernetes refuses in place (or our RBAC has no update
   * for); {@code keepDependents}: the StatefulSet's pods keep running meanwhile.
   */
  record Recreate(
      HasMetadata live, HasMetadata object, boolean keepDependents, String event, String message)
      implements ObjectStep {
    @Override
    public HasMetadata subject() {
      return object;
    }
  }

  record Delete(HasMetadata live, String event, String message) implements ObjectStep {
    @Override
    public HasMetadata subject() {
      return live;
    }
  }

  /** Raise a volume claim's requested size. */
  record Resize(PersistentVolumeClaim live, String size, String event, String message)
      implements ObjectStep {
    @Override
    public HasMetadata subject() {
      return live;
    }
  }

  /**
   * Set (base64-encoded) keys of a Secret's data and remove others, on the Secret as the API server
   * has it.
   */
  record SetSecretData(
      Secret live, Map<String, String> put, Set<String> remove, String event, String message)
      implements ObjectStep {
    @Override
    public HasMetadata subject() {
      return live;
    }
  }

  /** Mark a pod for the rolling update ({@link RollingUpdateMark}). */
  record MarkPod(Pod pod, String event, String message) implements ObjectStep {
    @Override
    public HasMetadata subject() {
      return pod;
    }
  }

  /** A state worth showing in the status that needs no write. */
  record Note(String message) implements ObjectStep {
    @Override
    public String event() {
      return null;
    }

    @Override
    public HasMetadata subject() {
      return null;
    }
  }
}
