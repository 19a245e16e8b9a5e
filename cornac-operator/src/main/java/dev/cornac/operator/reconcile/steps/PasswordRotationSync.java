package dev.cornac.operator.reconcile.steps;

import dev.cornac.generators.Cluster;
import dev.cornac.generators.naming.ClusterNames;
import dev.cornac.generators.secrets.DesiredRole;
import dev.cornac.generators.secrets.DesiredRoles;
import dev.cornac.generators.secrets.PasswordGenerator;
import dev.cornac.generators.secrets.PasswordRotation;
import dev.cornac.operator.reconcile.Reconciliation;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Rotates the passwords of credential secrets that are due (reference e.6), writing username,
 * password and {@code nextRotation} into the secret; the role sync then creates the dated role or
 * sets the new password. A system user rotated in place marks the pods for recreation, since Spilo
 * sets those passwords at start.
 */
public final class PasswordRotationSync {
  private PasswordRotationSync() {}

  public static void sync(Reconciliation r, Clock clock) {
    Cluster c = r.cluster();
    long interval = c.config().integerOr("password_rotation_interval", 90);
    for (DesiredRole role : DesiredRoles.of(c)) {
      if (!role.canLogin()) {
        continue;
      }
      PasswordRotation.Mode mode = PasswordRotation.mode(c, role);
      String name = ClusterNames.credentialSecret(c, role.name());
      String namespace = role.secretNamespace();
      Optional<Secret> live = r.informers().get(Secret.class, namespace, name);
      if (live.isEmpty() || live.get().getData() == null) {
        continue;
      }
      Map<String, String> data = live.get().getData();
      PasswordRotation.SecretState state =
          new PasswordRotation.SecretState(
              decode(data.get("username")),
              decode(data.get("password")),
              decode(data.get(PasswordRotation.NEXT_ROTATION)));
      Optional<PasswordRotation.Decision> decision =
          PasswordRotation.decide(
              mode, role.name(), state, clock.instant(), interval, PasswordGenerator::generate);
      if (decision.isEmpty()) {
        continue;
      }
      PasswordRotation.Decision d = decision.get();
      Map<String, String> next = new LinkedHashMap<>(data);
      next.put("username", encode(d.username()));
      next.put("password", encode(d.password()));
      if (d.nextRotation().isEmpty()) {
        next.remove(PasswordRotation.NEXT_ROTATION);
      } else {
        next.put(PasswordRotation.NEXT_ROTATION, encode(d.nextRotation()));
      }
      r.writer()
          .client()
          .secrets()
          .inNamespace(namespace)
          .withName(name)
          .edit(
              s -> {
                s.setData(next);
                return s;
              });
      if (!d.rotated()) {
        r.note("password rotation of " + role.name() + " scheduled for " + d.nextRotation());
        continue;
      }
      String how =
          mode == PasswordRotation.Mode.NONE
              ? "rotation switched off: secret back to " + role.name()
              : mode == PasswordRotation.Mode.NEW_USER
                  ? "new login role " + d.username()
                  : "in place";
      r.acted("Secrets", "rotated the password of " + role.name() + " (" + how + ")");
      if (mode == PasswordRotation.Mode.IN_PLACE && role.origin() == DesiredRole.Origin.SYSTEM) {
        StatefulSetSync.markPodsForRollingUpdate(
            r, "password of system user " + role.name() + " rotated");
      }
    }
  }

  private static String decode(String b64) {
    return b64 == null ? null : new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
  }

  private static String encode(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
