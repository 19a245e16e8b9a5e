package dev.cornac.operator.config;

import dev.cornac.api.config.ConfigException;
import dev.cornac.api.config.NamespacedName;
import dev.cornac.api.config.OperatorConfig;
import dev.cornac.api.config.OperatorConfigReader;
import dev.cornac.api.model.OperatorConfiguration;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the operator configuration (upstream: pkg/controller/controller.go, initController): the
 * OperatorConfiguration named by {@code POSTGRES_OPERATOR_CONFIGURATION_OBJECT}, else the ConfigMap
 * named by {@code CONFIG_MAP_NAME}, else the code defaults; then the environment overrides. At
 * start-up, and again whenever the object changes ({@link ConfigurationWatch}).
 */
public final class OperatorConfigLoader {
  private OperatorConfigLoader() {}

  /**
   * A configuration and the object it was read from (empty for the code defaults).
   *
   * @param content the object's configuration as given (the ConfigMap's data, the
   *     OperatorConfiguration's configuration): what a change is compared on
   */
  public record Loaded(OperatorConfig config, Optional<HasMetadata> object, Object content) {
    /** The object's resourceVersion: which revision of the configuration runs. */
    public String revision() {
      return object.map(o -> o.getMetadata().getResourceVersion()).orElse("defaults");
    }
  }

  public static OperatorConfig load(KubernetesClient client, OperatorEnvironment env) {
    return read(client, env).config();
  }

  public static Loaded read(KubernetesClient client, OperatorEnvironment env) {
    if (env.operatorConfigurationObject().isPresent()) {
      String name = env.operatorConfigurationObject().get();
      OperatorConfiguration oc =
          client
              .resources(OperatorConfiguration.class)
              .inNamespace(env.operatorNamespace())
              .withName(name)
              .get();
      if (oc == null) {
        throw new ConfigException(
            "OperatorConfiguration "
                + env.operatorNamespace()
                + "/"
                + name
                + " (POSTGRES_OPERATOR_CONFIGURATION_OBJECT) does not exist; create it or unset the variable");
      }
      return of(oc, env);
    }
    if (env.configMapName().isPresent()) {
      NamespacedName name = configMap(env);
      String namespace = name.namespaceOr(env.operatorNamespace());
      ConfigMap cm = client.configMaps().inNamespace(namespace).withName(name.name()).get();
      if (cm == null) {
        throw new ConfigException(
            "ConfigMap "
                + namespace
                + "/"
                + name.name()
                + " (CONFIG_MAP_NAME) does not exist; apply manifests/configmap.yaml or fix the variable");
      }
      return of(cm, env);
    }
    return new Loaded(overridden(OperatorConfig.defaults(), env), Optional.empty(), Map.of());
  }

  /**
   * The configuration a ConfigMap or an OperatorConfiguration holds; a {@link ConfigException} when
   * it is invalid.
   */
  @SuppressWarnings("unchecked")
  public static Loaded of(HasMetadata object, OperatorEnvironment env) {
    Object content = content(object);
    OperatorConfig config =
        object instanceof OperatorConfiguration
            ? OperatorConfigReader.fromOperatorConfiguration((Map<String, Object>) content)
            : OperatorConfigReader.fromConfigMap((Map<String, String>) content);
    return new Loaded(overridden(config, env), Optional.of(object), content);
  }

  /**
   * The configuration an object holds as given: the ConfigMap's data, the OperatorConfiguration's
   * configuration.
   */
  static Object content(HasMetadata object) {
    if (object instanceof OperatorConfiguration oc) {
      return oc.getConfiguration() == null ? Map.of() : oc.getConfiguration();
    }
    ConfigMap cm = (ConfigMap) object;
    return cm.getData() == null ? Map.<String, String>of() : new LinkedHashMap<>(cm.getData());
  }

  /** {@code CONFIG_MAP_NAME}: a name, or namespace/name. */
  static NamespacedName configMap(OperatorEnvironment env) {
    return NamespacedName.parse("CONFIG_MAP_NAME", env.configMapName().orElseThrow());
  }

  private static OperatorConfig overridden(OperatorConfig config, OperatorEnvironment env) {
    OperatorConfig effective = config;
    if (env.watchedNamespace().isPresent()) {
      effective = effective.with("watched_namespace", env.watchedNamespace().get());
    }
    if (env.noDatabaseAccess()) {
      effective = effective.with("enable_database_access", false);
    }
    if (env.noTeamsApi()) {
      effective = effective.with("enable_teams_api", false);
    }
    return effective;
  }

  /**
   * The namespaces to watch: {@code *} means all, empty means the operator's own (upstream:
   * pkg/controller/controller.go, getEffectiveNamespace).
   */
  public static String watchedNamespace(OperatorConfig config, OperatorEnvironment env) {
    String ns = config.string("watched_namespace");
    return ns.isEmpty() ? env.operatorNamespace() : ns;
  }
}
