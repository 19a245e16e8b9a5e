package dev.cornac.dataplane.sql;

import static dev.cornac.dataplane.sql.SqlLog.quoteIdent;

import dev.cornac.api.model.Patterns;
import dev.cornac.api.model.PreparedDatabase;
import dev.cornac.api.model.PreparedSchema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Databases, prepared databases, their schemas, default privileges and extensions (upstream:
 * pkg/cluster/sync.go, syncDatabases, syncPreparedDatabases and syncExtensions): created when
 * missing, owners corrected; nothing is ever dropped or revoked. An extension that is not installed
 * on the server is reported and skipped, not fatal.
 */
public final class DatabaseSync {
  private static final Logger LOG = LoggerFactory.getLogger(DatabaseSync.class);

  /**
   * Opens a connection to a named database of the same server (prepared databases need their own).
   */
  @FunctionalInterface
  public interface Connector {
    Connection connect(String database) throws SQLException;
  }

  private final List<String> problems = new ArrayList<>();

  public List<String> problems() {
    return problems;
  }

  public SqlLog syncDatabases(Connection c, Map<String, String> databases) throws SQLException {
    SqlLog log = new SqlLog();
    Map<String, String> owners = owners(c);
    Set<String> roles = roles(c);
    for (Map.Entry<String, String> db : new TreeMap<>(databases).entrySet()) {
      if (!db.getKey().matches(Patterns.DATABASE_NAME) || !roles.contains(db.getValue())) {
        problems.add(
            "database " + db.getKey() + " skipped: owner " + db.getValue() + " does not exist");
        continue;
      }
      ensureDatabase(c, log, owners, db.getKey(), db.getValue());
    }
    return log;
  }

  public SqlLog syncPreparedDatabases(
      Connection c, Connector connector, Map<String, PreparedDatabase> prepared)
      throws SQLException {
    SqlLog log = new SqlLog();
    Map<String, String> owners = owners(c);
    for (Map.Entry<String, PreparedDatabase> entry : new TreeMap<>(prepared).entrySet()) {
      String db = entry.getKey();
      PreparedDatabase spec = entry.getValue() == null ? new PreparedDatabase() : entry.getValue();
      boolean created = ensureDatabase(c, log, owners, db, db + "_owner");
      try (Connection inDb = connector.connect(db)) {
        if (created) {
          defaultPrivileges(
              inDb, log, db, db + "_owner", null, Boolean.TRUE.equals(spec.defaultUsers));
        }
        syncSchemas(inDb, log, db, spec);
        syncExtensions(inDb, log, spec.extensions == null ? Map.of() : spec.extensions);
      }
    }
    return log;
  }

  private boolean ensureDatabase(
      Connection c, SqlLog log, Map<String, String> owners, String db, String owner)
      throws SQLException {
    String current = owners.get(db);
    if (current == null) {
      String sql = "CREATE DATABASE " + quoteIdent(db) + " OWNER " + quoteIdent(owner);
      log.execute(c, sql, sql);
      owners.put(db, owner);
      return true;
    }
    if (!current.equals(owner)) {
      String sql = "ALTER DATABASE " + quoteIdent(db) + " OWNER TO " + quoteIdent(owner);
      log.execute(c, sql, sql);
      owners.put(db, owner);
    }
    return false;
  }

  private void syncSchemas(Connection inDb, SqlLog log, String db, PreparedDatabase spec)
      throws SQLException {
    Map<String, PreparedSchema> schemas =
        spec.schemas == null || spec.schemas.isEmpty()
            ? Map.of("data", new PreparedSchema())
            : new TreeMap<>(spec.schemas);
    Set<String> existing = new HashSet<>();
    try (Statement s = inDb.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select nspname from pg_namespace where nspname !~ '^pg_' and nspname <> 'information_schema'")) {
      while (rs.next()) {
        existing.add(rs.getString(1));
      }
    }
    for (Map.Entry<String, PreparedSchema> e : schemas.entrySet()) {
      String schema = e.getKey();
      if (existing.contains(schema)) {
        continue;
      }
      PreparedSchema ps = e.getValue() == null ? new PreparedSchema() : e.getValue();
      boolean roles = !Boolean.FALSE.equals(ps.defaultRoles);
      String owner = roles ? db + "_" + schema + "_owner" : db + "_owner";
      String sql =
          "SET ROLE "
              + quoteIdent(db + "_owner")
              + "; CREATE SCHEMA IF NOT EXISTS "
              + quoteIdent(schema)
              + " AUTHORIZATION "
              + quoteIdent(owner)
              + "; RESET ROLE";
      log.execute(inDb, sql, sql);
      if (roles) {
        defaultPrivileges(
            inDb, log, db + "_" + schema, owner, schema, Boolean.TRUE.equals(ps.defaultUsers));
      }
    }
  }

  /**
   * Readers may read and writers write what the owner roles create from now on (upstream:
   * pkg/cluster/database.go, execAlterGlobalDefaultPrivileges).
   */
  private void defaultPrivileges(
      Connection c, SqlLog log, String prefix, String owner, String schema, boolean defaultUsers)
      throws SQLException {
    List<String> owners = new ArrayList<>(List.of(owner));
    if (defaultUsers) {
      owners.add(owner + "_user");
    }
    String reader = quoteIdent(prefix + "_reader");
    String writer = quoteIdent(prefix + "_writer");
    String in = schema == null ? "" : " IN SCHEMA " + quoteIdent(schema);
    for (String o : owners) {
      String sql =
          "SET ROLE "
              + quoteIdent(o)
              + ";"
              + (schema == null
                  ? ""
                  : " GRANT USAGE ON SCHEMA "
                      + quoteIdent(schema)
                      + " TO "
                      + reader
                      + ", "
                      + writer
                      + ";")
              + " ALTER DEFAULT PRIVILEGES"
              + in
              + " GRANT SELECT ON TABLES TO "
              + reader
              + ";"
              + " ALTER DEFAULT PRIVILEGES"
              + in
              + " GRANT SELECT ON SEQUENCES TO "
              + reader
              + ";"
              + " ALTER DEFAULT PRIVILEGES"
              + in
              + " GRANT INSERT, UPDATE, DELETE ON TABLES TO "
              + writer
              + ";"
              + " ALTER DEFAULT PRIVILEGES"
              + in
              + " GRANT USAGE, UPDATE ON SEQUENCES TO "
              + writer
              + ";"
              + " ALTER DEFAULT PRIVILEGES"
              + in
              + " GRANT EXECUTE ON FUNCTIONS TO "
              + reader
              + ", "
              + writer
              + ";"
              + " ALTER DEFAULT PRIVILEGES"
              + in
              + " GRANT USAGE ON TYPES TO "
              + reader
              + ", "
              + writer
              + ";"
              + " RESET ROLE";
      log.execute(c, sql, sql);
    }
  }

  private void syncExtensions(Connection inDb, SqlLog log, Map<String, String> extensions)
      throws SQLException {
    Map<String, String> installed = new HashMap<>();
    Set<String> available = new HashSet<>();
    try (Statement s = inDb.createStatement()) {
      try (ResultSet rs =
          s.executeQuery(
              "select e.extname, n.nspname from pg_extension e "
                  + "join pg_namespace n on n.oid = e.extnamespace")) {
        while (rs.next()) {
          installed.put(rs.getString(1), rs.getString(2));
        }
      }
      try (ResultSet rs = s.executeQuery("select name from pg_available_extensions")) {
        while (rs.next()) {
          available.add(rs.getString(1));
        }
      }
    }
    for (Map.Entry<String, String> e : new TreeMap<>(extensions).entrySet()) {
      String current = installed.get(e.getKey());
      if (current == null && !available.contains(e.getKey())) {
        String problem =
            "extension " + e.getKey() + " is not available on this server; install its package";
        problems.add(problem);
        LOG.warn("{}", problem);
      } else if (current == null) {
        String sql =
            "CREATE EXTENSION IF NOT EXISTS "
                + quoteIdent(e.getKey())
                + " SCHEMA "
                + quoteIdent(e.getValue());
        log.execute(inDb, sql, sql);
      } else if (!current.equals(e.getValue())) {
        String sql =
            "ALTER EXTENSION " + quoteIdent(e.getKey()) + " SET SCHEMA " + quoteIdent(e.getValue());
        log.execute(inDb, sql, sql);
      }
    }
  }

  private static Map<String, String> owners(Connection c) throws SQLException {
    Map<String, String> m = new HashMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select datname, pg_get_userbyid(datdba) from pg_database")) {
      while (rs.next()) {
        m.put(rs.getString(1), rs.getString(2));
      }
    }
    return m;
  }

  private static Set<String> roles(Connection c) throws SQLException {
    Set<String> m = new HashSet<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select rolname from pg_roles")) {
      while (rs.next()) {
        m.add(rs.getString(1));
      }
    }
    return m;
  }
}
