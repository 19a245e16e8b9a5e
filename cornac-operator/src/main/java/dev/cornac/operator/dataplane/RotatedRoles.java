package dev.cornac.operator.dataplane;

import dev.cornac.generators.Cluster;
import dev.cornac.generators.naming.ClusterNames;
import dev.cornac.generators.secrets.DesiredRole;
import dev.cornac.generators.secrets.DesiredRoles;
import dev.cornac.generators.secrets.PasswordRotation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The roles password rotation adds, read from the credential secrets: a secret whose username is
 * not its role's names the dated login role of a new-user rotation (LOGIN, member of the role, with
 * the role's parameters), which takes the secret's password while the role keeps its own.
 */
record RotatedRoles(
    List<DesiredRole> roles, Map<String, String> secretByRole, List<String> newUserRotation) {

  static RotatedRoles of(Cluster c, Function<String, Optional<String>> usernameOfSecret) {
    List<DesiredRole> extra = new ArrayList<>();
    Map<String, String> secrets = new HashMap<>();
    List<String> rotating = new ArrayList<>();
    for (DesiredRole role : DesiredRoles.of(c)) {
      if (role.origin() == DesiredRole.Origin.SYSTEM || !role.canLogin()) {
        continue;
      }
      if (PasswordRotation.mode(c, role) == PasswordRotation.Mode.NEW_USER) {
        rotating.add(role.name());
      }
      String secret = ClusterNames.credentialSecret(c, role.name());
      String username = usernameOfSecret.apply(secret).orElse(role.name());
      if (!PasswordRotation.isRotatedName(role.name(), username)) {
        secrets.put(role.name(), secret);
      } else {
        extra.add(
            new DesiredRole(
                username,
                DesiredRole.Origin.MANIFEST,
                List.of("LOGIN"),
                List.of(role.name()),
                "",
                role.parameters(),
                role.secretNamespace()));
        secrets.put(username, secret);
      }
    }
    return new RotatedRoles(List.copyOf(extra), Map.copyOf(secrets), List.copyOf(rotating));
  }

  /**
   * The secret holding a role's password; empty for a role whose password the operator leaves
   * alone.
   */
  Optional<String> secretOf(String role) {
    return Optional.ofNullable(secretByRole.get(role));
  }
}
