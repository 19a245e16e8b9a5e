package dev.cornac.dataplane.sql;

import static dev.cornac.dataplane.sql.SqlLog.quoteIdent;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The connection pooler's password lookup (upstream: pkg/cluster/database.go,
 * installLookupFunction): in every database but the templates, a schema and a SECURITY DEFINER
 * function {@code <schema>.user_lookup(username)} returning the role's name and hash from {@code
 * pg_shadow}, executable by the pooler role only. PgBouncer calls it as its {@code auth_query} to
 * authenticate every other role. Created where missing; never dropped.
 */
public final class PoolerLookupSync {
  private PoolerLookupSync() {}

  /** The {@code auth_query} that matches the function. */
  public static String authQuery(String schema) {
    return "SELECT * FROM " + quoteIdent(schema) + ".user_lookup($1)";
  }

  public static SqlLog sync(
      Connection postgres, DatabaseSync.Connector connector, String schema, String poolerRole)
      throws SQLException {
    SqlLog log = new SqlLog();
    for (String database : databases(postgres)) {
      try (Connection c = connector.connect(database)) {
        if (installed(c, schema)) {
          continue;
        }
        String s = quoteIdent(schema);
        String role = quoteIdent(poolerRole);
        String function = s + ".user_lookup(text)";
        log.execute(
            c,
            "CREATE SCHEMA IF NOT EXISTS " + s,
            "[" + database + "] CREATE SCHEMA IF NOT EXISTS " + s);
        String create =
            "CREATE OR REPLACE FUNCTION "
                + s
                + ".user_lookup(i_username text, OUT uname text, "
                + "OUT phash text) RETURNS record LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS "
                + "$$ SELECT usename::text, passwd::text FROM pg_catalog.pg_shadow WHERE usename = i_username $$";
        log.execute(c, create, "[" + database + "] CREATE FUNCTION " + function);
        String revoke = "REVOKE ALL ON FUNCTION " + function + " FROM public, " + role;
        log.execute(c, revoke, "[" + database + "] " + revoke);
        String grant = "GRANT EXECUTE ON FUNCTION " + function + " TO " + role;
        log.execute(c, grant, "[" + database + "] " + grant);
        String usage = "GRANT USAGE ON SCHEMA " + s + " TO " + role;
        log.execute(c, usage, "[" + database + "] " + usage);
      }
    }
    return log;
  }

  private static List<String> databases(Connection c) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT datname FROM pg_catalog.pg_database WHERE datallowconn "
                    + "AND NOT datistemplate ORDER BY datname")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }

  private static boolean installed(Connection c, String schema) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT 1 FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n "
                + "ON n.oid = p.pronamespace WHERE n.nspname = ? AND p.proname = 'user_lookup'")) {
      s.setString(1, schema);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }
}
