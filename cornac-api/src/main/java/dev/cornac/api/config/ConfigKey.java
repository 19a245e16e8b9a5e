package dev.cornac.api.config;

import java.util.Optional;

/**
 * One operator configuration key: its ConfigMap name and encoding, its path in an {@code
 * OperatorConfiguration}, and the three defaults upstream applies (ConfigMap code default, CRD
 * schema default, CRD-mode Go fallback).
 */
public record ConfigKey(
    String name,
    Encoding encoding,
    Optional<String> configMapDefault,
    Optional<String> crdPath,
    Optional<String> crdSchemaDefault,
    Optional<String> crdFallback,
    String meaning) {

  /**
   * The group of the OperatorConfiguration path ({@code kubernetes} for {@code
   * kubernetes.pod_role_label}), or empty.
   */
  public Optional<String> crdGroup() {
    return crdPath.filter(p -> p.contains(".")).map(p -> p.substring(0, p.indexOf('.')));
  }

  public boolean inConfigMap() {
    return encoding != Encoding.CONTAINERS && encoding != Encoding.PROBE;
  }
}
