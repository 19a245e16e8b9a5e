package dev.cornac.dataplane.sql;

import static dev.cornac.dataplane.sql.SqlLog.quoteIdent;
import static dev.cornac.dataplane.sql.SqlLog.quoteLiteral;

import dev.cornac.generators.secrets.DesiredRole;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Roles from the manifest in PostgreSQL (upstream: pkg/cluster/sync.go, syncRoles;
 * pkg/util/users/users.go, ProduceSyncRequests and ExecuteSyncRequests): missing roles are created
 * with their flags, memberships, admin role, password and parameters; existing roles get missing
 * flags and memberships and a password that does not match — nothing is ever removed, revoked or
 * dropped. Unlike upstream, a SCRAM password that still matches is not set again, so a second sync
 * of an unchanged cluster issues no statement at all.
 */
public final class RoleSync {
  private static final Map<String, String> FLAG_COLUMNS =
      Map.of(
          "SUPERUSER",
          "rolsuper",
          "INHERIT",
          "rolinherit",
          "CREATEROLE",
          "rolcreaterole",
          "CREATEDB",
          "rolcreatedb",
          "LOGIN",
          "rolcanlogin",
          "REPLICATION",
          "rolreplication",
          "BYPASSRLS",
          "rolbypassrls");

  private final String passwordEncryption;

  /**
   * @param passwordEncryption {@code password_encryption} of the manifest; md5 or (default)
   *     scram-sha-256
   */
  public RoleSync(String passwordEncryption) {
    this.passwordEncryption = passwordEncryption == null ? "scram-sha-256" : passwordEncryption;
  }

  record ExistingRole(
      String name, Set<String> flags, String password, Map<String, String> parameters) {}

  /**
   * @param passwords plaintext password of a role, from its credential secret; null for roles
   *     without one
   */
  public SqlLog sync(Connection c, List<DesiredRole> desired, Function<String, String> passwords)
      throws SQLException {
    SqlLog log = new SqlLog();
    List<String> names = new ArrayList<>(desired.stream().map(DesiredRole::name).toList());
    desired.forEach(r -> names.addAll(r.memberOf()));
    desired.forEach(
        r -> {
          if (!r.adminRole().isEmpty()) {
            names.add(r.adminRole());
          }
        });
    Map<String, ExistingRole> existing = existing(c, names);
    Map<String, Set<String>> memberships = memberships(c, names);
    for (DesiredRole role : desired) {
      String password = role.canLogin() ? passwords.apply(role.name()) : null;
      ExistingRole current = existing.get(role.name());
      if (current == null) {
        create(c, log, role, password, existing);
        existing.put(
            role.name(), new ExistingRole(role.name(), Set.copyOf(role.flags()), null, Map.of()));
        setParameters(c, log, role, Map.of());
      } else {
        alter(
            c,
            log,
            role,
            current,
            password,
            memberships.getOrDefault(role.name(), Set.of()),
            existing);
        setParameters(c, log, role, current.parameters());
      }
    }
    return log;
  }

  private void create(
      Connection c,
      SqlLog log,
      DesiredRole role,
      String password,
      Map<String, ExistingRole> existing)
      throws SQLException {
    StringBuilder sql = new StringBuilder("CREATE ROLE ").append(quoteIdent(role.name()));
    role.flags().forEach(f -> sql.append(' ').append(f));
    if (!role.flags().contains("LOGIN")) {
      sql.append(" NOLOGIN");
    }
    List<String> groups = role.memberOf().stream().filter(existing::containsKey).toList();
    if (!groups.isEmpty()) {
      sql.append(" IN ROLE ")
          .append(String.join(", ", groups.stream().map(SqlLog::quoteIdent).toList()));
    }
    // Spilo creates the admin role at bootstrap; on a bare PostgreSQL it may not exist, and CREATE
    // would fail.
    if (!role.adminRole().isEmpty() && existing.containsKey(role.adminRole())) {
      sql.append(" ADMIN ").append(quoteIdent(role.adminRole()));
    }
    String redacted = sql.toString();
    if (password != null) {
      sql.append(" PASSWORD ")
          .append(quoteLiteral(PasswordHash.hash(password, role.name(), passwordEncryption)));
      redacted += " PASSWORD '<redacted>'";
    }
    log.execute(c, sql.toString(), redacted);
  }

  private void alter(
      Connection c,
      SqlLog log,
      DesiredRole role,
      ExistingRole current,
      String password,
      Set<String> currentGroups,
      Map<String, ExistingRole> existing)
      throws SQLException {
    List<String> missingFlags =
        role.flags().stream().filter(f -> !current.flags().contains(f)).toList();
    boolean passwordDiffers =
        password != null && !PasswordHash.matches(current.password(), password, role.name());
    if (!missingFlags.isEmpty() || passwordDiffers) {
      StringBuilder sql = new StringBuilder("ALTER ROLE ").append(quoteIdent(role.name()));
      missingFlags.forEach(f -> sql.append(' ').append(f));
      String redacted = sql.toString();
      if (passwordDiffers) {
        sql.append(" PASSWORD ")
            .append(quoteLiteral(PasswordHash.hash(password, role.name(), passwordEncryption)));
        redacted += " PASSWORD '<redacted>'";
      }
      log.execute(c, sql.toString(), redacted);
    }
    for (String group : role.memberOf()) {
      if (!currentGroups.contains(group) && existing.containsKey(group)) {
        String sql = "GRANT " + quoteIdent(group) + " TO " + quoteIdent(role.name());
        log.execute(c, sql, sql);
      }
    }
  }

  /**
   * Role parameters ({@code search_path} of prepared-database roles): reset and set only when they
   * differ.
   */
  private void setParameters(
      Connection c, SqlLog log, DesiredRole role, Map<String, String> current) throws SQLException {
    Map<String, String> desired = new TreeMap<>(role.parameters());
    if (desired.isEmpty() || desired.equals(new TreeMap<>(current))) {
      return;
    }
    if (!current.isEmpty()) {
      String reset = "ALTER ROLE " + quoteIdent(role.name()) + " RESET ALL";
      log.execute(c, reset, reset);
    }
    for (Map.Entry<String, String> p : desired.entrySet()) {
      String value = p.getKey().equals("search_path") ? p.getValue() : quoteLiteral(p.getValue());
      String sql = "ALTER ROLE " + quoteIdent(role.name()) + " SET " + p.getKey() + " TO " + value;
      log.execute(c, sql, sql);
    }
  }

  private static Map<String, ExistingRole> existing(Connection c, List<String> names)
      throws SQLException {
    Map<String, ExistingRole> roles = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "select a.rolname, a.rolsuper, a.rolinherit, a.rolcreaterole, "
                + "a.rolcreatedb, a.rolcanlogin, a.rolreplication, a.rolbypassrls, a.rolpassword, r.rolconfig "
                + "from pg_authid a join pg_roles r on r.oid = a.oid where a.rolname = any(?)")) {
      ps.setArray(1, c.createArrayOf("text", names.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Set<String> flags = new HashSet<>();
          FLAG_COLUMNS.forEach(
              (flag, column) -> {
                try {
                  if (rs.getBoolean(column)) {
                    flags.add(flag);
                  }
                } catch (SQLException e) {
                  throw new IllegalStateException(e);
                }
              });
          roles.put(
              rs.getString(1),
              new ExistingRole(
                  rs.getString(1),
                  flags,
                  rs.getString("rolpassword"),
                  parameters(rs.getArray("rolconfig"))));
        }
      }
    }
    return roles;
  }

  private static Map<String, String> parameters(Array config) throws SQLException {
    Map<String, String> m = new LinkedHashMap<>();
    if (config == null) {
      return m;
    }
    for (Object o : (Object[]) config.getArray()) {
      String s = o.toString();
      int eq = s.indexOf('=');
      m.put(s.substring(0, eq), s.substring(eq + 1));
    }
    return m;
  }

  private static Map<String, Set<String>> memberships(Connection c, List<String> names)
      throws SQLException {
    Map<String, Set<String>> m = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "select r.rolname, g.rolname from pg_auth_members a "
                + "join pg_roles r on r.oid = a.member join pg_roles g on g.oid = a.roleid where r.rolname = any(?)")) {
      ps.setArray(1, c.createArrayOf("text", names.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          m.computeIfAbsent(rs.getString(1), k -> new HashSet<>()).add(rs.getString(2));
        }
      }
    }
    return m;
  }
}
