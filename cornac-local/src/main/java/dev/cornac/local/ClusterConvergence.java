package dev.cornac.local;

import dev.cornac.dataplane.patroni.PatroniClient;
import dev.cornac.dataplane.patroni.PatroniConfigSync;
import dev.cornac.dataplane.sql.ClusterSqlSync;
import dev.cornac.dataplane.sql.DatabaseSync;
import dev.cornac.dataplane.sql.RoleSync;
import dev.cornac.generators.Cluster;
import dev.cornac.generators.secrets.DesiredRole;
import dev.cornac.generators.secrets.DesiredRoles;
import dev.cornac.generators.statefulset.SpiloConfiguration;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Brings a running local cluster to its manifest with the operator's own data-plane code: Patroni's
 * dynamic configuration (restarting members that need it, replicas first), then roles, databases
 * and prepared databases, then the local extras: the exporter's role and the poolers' lookup
 * function.
 */
final class ClusterConvergence {
  /** How long a convergence waits for the restarts a configuration change asks for. */
  static final Duration CONFIG_RESTARTS = Duration.ofSeconds(60);

  private ClusterConvergence() {}

  /** Every role that will log in gets its password now, saved before any statement uses it. */
  static void preparePasswords(Cluster c, LocalCredentials credentials) {
    credentials.passwordOf(c.config().superUsername());
    credentials.passwordOf(c.config().replicationUsername());
    credentials.passwordOf(Components.EXPORTER_ROLE);
    DesiredRoles.of(c).stream()
        .filter(DesiredRole::canLogin)
        .forEach(r -> credentials.passwordOf(r.name()));
    if (c.anyPoolerEnabled()) {
      credentials.passwordOf(DesiredRoles.poolerUser(c));
    }
    credentials.save();
  }

  static List<String> converge(
      Cluster c, LocalState state, LocalCredentials credentials, LocalState.Member leader)
      throws SQLException, InterruptedException {
    List<String> actions = new ArrayList<>();
    List<PatroniClient> members =
        state.membersByOrdinal().stream().map(LocalPatroni::patientClient).toList();
    // Waits for the restarts the change asks for (replicas first, in PatroniConfigSync's order), a
    // member that joined
    // or restarted during the change included, for a bounded while; what is left is caught at the
    // next convergence.
    var config =
        PatroniConfigSync.sync(
            members,
            c.spec().patroni,
            SpiloConfiguration.dcsParameters(c),
            c.config().bool("enable_patroni_failsafe_mode"),
            CONFIG_RESTARTS);
    if (config.changed()) {
      actions.add("patched Patroni's dynamic configuration: " + config.patch());
    }
    config.restarted().forEach(m -> actions.add("restarted PostgreSQL of the member at " + m));
    DatabaseSync.Connector connector =
        connector(
            leader, c.config().superUsername(), credentials.passwordOf(c.config().superUsername()));
    actions.addAll(ClusterSqlSync.sync(c, connector, credentials::passwordOf));
    String encryption =
        c.spec().postgresql == null || c.spec().postgresql.parameters == null
            ? null
            : c.spec().postgresql.parameters.get("password_encryption");
    try (Connection conn = connector.connect("postgres")) {
      DesiredRole exporter =
          new DesiredRole(
              Components.EXPORTER_ROLE,
              DesiredRole.Origin.SYSTEM,
              List.of("LOGIN"),
              List.of("pg_monitor"),
              "",
              Map.of(),
              "");
      actions.addAll(
          new RoleSync(encryption)
              .sync(conn, List.of(exporter), credentials::passwordOf)
              .executed());
    }
    return actions;
  }

  /**
   * loginTimeout bounds the whole log-in: a hung server (SIGSTOPped, a frozen node) accepts the TCP
   * connection in the kernel and then never answers, and connectTimeout alone left {@code status}
   * waiting on it for ever.
   */
  static DatabaseSync.Connector connector(LocalState.Member member, String user, String password) {
    return db ->
        DriverManager.getConnection(
            "jdbc:postgresql://127.0.0.1:"
                + member.pgPort()
                + "/"
                + URLEncoder.encode(db, StandardCharsets.UTF_8)
                + "?connectTimeout=5&loginTimeout=5&ApplicationName=cornac-local",
            user,
            password);
  }
}
