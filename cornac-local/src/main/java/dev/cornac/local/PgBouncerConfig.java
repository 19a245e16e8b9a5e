package dev.cornac.local;

import dev.cornac.dataplane.sql.PoolerLookupSync;
import dev.cornac.generators.Cluster;
import dev.cornac.generators.connectionpooler.PoolerSettings;
import dev.cornac.generators.secrets.DesiredRoles;
import java.nio.file.Path;

/**
 * A local PgBouncer's files, with the settings the Kubernetes pooler gets ({@link PoolerSettings}).
 * Its {@code [databases]} section lives in an included file that the supervisor rewrites when the
 * primary moves, then reloads PgBouncer: clients keep their pooler port across a switchover.
 */
public final class PgBouncerConfig {
  /**
   * Kubernetes poolers take 10000 clients; a desktop's default open-file limit (1024) would not
   * hold them.
   */
  static final int LOCAL_MAX_CLIENT_CONNECTIONS = 900;

  private PgBouncerConfig() {}

  public static Path ini(LocalLayout layout, PoolerRole role) {
    return layout.poolerDir(role.id()).resolve("pgbouncer.ini");
  }

  public static Path databases(LocalLayout layout, PoolerRole role) {
    return layout.poolerDir(role.id()).resolve("databases.ini");
  }

  public static void write(
      Cluster c,
      LocalState state,
      LocalLayout layout,
      PoolerRole role,
      LocalCredentials credentials) {
    PoolerSettings settings = PoolerSettings.of(c);
    String user = DesiredRoles.poolerUser(c);
    Path dir = layout.poolerDir(role.id());
    PrivateFiles.write(
        dir.resolve("userlist.txt"), "\"" + user + "\" \"" + credentials.passwordOf(user) + "\"\n");
    if (!java.nio.file.Files.exists(databases(layout, role))) {
      PrivateFiles.write(databases(layout, role), "");
    }
    PrivateFiles.write(
        ini(layout, role),
        """
        ; written by cornac local; changes are overwritten
        [databases]
        %%include %s

        [pgbouncer]
        listen_addr = 127.0.0.1
        listen_port = %d
        unix_socket_dir =
        auth_type = scram-sha-256
        auth_file = %s
        auth_user = %s
        auth_query = %s
        pool_mode = %s
        default_pool_size = %d
        min_pool_size = %d
        reserve_pool_size = %d
        max_db_connections = %d
        max_client_conn = %d
        admin_users = %s
        stats_users = %s
        ignore_startup_parameters = extra_float_digits,options
        pidfile = %s
        """
            .formatted(
                databases(layout, role),
                role.of(state).port(),
                dir.resolve("userlist.txt"),
                user,
                PoolerLookupSync.authQuery(settings.schema()),
                settings.mode(),
                settings.defaultSize(),
                settings.minSize(),
                settings.reserveSize(),
                settings.maxDbConnectionsPerInstance(),
                Math.min(settings.maxClientConnections(), LOCAL_MAX_CLIENT_CONNECTIONS),
                user,
                user,
                dir.resolve("pgbouncer.pid")));
  }

  /** The routing the supervisor writes: every database to one PostgreSQL port. */
  public static String routing(int pgPort) {
    return "* = host=127.0.0.1 port=" + pgPort + "\n";
  }
}
