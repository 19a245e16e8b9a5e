package dev.cornac.api.config;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operator configuration, merged from one source into typed, immutable values. Every key of
 * {@link ConfigKeys} has a value here (its default or zero value when not given); integer keys
 * without any default stay absent, as upstream's pointers do. Read with the typed getters; named
 * accessors exist for the common keys.
 */
public final class OperatorConfig {
  public enum Source {
    DEFAULTS,
    CONFIG_MAP,
    OPERATOR_CONFIGURATION
  }

  private final Source source;
  private final Map<String, Object> values;
  private final List<String> warnings;

  OperatorConfig(Source source, Map<String, Object> values, List<String> warnings) {
    this.source = source;
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    this.warnings = List.copyOf(warnings);
  }

  /** Upstream's code defaults, as with an empty ConfigMap. */
  public static OperatorConfig defaults() {
    return OperatorConfigReader.fromConfigMap(Map.of());
  }

  public Source source() {
    return source;
  }

  /**
   * Keys that were given but are unknown or ignored; shown to the user, never fatal (upstream
   * ignores them).
   */
  public List<String> warnings() {
    return warnings;
  }

  /** A copy with one value replaced, for tests and for command-line overrides. */
  public OperatorConfig with(String key, Object value) {
    ConfigKeys.get(key);
    Map<String, Object> copy = new LinkedHashMap<>(values);
    copy.put(key, value);
    return new OperatorConfig(source, copy, warnings);
  }

  public Map<String, Object> asMap() {
    return values;
  }

  private Object raw(String key) {
    ConfigKeys.get(key);
    return values.get(key);
  }

  public boolean bool(String key) {
    return Boolean.TRUE.equals(raw(key));
  }

  public Optional<Long> integer(String key) {
    Object v = raw(key);
    return v == null ? Optional.empty() : Optional.of(((Number) v).longValue());
  }

  public long integerOr(String key, long fallback) {
    return integer(key).orElse(fallback);
  }

  public Duration duration(String key) {
    Object v = raw(key);
    return v == null ? Duration.ZERO : (Duration) v;
  }

  public String string(String key) {
    Object v = raw(key);
    return v == null ? "" : v.toString();
  }

  @SuppressWarnings("unchecked")
  public List<String> list(String key) {
    Object v = raw(key);
    return v == null ? List.of() : (List<String>) v;
  }

  @SuppressWarnings("unchecked")
  public Map<String, String> map(String key) {
    Object v = raw(key);
    return v == null ? Map.of() : (Map<String, String>) v;
  }

  public Optional<NamespacedName> namespacedName(String key) {
    return Optional.ofNullable((NamespacedName) raw(key));
  }

  @SuppressWarnings("unchecked")
  public List<Container> sidecars() {
    Object v = raw("sidecars");
    return v == null ? List.of() : (List<Container>) v;
  }

  public Optional<Probe> livenessProbe() {
    return Optional.ofNullable((Probe) raw("liveness_probe"));
  }

  // Named accessors for the keys most code reads.

  public String superUsername() {
    return string("super_username");
  }

  public String replicationUsername() {
    return string("replication_username");
  }

  public Map<String, String> clusterLabels() {
    return map("cluster_labels");
  }

  public String clusterNameLabel() {
    return string("cluster_name_label");
  }

  public String podRoleLabel() {
    return string("pod_role_label");
  }

  public String dockerImage() {
    return string("docker_image");
  }

  public String podServiceAccountName() {
    return string("pod_service_account_name");
  }

  public boolean kubernetesUseConfigMaps() {
    return bool("kubernetes_use_configmaps");
  }

  public String etcdHost() {
    return string("etcd_host");
  }

  /** Patroni uses the Kubernetes API as DCS unless an etcd host is configured. */
  public boolean kubernetesDcs() {
    return etcdHost().isEmpty();
  }

  /**
   * ConfigMap DCS mode: Kubernetes DCS and {@code kubernetes_use_configmaps} (upstream:
   * pkg/cluster/util.go, patroniKubernetesUseConfigMaps).
   */
  public boolean configMapDcs() {
    return kubernetesDcs() && kubernetesUseConfigMaps();
  }
}
