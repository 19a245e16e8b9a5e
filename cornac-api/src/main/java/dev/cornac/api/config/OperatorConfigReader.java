package dev.cornac.api.config;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.api.quantity.Quantities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the operator configuration from a ConfigMap's data or an OperatorConfiguration (upstream:
 * pkg/controller/controller.go, initOperatorConfig; pkg/controller/operator_config.go,
 * importConfigurationFromCRD).
 */
public final class OperatorConfigReader {
  private OperatorConfigReader() {}

  /** Reads a YAML/JSON file holding either a ConfigMap or an OperatorConfiguration. */
  public static OperatorConfig fromFile(Path file) {
    JsonNode doc;
    try {
      doc = ManifestMapper.yaml().readTree(Files.readString(file));
    } catch (IOException e) {
      throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
    }
    if (doc == null || !doc.isObject()) {
      throw new ConfigException(
          file
              + " is empty or not a YAML object; expected a ConfigMap or an OperatorConfiguration");
    }
    String kind = doc.path("kind").asText();
    if ("ConfigMap".equals(kind)) {
      Map<String, String> data = new LinkedHashMap<>();
      doc.path("data")
          .fields()
          .forEachRemaining(
              e ->
                  data.put(
                      e.getKey(),
                      e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
      return fromConfigMap(data);
    }
    if ("OperatorConfiguration".equals(kind)) {
      Map<String, Object> configuration =
          ManifestMapper.json()
              .convertValue(doc.path("configuration"), new TypeReference<Map<String, Object>>() {});
      return fromOperatorConfiguration(configuration == null ? Map.of() : configuration);
    }
    throw new ConfigException(
        file + " has kind '" + kind + "'; expected ConfigMap or OperatorConfiguration");
  }

  public static OperatorConfig fromConfigMap(Map<String, String> data) {
    Map<String, Object> values = new LinkedHashMap<>();
    List<String> warnings = new ArrayList<>();
    for (ConfigKey key : ConfigKeys.all()) {
      if (!key.inConfigMap()) {
        values.put(key.name(), null);
        continue;
      }
      String given = data.get(key.name());
      if (given != null) {
        values.put(key.name(), given.isEmpty() ? zero(key) : parseString(key, given));
      } else {
        values.put(
            key.name(),
            key.configMapDefault().map(d -> parseString(key, d)).orElseGet(() -> zero(key)));
      }
    }
    Set<String> unknown = new TreeSet<>(data.keySet());
    unknown.removeIf(k -> ConfigKeys.find(k).filter(ConfigKey::inConfigMap).isPresent());
    unknown.forEach(
        k ->
            warnings.add(
                ConfigKeys.find(k).isPresent()
                    ? k
                        + " cannot be set in a ConfigMap and is ignored; use an OperatorConfiguration"
                    : "unknown configuration key " + k + " is ignored"));
    if (data.containsKey("enable_load_balancer")) {
      warnings.add(
          "enable_load_balancer is deprecated and ignored; use enable_master_load_balancer");
    }
    raiseMemoryRequestsToLimits(values);
    validate(values);
    return new OperatorConfig(
        data.isEmpty() ? OperatorConfig.Source.DEFAULTS : OperatorConfig.Source.CONFIG_MAP,
        values,
        warnings);
  }

  public static OperatorConfig fromOperatorConfiguration(Map<String, Object> configuration) {
    Map<String, Object> values = new LinkedHashMap<>();
    List<String> warnings = new ArrayList<>();
    Set<String> known = new TreeSet<>();
    for (ConfigKey key : ConfigKeys.all()) {
      if (key.crdPath().isEmpty()) {
        values.put(key.name(), zero(key));
        continue;
      }
      String path = key.crdPath().get();
      known.add(path);
      Optional<String> group = key.crdGroup();
      Map<?, ?> section =
          group.isEmpty()
              ? configuration
              : configuration.get(group.get()) instanceof Map<?, ?> m ? m : null;
      String leaf = group.isEmpty() ? path : path.substring(group.get().length() + 1);
      Object given = section == null ? null : section.get(leaf);
      Object value;
      if (given != null) {
        value = coerce(key, given);
      } else if (section != null && key.crdSchemaDefault().isPresent()) {
        // The API server applies a schema default only when the enclosing object exists (upstream:
        // manifests/operatorconfiguration.crd.yaml).
        value = parseLiteral(key, key.crdSchemaDefault().get());
      } else {
        value = null;
      }
      if (isEmpty(value) && key.crdFallback().isPresent()) {
        value = parseLiteral(key, key.crdFallback().get());
      }
      values.put(key.name(), value == null ? zero(key) : value);
    }
    // In CRD mode the pooler instance count is raised to at least 2 (upstream:
    // pkg/controller/operator_config.go, importConfigurationFromCRD).
    Object instances = values.get("connection_pooler_number_of_instances");
    if (instances instanceof Long n && n < 2) {
      values.put("connection_pooler_number_of_instances", 2L);
    }
    for (Map.Entry<String, Object> e : configuration.entrySet()) {
      if (e.getValue() instanceof Map<?, ?> m && isGroup(e.getKey())) {
        m.keySet()
            .forEach(
                k -> {
                  if (!known.contains(e.getKey() + "." + k)) {
                    warnings.add(
                        "unknown configuration key " + e.getKey() + "." + k + " is ignored");
                  }
                });
      } else if (!known.contains(e.getKey())) {
        warnings.add("unknown configuration key " + e.getKey() + " is ignored");
      }
    }
    validate(values);
    return new OperatorConfig(OperatorConfig.Source.OPERATOR_CONFIGURATION, values, warnings);
  }

  private static boolean isGroup(String name) {
    return ConfigKeys.all().stream().anyMatch(k -> k.crdGroup().filter(name::equals).isPresent());
  }

  private static boolean isEmpty(Object value) {
    return value == null
        || (value instanceof String s && s.isEmpty())
        || (value instanceof Long n && n == 0)
        || (value instanceof Duration d && d.isZero())
        || (value instanceof List<?> l && l.isEmpty())
        || (value instanceof Map<?, ?> m && m.isEmpty());
  }

  static Object zero(ConfigKey key) {
    return switch (key.encoding()) {
      case BOOL -> false;
      case INT, NSNAME, PROBE -> null;
      case DURATION -> Duration.ZERO;
      case STRING, TEMPLATE -> "";
      case LIST, CONTAINERS -> List.of();
      case MAP -> Map.of();
    };
  }

  static Object parseString(ConfigKey key, String value) {
    String name = key.name();
    return switch (key.encoding()) {
      case BOOL -> ConfigMapValues.parseBool(name, value);
      case INT -> ConfigMapValues.parseInt(name, value);
      case DURATION -> ConfigMapValues.parseDuration(name, value);
      case STRING, TEMPLATE -> value;
      case LIST -> ConfigMapValues.parseList(value);
      case MAP -> Map.copyOf(ConfigMapValues.parseMap(name, value));
      case NSNAME -> NamespacedName.parse(name, value);
      case CONTAINERS, PROBE ->
          throw new ConfigException(
              "configuration key "
                  + name
                  + " cannot be set in a ConfigMap; use an OperatorConfiguration");
    };
  }

  /** A default written in the key table as YAML ({@code [admin, cron_admin]}) or plain text. */
  private static Object parseLiteral(ConfigKey key, String literal) {
    if (key.encoding() == Encoding.LIST || key.encoding() == Encoding.MAP) {
      try {
        return coerce(key, ManifestMapper.yaml().readValue(literal, Object.class));
      } catch (IOException e) {
        throw new IllegalStateException("bad default for " + key.name() + ": " + literal, e);
      }
    }
    return parseString(key, literal);
  }

  /**
   * A value from an OperatorConfiguration: native YAML types, strings accepted where upstream's
   * schema has them.
   */
  private static Object coerce(ConfigKey key, Object given) {
    String name = key.name();
    try {
      return switch (key.encoding()) {
        case BOOL ->
            given instanceof Boolean b ? b : ConfigMapValues.parseBool(name, given.toString());
        case INT ->
            given instanceof Number n
                ? n.longValue()
                : ConfigMapValues.parseInt(name, given.toString());
        case DURATION -> ConfigMapValues.parseDuration(name, given.toString());
        case STRING, TEMPLATE -> given instanceof String str ? str : ManifestMapper.toJson(given);
        case LIST ->
            given instanceof List<?> l
                ? l.stream().map(String::valueOf).toList()
                : ConfigMapValues.parseList(given.toString());
        case MAP ->
            given instanceof Map<?, ?> m
                ? stringMap(m)
                : Map.copyOf(ConfigMapValues.parseMap(name, given.toString()));
        case NSNAME -> NamespacedName.parse(name, given.toString());
        case CONTAINERS -> ManifestMapper.convertList(given, Container.class);
        case PROBE -> ManifestMapper.convert(given, Probe.class);
      };
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          "configuration key " + key.crdPath().orElse(name) + ": " + e.getMessage());
    }
  }

  private static Map<String, String> stringMap(Map<?, ?> m) {
    Map<String, String> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
    return out;
  }

  private static void raiseMemoryRequestsToLimits(Map<String, Object> values) {
    if (!Boolean.TRUE.equals(values.get("set_memory_request_to_limit"))) {
      return;
    }
    raiseTo(values, "default_memory_request", "default_memory_limit");
    raiseTo(values, "scalyr_memory_request", "scalyr_memory_limit");
  }

  private static void raiseTo(Map<String, Object> values, String request, String limit) {
    String req = (String) values.get(request);
    String lim = (String) values.get(limit);
    if (!lim.isEmpty() && (req.isEmpty() || Quantities.compare(req, lim) < 0)) {
      values.put(request, lim);
    }
  }

  private static void validate(Map<String, Object> values) {
    List<String> errors = new ArrayList<>();
    Long workers = (Long) values.get("workers");
    if (workers == null || workers <= 0) {
      errors.add("workers must be greater than 0 (got " + workers + ")");
    }
    Long min = (Long) values.get("min_instances");
    Long max = (Long) values.get("max_instances");
    if (min != null && max != null && min > 0 && max > 0 && min > max) {
      errors.add(
          "min_instances (" + min + ") must not be greater than max_instances (" + max + ")");
    }
    Long pooler = (Long) values.get("connection_pooler_number_of_instances");
    if (pooler != null && pooler < 1) {
      errors.add("connection_pooler_number_of_instances must be at least 1 (got " + pooler + ")");
    }
    if (values.get("connection_pooler_user").equals(values.get("super_username"))) {
      errors.add(
          "connection_pooler_user must differ from super_username (both are '"
              + values.get("super_username")
              + "')");
    }
    if (!errors.isEmpty()) {
      throw new ConfigException("invalid operator configuration: " + String.join("; ", errors));
    }
  }
}
