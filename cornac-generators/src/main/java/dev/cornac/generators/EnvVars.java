package dev.cornac.generators;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;

/** The three kinds of environment variables our containers get: literal, pod field, secret key. */
public final class EnvVars {
  private EnvVars() {}

  public static EnvVar value(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  public static EnvVar field(String name, String path) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewFieldRef("v1", path)
        .endValueFrom()
        .build();
  }

  public static EnvVar secret(String name, String secretName, String key) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewSecretKeyRef(key, secretName, null)
        .endValueFrom()
        .build();
  }
}
