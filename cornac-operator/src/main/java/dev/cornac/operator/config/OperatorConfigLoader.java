package dev.cornac.operator.config;

import dev.cornac.api.config.ConfigException;
import dev.cornac.api.config.NamespacedName;
import dev.cornac.api.config.OperatorConfig;
import dev.cornac.api.config.OperatorConfigReader;
import dev.cornac.api.model.OperatorConfiguration;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the operator configuration once at start-up (reference 2.1): the OperatorConfiguration named by
 * {@code POSTGRES_OPERATOR_CONFIGURATION_OBJECT}, else the ConfigMap named by {@code CONFIG_MAP_NAME}, else the
 * code defaults; then the environment overrides.
 */
public final class OperatorConfigLoader {
  private OperatorConfigLoader() {}

  public static OperatorConfig load(KubernetesClient client, OperatorEnvironment env) {
    OperatorConfig config;
    if (env.operatorConfigurationObject().isPresent()) {
      String name = env.operatorConfigurationObject().get();
      OperatorConfiguration oc = client.resources(OperatorConfiguration.class)
          .inNamespace(env.operatorNamespace()).withName(name).get();
      if (oc == null) {
        throw new ConfigException("OperatorConfiguration " + env.operatorNamespace() + "/" + name
            + " (POSTGRES_OPERATOR_CONFIGURATION_OBJECT) does not exist; create it or unset the variable");
      }
      config = OperatorConfigReader.fromOperatorConfiguration(
          oc.getConfiguration() == null ? Map.of() : oc.getConfiguration());
    } else if (env.configMapName().isPresent()) {
      NamespacedName name = NamespacedName.parse("CONFIG_MAP_NAME", env.configMapName().get());
      String namespace = name.namespaceOr(env.operatorNamespace());
      ConfigMap cm = client.configMaps().inNamespace(namespace).withName(name.name()).get();
      if (cm == null) {
        throw new ConfigException("ConfigMap " + namespace + "/" + name.name()
            + " (CONFIG_MAP_NAME) does not exist; apply manifests/configmap.yaml or fix the variable");
      }
      config = OperatorConfigReader.fromConfigMap(cm.getData() == null ? Map.of() : new LinkedHashMap<>(cm.getData()));
    } else {
      config = OperatorConfig.defaults();
    }
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

  /** The namespaces to watch: {@code *} means all, empty means the operator's own (reference 2.1 step 6). */
  public static String watchedNamespace(OperatorConfig config, OperatorEnvironment env) {
    String ns = config.string("watched_namespace");
    return ns.isEmpty() ? env.operatorNamespace() : ns;
  }
}
