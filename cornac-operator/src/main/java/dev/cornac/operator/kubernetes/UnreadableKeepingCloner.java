package dev.cornac.operator.kubernetes;

import dev.cornac.api.model.Postgresql;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.Cloner;

/**
 * JOSDK's copy of a resource before each pass (a round trip through JSON), keeping the in-memory
 * mark of a {@code postgresql} object the model could not read: the round trip would drop it and
 * hand the reconciler an object without a spec and without the reason.
 */
public final class UnreadableKeepingCloner implements Cloner {
  private final KubernetesClient client;

  public UnreadableKeepingCloner(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public <R extends HasMetadata> R clone(R object) {
    R copy = client.getKubernetesSerialization().clone(object);
    if (object instanceof Postgresql original && copy instanceof Postgresql cloned) {
      original.unreadable().ifPresent(cloned::markUnreadable);
    }
    return copy;
  }
}
