package dev.cornac.dataplane.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the statements of a sync and remembers them with passwords redacted: what a user reads in
 * the log, and what tests assert ("a second sync issues no DDL").
 */
public final class SqlLog {
  private static final Logger LOG = LoggerFactory.getLogger(SqlLog.class);
  private final List<String> executed = new ArrayList<>();

  void execute(Connection c, String sql, String redacted) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
    executed.add(redacted);
    LOG.info("{}", redacted);
  }

  public List<String> executed() {
    return executed;
  }

  static String quoteIdent(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  static String quoteLiteral(String value) {
    return "'" + value.replace("'", "''") + "'";
  }
}
