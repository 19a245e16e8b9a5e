package dev.cornac.generators.plan;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Where an object lives: its kind (as a model class), namespace and name. */
public record ObjectKey(Class<? extends HasMetadata> type, String namespace, String name) {
  public static ObjectKey of(HasMetadata o) {
    return new ObjectKey(o.getClass(), o.getMetadata().getNamespace(), o.getMetadata().getName());
  }

  public String kind() {
    return type.getSimpleName();
  }
}
