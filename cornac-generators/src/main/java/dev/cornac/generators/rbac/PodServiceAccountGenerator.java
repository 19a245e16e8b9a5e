package dev.cornac.generators.rbac;

import dev.cornac.api.config.OperatorConfig;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.generators.Cluster;
import dev.cornac.generators.GenerationException;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import java.io.IOException;
import java.util.LinkedHashMap;

/**
 * The ServiceAccount and RoleBinding Spilo pods run with, created once per namespace and never
 * updated (upstream: pkg/controller/postgresql.go, submitRBACCredentials;
 * pkg/controller/controller.go, initPodServiceAccount and initRoleBinding); the definitions may
 * come from the configuration as JSON or YAML.
 */
public final class PodServiceAccountGenerator {
  public static final String IRSA_ANNOTATION = "eks.amazonaws.com/role-arn";

  private PodServiceAccountGenerator() {}

  public static ServiceAccount serviceAccount(Cluster c) {
    OperatorConfig config = c.config();
    String definition = config.string("pod_service_account_definition");
    ServiceAccount sa =
        definition.isEmpty()
            ? new ServiceAccountBuilder().withNewMetadata().endMetadata().build()
            : parse(
                definition,
                ServiceAccount.class,
                "pod_service_account_definition",
                "ServiceAccount");
    sa.setApiVersion("v1");
    sa.setKind("ServiceAccount");
    sa.getMetadata().setName(config.podServiceAccountName());
    sa.getMetadata().setNamespace(c.namespace());
    String irsa = config.string("irsa_role_arn");
    if (!irsa.isEmpty()) {
      var annotations = new LinkedHashMap<String, String>();
      if (sa.getMetadata().getAnnotations() != null) {
        annotations.putAll(sa.getMetadata().getAnnotations());
      }
      annotations.put(IRSA_ANNOTATION, irsa);
      sa.getMetadata().setAnnotations(annotations);
    }
    return sa;
  }

  public static RoleBinding roleBinding(Cluster c) {
    OperatorConfig config = c.config();
    String definition = config.string("pod_service_account_role_binding_definition");
    String name = config.podServiceAccountName();
    RoleBinding rb =
        definition.isEmpty()
            ? new RoleBindingBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", name)
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName(name)
                .endSubject()
                .build()
            : parse(
                definition,
                RoleBinding.class,
                "pod_service_account_role_binding_definition",
                "RoleBinding");
    rb.setApiVersion("rbac.authorization.k8s.io/v1");
    rb.setKind("RoleBinding");
    rb.getMetadata().setNamespace(c.namespace());
    return rb;
  }

  private static <T> T parse(String definition, Class<T> type, String key, String kind) {
    try {
      var node = ManifestMapper.yaml().readTree(definition);
      if (!kind.equals(node.path("kind").asText(kind))) {
        throw new GenerationException(
            key + " must define a " + kind + ", not " + node.path("kind").asText());
      }
      return ManifestMapper.json().treeToValue(node, type);
    } catch (IOException e) {
      throw new GenerationException(
          key + " is not valid JSON or YAML: " + e.getMessage().lines().findFirst().orElse(""));
    }
  }
}
