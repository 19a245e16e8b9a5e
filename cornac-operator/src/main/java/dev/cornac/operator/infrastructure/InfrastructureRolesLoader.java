package dev.cornac.operator.infrastructure;

import dev.cornac.api.config.NamespacedName;
import dev.cornac.api.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the infrastructure roles once, at operator start (upstream: pkg/controller/controller.go,
 * initController, and pkg/controller/util.go, getInfrastructureRoles): the legacy template secret
 * and each {@code infrastructure_roles_secrets} definition. A secret that is missing or unreadable
 * is a warning naming it; the operator runs without those roles.
 */
public final class InfrastructureRolesLoader {
  private static final Logger LOG = LoggerFactory.getLogger(InfrastructureRolesLoader.class);

  private InfrastructureRolesLoader() {}

  public static List<InfrastructureRoles.Role> load(
      KubernetesClient client, OperatorConfig config, String operatorNamespace) {
    Map<String, InfrastructureRoles.Role> roles = new LinkedHashMap<>();
    Optional<NamespacedName> legacy = config.namespacedName("infrastructure_roles_secret_name");
    if (legacy.isPresent()) {
      String ns = legacy.get().namespace().isEmpty() ? operatorNamespace : legacy.get().namespace();
      secretData(client, ns, legacy.get().name())
          .ifPresent(
              data -> {
                ConfigMap descriptions = get(client, ns, legacy.get().name());
                Map<String, String> described =
                    descriptions == null || descriptions.getData() == null
                        ? Map.of()
                        : descriptions.getData();
                InfrastructureRoles.fromTemplate(data, described)
                    .forEach(r -> roles.put(r.name(), r));
              });
    }
    List<InfrastructureRoles.Definition> definitions = new ArrayList<>();
    try {
      definitions.addAll(
          InfrastructureRoles.definitions(config.string("infrastructure_roles_secrets")));
    } catch (IllegalArgumentException e) {
      LOG.warn("{}; no infrastructure roles from it", e.getMessage());
    }
    for (InfrastructureRoles.Definition d : definitions) {
      secretData(client, d.namespace(), d.secretName())
          .flatMap(data -> InfrastructureRoles.fromDefinition(d, data))
          .ifPresent(r -> roles.put(r.name(), r));
    }
    if (!roles.isEmpty()) {
      LOG.info("infrastructure roles: {}", String.join(", ", roles.keySet()));
    }
    return List.copyOf(roles.values());
  }

  private static Optional<Map<String, String>> secretData(
      KubernetesClient client, String ns, String name) {
    try {
      Secret s = client.secrets().inNamespace(ns).withName(name).get();
      if (s == null) {
        LOG.warn(
            "infrastructure roles secret {}/{} does not exist; create it or remove it from the configuration",
            ns,
            name);
        return Optional.empty();
      }
      Map<String, String> data = new LinkedHashMap<>();
      if (s.getData() != null) {
        s.getData()
            .forEach(
                (k, v) ->
                    data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
      }
      if (s.getStringData() != null) {
        data.putAll(s.getStringData());
      }
      return Optional.of(data);
    } catch (KubernetesClientException e) {
      LOG.warn(
          "cannot read infrastructure roles secret {}/{} ({}); the operator needs get on secrets there",
          ns,
          name,
          e.getCode());
      return Optional.empty();
    }
  }

  private static ConfigMap get(KubernetesClient client, String ns, String name) {
    try {
      return client.configMaps().inNamespace(ns).withName(name).get();
    } catch (KubernetesClientException e) {
      return null;
    }
  }
}
