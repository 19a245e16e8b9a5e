package dev.cornac.generators.resources;

import dev.cornac.api.config.OperatorConfig;

/**
 * The default requests and limits one kind of container falls back to (upstream:
 * pkg/cluster/k8sres.go, makeDefaultResources).
 */
public record ResourceDefaults(
    String cpuRequest, String memoryRequest, String cpuLimit, String memoryLimit) {
  public static final ResourceDefaults NONE = new ResourceDefaults("", "", "", "");

  /** {@code default_*}: the postgres container and manifest sidecars. */
  public static ResourceDefaults postgres(OperatorConfig config) {
    return new ResourceDefaults(
        config.string("default_cpu_request"),
        config.string("default_memory_request"),
        config.string("default_cpu_limit"),
        config.string("default_memory_limit"));
  }

  /** {@code connection_pooler_default_*}. */
  public static ResourceDefaults pooler(OperatorConfig config) {
    return new ResourceDefaults(
        config.string("connection_pooler_default_cpu_request"),
        config.string("connection_pooler_default_memory_request"),
        config.string("connection_pooler_default_cpu_limit"),
        config.string("connection_pooler_default_memory_limit"));
  }

  /** {@code logical_backup_*}, each falling back to {@code default_*}. */
  public static ResourceDefaults logicalBackup(OperatorConfig config) {
    ResourceDefaults d = postgres(config);
    return new ResourceDefaults(
        or(config.string("logical_backup_cpu_request"), d.cpuRequest),
        or(config.string("logical_backup_memory_request"), d.memoryRequest),
        or(config.string("logical_backup_cpu_limit"), d.cpuLimit),
        or(config.string("logical_backup_memory_limit"), d.memoryLimit));
  }

  /** {@code scalyr_*}, each falling back to {@code default_*}. */
  public static ResourceDefaults scalyr(OperatorConfig config) {
    ResourceDefaults d = postgres(config);
    return new ResourceDefaults(
        or(config.string("scalyr_cpu_request"), d.cpuRequest),
        or(config.string("scalyr_memory_request"), d.memoryRequest),
        or(config.string("scalyr_cpu_limit"), d.cpuLimit),
        or(config.string("scalyr_memory_limit"), d.memoryLimit));
  }

  private static String or(String value, String fallback) {
    return value == null || value.isEmpty() ? fallback : value;
  }
}
