package dev.cornac.operator.reconcile.steps;

import dev.cornac.generators.plan.ObjectMatcher;
import dev.cornac.operator.kubernetes.SecretFields;
import dev.cornac.operator.reconcile.ClusterInformers;
import dev.cornac.operator.reconcile.Reconciliation;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Credential Secrets (reference 3.10): created with a new password when missing; an existing
 * secret's username and password are never rewritten — only its labels, annotations and owner
 * references are aligned.
 */
public final class SecretSync {
  private SecretSync() {}

  public static void sync(Reconciliation r) {
    for (Secret desired : r.desired().credentialSecrets()) {
      ensureMetadataOnly(r, desired);
    }
  }

  static void ensureMetadataOnly(Reconciliation r, Secret desired) {
    var live =
        r.informers()
            .get(
                Secret.class,
                desired.getMetadata().getNamespace(),
                desired.getMetadata().getName());
    if (live.isEmpty()) {
      r.writer().create(desired);
      r.acted("Secrets", "created secret " + desired.getMetadata().getName());
      return;
    }
    Secret current = live.get();
    boolean ownersMatch =
        desired.getMetadata().getOwnerReferences() == null
            || ObjectMatcher.covers(
                desired.getMetadata().getOwnerReferences(),
                current.getMetadata().getOwnerReferences());
    if (!ownersMatch
        || !ObjectMatcher.covers(labelsAndAnnotations(desired), labelsAndAnnotations(current))) {
      r.writer()
          .patchMetadata(
              current,
              desired.getMetadata().getLabels(),
              desired.getMetadata().getAnnotations(),
              desired.getMetadata().getOwnerReferences());
      r.acted("Secrets", "updated labels of secret " + desired.getMetadata().getName());
    }
  }

  private static Map<String, Object> labelsAndAnnotations(Secret s) {
    Map<String, Object> m = new HashMap<>();
    m.put("labels", s.getMetadata().getLabels() == null ? Map.of() : s.getMetadata().getLabels());
    m.put(
        "annotations",
        s.getMetadata().getAnnotations() == null ? Map.of() : s.getMetadata().getAnnotations());
    return m;
  }

  /**
   * The stored password of a secret from the cache, used so that generated objects reuse it (never
   * regenerate).
   */
  public static Optional<String> storedPassword(
      ClusterInformers informers, String namespace, String secretName) {
    return storedField(informers, namespace, secretName, "password");
  }

  /** A decoded field of a secret, from the cache. */
  public static Optional<String> storedField(
      ClusterInformers informers, String namespace, String secretName, String key) {
    return informers
        .get(Secret.class, namespace, secretName)
        .flatMap(s -> SecretFields.get(s, key));
  }
}
