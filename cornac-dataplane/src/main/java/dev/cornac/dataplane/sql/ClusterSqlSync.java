package dev.cornac.dataplane.sql;

import dev.cornac.generators.Cluster;
import dev.cornac.generators.connectionpooler.PoolerSettings;
import dev.cornac.generators.secrets.DesiredRole;
import dev.cornac.generators.secrets.DesiredRoles;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Roles, databases, prepared databases and the pooler's lookup function of a manifest, synced over
 * SQL on the primary (upstream: pkg/cluster/sync.go, Sync: syncRoles, syncDatabases,
 * syncPreparedDatabases, then syncConnectionPooler with pkg/cluster/database.go,
 * installLookupFunction): the same sequence for the operator and for the local runtime, which
 * differ only in how they reach the primary and where the passwords live.
 */
public final class ClusterSqlSync {
  private ClusterSqlSync() {}

  /**
   * @param passwords a role's password, or null when it has none yet
   * @return the statements it ran (passwords redacted) and what it had to skip
   */
  public static List<String> sync(
      Cluster c, DatabaseSync.Connector connector, Function<String, String> passwords)
      throws SQLException {
    return sync(c, connector, passwords, List.of());
  }

  /**
   * @param extraRoles roles that do not come from the manifest alone: the dated users of password
   *     rotation
   */
  public static List<String> sync(
      Cluster c,
      DatabaseSync.Connector connector,
      Function<String, String> passwords,
      List<DesiredRole> extraRoles)
      throws SQLException {
    List<String> actions = new ArrayList<>();
    List<DesiredRole> roles =
        new ArrayList<>(
            DesiredRoles.of(c).stream()
                .filter(r -> r.origin() != DesiredRole.Origin.SYSTEM)
                .toList());
    // The manifest's own roles win over a same-named extra (a team member, an infrastructure role).
    Set<String> names = new HashSet<>(roles.stream().map(DesiredRole::name).toList());
    extraRoles.stream().filter(r -> names.add(r.name())).forEach(roles::add);
    String encryption =
        c.spec().postgresql == null || c.spec().postgresql.parameters == null
            ? null
            : c.spec().postgresql.parameters.get("password_encryption");
    try (Connection conn = connector.connect("postgres")) {
      actions.addAll(new RoleSync(encryption).sync(conn, roles, passwords).executed());
      DatabaseSync databases = new DatabaseSync();
      actions.addAll(
          databases
              .syncDatabases(conn, c.spec().databases == null ? Map.of() : c.spec().databases)
              .executed());
      actions.addAll(
          databases
              .syncPreparedDatabases(conn, connector, DesiredRoles.preparedDatabases(c))
              .executed());
      databases.problems().forEach(p -> actions.add("skipped: " + p));
      if (c.anyPoolerEnabled()) {
        // After the databases: a database created just now gets the pooler's lookup function in the
        // same pass.
        actions.addAll(
            PoolerLookupSync.sync(
                    conn, connector, PoolerSettings.of(c).schema(), DesiredRoles.poolerUser(c))
                .executed());
      }
    }
    return actions;
  }
}
