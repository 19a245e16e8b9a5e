package dev.cornac.operator.reconcile;

import dev.cornac.operator.kubernetes.SecretFields;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Optional;

/**
 * Values stored in the clusters' Secrets, read from the cache: generated objects reuse a stored
 * password (never regenerate it), and the role sync logs in with what the Secrets hold.
 */
public final class StoredSecrets {
  private StoredSecrets() {}

  public static Optional<String> password(
      ClusterInformers informers, String namespace, String secretName) {
    return field(informers, namespace, secretName, "password");
  }

  /** A decoded field of a secret, from the cache. */
  public static Optional<String> field(
      ClusterInformers informers, String namespace, String secretName, String key) {
    return informers
        .get(Secret.class, namespace, secretName)
        .flatMap(s -> SecretFields.get(s, key));
  }
}
