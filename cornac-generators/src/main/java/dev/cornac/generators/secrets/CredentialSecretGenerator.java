package dev.cornac.generators.secrets;

import dev.cornac.generators.Cluster;
import dev.cornac.generators.naming.ClusterLabels;
import dev.cornac.generators.naming.ClusterNames;
import dev.cornac.generators.naming.Role;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One credential Secret per role that can log in (upstream: pkg/cluster/k8sres.go,
 * generateSingleUserSecret).
 */
public final class CredentialSecretGenerator {
  static final String POOLER_ROLE_NAME = "pooler";

  private CredentialSecretGenerator() {}

  public static List<Secret> generate(Cluster c, Credentials credentials) {
    List<Secret> secrets = new ArrayList<>();
    for (DesiredRole role : DesiredRoles.of(c)) {
      if (role.canLogin()) {
        secrets.add(secret(c, role, credentials));
      }
    }
    return secrets;
  }

  public static Secret secret(Cluster c, DesiredRole role, Credentials credentials) {
    String name = ClusterNames.credentialSecret(c, role.name());
    boolean sameNamespace = role.secretNamespace().equals(c.namespace());
    Map<String, String> labels;
    if (role.name().equals(POOLER_ROLE_NAME)) {
      // Upstream gives pooler labels only to a role literally named "pooler" (upstream:
      // pkg/cluster/k8sres.go, generateSingleUserSecret).
      labels = ClusterLabels.selector(c);
      labels.put(ClusterLabels.APPLICATION, ClusterLabels.POOLER_APPLICATION);
      labels.put(ClusterLabels.CONNECTION_POOLER, ClusterNames.pooler(c, Role.MASTER));
    } else {
      labels = ClusterLabels.object(c);
    }
    Map<String, String> data = new LinkedHashMap<>();
    data.put("password", base64(credentials.password(name, role.name())));
    data.put("username", base64(role.name()));
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(role.secretNamespace())
        .withLabels(labels)
        .withAnnotations(ClusterLabels.orNull(ClusterLabels.inheritedAnnotations(c)))
        .withOwnerReferences(sameNamespace ? c.ownerReferences() : null)
        .endMetadata()
        .withType("Opaque")
        .withData(data)
        .build();
  }

  static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }
}
