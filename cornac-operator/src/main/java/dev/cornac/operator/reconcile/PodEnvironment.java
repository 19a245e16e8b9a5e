package dev.cornac.operator.reconcile;

import dev.cornac.api.config.NamespacedName;
import dev.cornac.api.config.OperatorConfig;
import dev.cornac.generators.GenerationException;
import dev.cornac.generators.PodEnvironmentSources;
import dev.cornac.operator.kubernetes.SecretFields;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The pod environment of upstream's {@code pod_environment_configmap} (its data, as literal values)
 * and {@code pod_environment_secret} (its keys, as secretKeyRefs), read from the informer caches:
 * the ConfigMap from its configured namespace, else the cluster's (upstream: pkg/cluster/k8sres.go,
 * getPodEnvironmentConfigMapVariables); the Secret from the cluster's
 * (getPodEnvironmentSecretVariables). A configured object that does not exist fails the sync with
 * what to create, as upstream does.
 */
public final class PodEnvironment {
  private PodEnvironment() {}

  public static ClusterInformers.PodEnvironmentNames names(OperatorConfig config) {
    String cm = config.string("pod_environment_configmap");
    NamespacedName configMap =
        cm.isEmpty()
            ? new NamespacedName("", "")
            : NamespacedName.parse("pod_environment_configmap", cm);
    return new ClusterInformers.PodEnvironmentNames(
        configMap.namespace(),
        configMap.name(),
        config.string("pod_environment_secret"),
        config.string("logical_backup_cronjob_environment_secret"));
  }

  /**
   * The keys of {@code logical_backup_cronjob_environment_secret} in the cluster's namespace
   * (secretKeyRefs of the backup container); a missing Secret fails the sync only for clusters that
   * take logical backups.
   */
  public static SortedSet<String> backupSecretKeys(
      ClusterInformers informers, OperatorConfig config, String namespace, boolean logicalBackup) {
    String name = names(config).backupSecretName();
    SortedSet<String> keys = new TreeSet<>();
    if (name.isEmpty() || !logicalBackup) {
      return keys;
    }
    Secret secret =
        informers
            .backupEnvironmentSecret(namespace, name)
            .orElseThrow(
                () ->
                    new GenerationException(
                        "logical_backup_cronjob_environment_secret "
                            + name
                            + " does not exist in namespace "
                            + namespace
                            + "; create it there, or remove the key from the operator configuration"));
    keys.addAll(SecretFields.keys(secret));
    return keys;
  }

  /**
   * The values of the pod environment, the Secret's decoded, for the operator's own use (listing
   * backups); empty maps for objects that are not configured or not there.
   */
  public static Map<String, Map<String, String>> values(
      ClusterInformers informers, OperatorConfig config, String namespace) {
    ClusterInformers.PodEnvironmentNames names = names(config);
    Map<String, String> data = new TreeMap<>();
    if (!names.configMapName().isEmpty()) {
      String home = names.configMapNamespace().isEmpty() ? namespace : names.configMapNamespace();
      informers
          .podEnvironmentObject(ConfigMap.class, home, names.configMapName())
          .or(
              () ->
                  informers.podEnvironmentObject(ConfigMap.class, namespace, names.configMapName()))
          .map(ConfigMap::getData)
          .ifPresent(data::putAll);
    }
    Map<String, String> secretData = new TreeMap<>();
    if (!names.secretName().isEmpty()) {
      informers
          .podEnvironmentObject(Secret.class, namespace, names.secretName())
          .ifPresent(s -> secretData.putAll(SecretFields.all(s)));
    }
    return Map.of("configMap", data, "secret", secretData);
  }

  public static PodEnvironmentSources read(
      ClusterInformers informers, OperatorConfig config, String namespace) {
    ClusterInformers.PodEnvironmentNames names = names(config);
    Map<String, String> data = Map.of();
    if (!names.configMapName().isEmpty()) {
      String home = names.configMapNamespace().isEmpty() ? namespace : names.configMapNamespace();
      Optional<ConfigMap> cm =
          informers
              .podEnvironmentObject(ConfigMap.class, home, names.configMapName())
              .or(
                  () ->
                      informers.podEnvironmentObject(
                          ConfigMap.class, namespace, names.configMapName()));
      if (cm.isEmpty()) {
        throw new GenerationException(
            "pod_environment_configmap "
                + config.string("pod_environment_configmap")
                + " does not exist (looked in namespace "
                + home
                + (home.equals(namespace) ? "" : " and " + namespace)
                + "); create it, or remove pod_environment_configmap from the operator configuration");
      }
      data = cm.get().getData() == null ? Map.of() : cm.get().getData();
    }
    Set<String> keys = new TreeSet<>();
    if (!names.secretName().isEmpty()) {
      Secret secret =
          informers
              .podEnvironmentObject(Secret.class, namespace, names.secretName())
              .orElseThrow(
                  () ->
                      new GenerationException(
                          "pod_environment_secret "
                              + names.secretName()
                              + " does not "
                              + "exist in namespace "
                              + namespace
                              + "; create it there (each cluster namespace needs its own), or "
                              + "remove pod_environment_secret from the operator configuration"));
      keys.addAll(SecretFields.keys(secret));
    }
    return PodEnvironmentSources.of(data, keys);
  }
}
