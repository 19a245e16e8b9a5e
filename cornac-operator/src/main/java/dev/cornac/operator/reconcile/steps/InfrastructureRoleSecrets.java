package dev.cornac.operator.reconcile.steps;

import dev.cornac.generators.naming.ClusterNames;
import dev.cornac.generators.secrets.CredentialSecretGenerator;
import dev.cornac.operator.infrastructure.InfrastructureRoles;
import dev.cornac.operator.reconcile.Reconciliation;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;

/**
 * A credential Secret per infrastructure role in each cluster's namespace, as for manifest users,
 * except that the password is the infrastructure secret's and is written again when it changed
 * there (reference 3.10).
 */
public final class InfrastructureRoleSecrets {
  private InfrastructureRoleSecrets() {}

  public static void sync(Reconciliation r, List<InfrastructureRoles.Role> roles) {
    for (InfrastructureRoles.Role role : roles) {
      Secret desired =
          CredentialSecretGenerator.secret(
              r.cluster(),
              role.desired(r.cluster().namespace()),
              (secret, user) -> role.password());
      String name = ClusterNames.credentialSecret(r.cluster(), role.name());
      var live = r.informers().get(Secret.class, r.cluster().namespace(), name);
      if (live.isPresent()
          && !desired
              .getData()
              .get("password")
              .equals(live.get().getData() == null ? null : live.get().getData().get("password"))) {
        r.writer()
            .client()
            .secrets()
            .inNamespace(r.cluster().namespace())
            .withName(name)
            .edit(
                s -> {
                  s.getData().put("password", desired.getData().get("password"));
                  return s;
                });
        r.acted(
            "Secrets",
            "updated the password of infrastructure role " + role.name() + " in secret " + name);
        continue;
      }
      SecretSync.ensureMetadataOnly(r, desired);
    }
  }
}
