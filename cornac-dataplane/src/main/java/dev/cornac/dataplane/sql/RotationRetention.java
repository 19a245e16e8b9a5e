package dev.cornac.dataplane.sql;

import static dev.cornac.dataplane.sql.SqlLog.quoteIdent;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The dated roles of new-user password rotation ({@code <role><YYMMDD>}) that are older than the
 * retention: dropped. This is the one place the operator drops roles, as upstream (upstream:
 * pkg/cluster/sync.go, syncSecrets, which calls cleanupRotatedUsers), and only roles it created
 * itself for a rotation the manifest or configuration asked for. A role that still owns objects is
 * kept and reported.
 */
public final class RotationRetention {

  private RotationRetention() {}

  public static SqlLog sync(
      Connection c, String role, LocalDate today, long retentionDays, List<String> problems)
      throws SQLException {
    SqlLog log = new SqlLog();
    List<String> expired = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT rolname FROM pg_catalog.pg_roles WHERE length(rolname) = length(?) + 6 AND left(rolname, length(?)) = ?")) {
      s.setString(1, role);
      s.setString(2, role);
      s.setString(3, role);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          String name = rs.getString(1);
          String suffix = name.substring(role.length());
          if (!suffix.matches("\\d{6}")) {
            continue;
          }
          try {
            LocalDate created = LocalDate.parse("20" + suffix, DateTimeFormatter.BASIC_ISO_DATE);
            if (created.isBefore(today.minusDays(retentionDays))) {
              expired.add(name);
            }
          } catch (DateTimeParseException e) {
            // not one of ours
          }
        }
      }
    }
    for (String name : expired) {
      try {
        log.execute(
            c,
            "DROP ROLE " + quoteIdent(name),
            "DROP ROLE "
                + quoteIdent(name)
                + " (rotation user older than "
                + retentionDays
                + " days)");
      } catch (SQLException e) {
        problems.add("rotation user " + name + " kept: " + e.getMessage());
      }
    }
    return log;
  }
}
