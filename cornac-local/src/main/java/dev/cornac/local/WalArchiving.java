package dev.cornac.local;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/**
 * The primary's WAL archiving as PostgreSQL counts it ({@code pg_stat_archiver}): the last WAL
 * archived and when, the failed attempts and the last one. A failing {@code archive_command} is
 * otherwise silent while WAL piles up in {@code pg_wal}, so {@code status} shows it.
 *
 * @param state {@code ok}, {@code failing} (the last attempt failed), {@code waiting} (nothing
 *     archived nor failed yet), {@code off} (no backups configured: archive_mode is off) or {@code
 *     unknown} (see {@code detail})
 */
public record WalArchiving(
    String state,
    String member,
    Long archivedCount,
    String lastArchivedWal,
    String lastArchivedTime,
    Long failedCount,
    String lastFailedWal,
    String lastFailedTime,
    String detail) {

  static WalArchiving unknown(String why) {
    return new WalArchiving("unknown", null, null, null, null, null, null, null, why);
  }

  /**
   * Read from {@code primary} as the superuser; {@code unknown} with the reason when it cannot be
   * read.
   */
  static WalArchiving read(LocalLayout layout, LocalState.Member primary) {
    try (Connection conn = superuserConnection(layout, primary);
        Statement st = conn.createStatement();
        ResultSet rs =
            st.executeQuery(
                "select current_setting('archive_mode'), archived_count, last_archived_wal, "
                    + "last_archived_time, failed_count, last_failed_wal, last_failed_time from pg_stat_archiver")) {
      rs.next();
      if ("off".equals(rs.getString(1))) {
        return new WalArchiving(
            "off",
            primary.name(),
            null,
            null,
            null,
            null,
            null,
            null,
            "no backups configured: no WAL_S3_BUCKET");
      }
      Optional<Instant> archivedAt = instant(rs.getTimestamp(4));
      Optional<Instant> failedAt = instant(rs.getTimestamp(7));
      boolean failing =
          failedAt.isPresent()
              && (archivedAt.isEmpty() || failedAt.get().isAfter(archivedAt.get()));
      String state = failing ? "failing" : archivedAt.isPresent() ? "ok" : "waiting";
      return new WalArchiving(
          state,
          primary.name(),
          rs.getLong(2),
          rs.getString(3),
          archivedAt.map(Instant::toString).orElse(null),
          rs.getLong(5),
          rs.getString(6),
          failedAt.map(Instant::toString).orElse(null),
          null);
    } catch (SQLException | LocalRuntimeException e) {
      return unknown("cannot query " + primary.name() + ": " + e.getMessage());
    }
  }

  static Connection superuserConnection(LocalLayout layout, LocalState.Member primary)
      throws SQLException {
    String user = ClusterFiles.savedConfig(layout).superUsername();
    return ClusterConvergence.connector(
            primary, user, LocalCredentials.load(layout).passwordOf(user))
        .connect("postgres");
  }

  private static Optional<Instant> instant(Timestamp t) {
    return Optional.ofNullable(t).map(Timestamp::toInstant);
  }

  /** The last archived WAL's time, when there is one. */
  Optional<Instant> lastArchived() {
    return Optional.ofNullable(lastArchivedTime).map(Instant::parse);
  }

  /** One line for {@code status}, and what to do when archiving fails. */
  String describe(String cluster) {
    return switch (state) {
      case "off", "unknown" -> "archiving: " + state + " (" + detail + ")";
      case "waiting" -> "archiving: waiting on " + member + " - no WAL archived yet, none failed";
      default ->
          "archiving: "
              + state
              + " on "
              + member
              + " - last archived: "
              + (lastArchivedWal == null ? "none" : lastArchivedWal + " at " + lastArchivedTime)
              + "; "
              + failedCount
              + " failed"
              + (lastFailedWal == null ? "" : ", last " + lastFailedWal + " at " + lastFailedTime)
              + (state.equals("failing")
                  ? "\n  WAL stays in pg_wal until it is archived: see the error in `cornac local "
                      + "logs "
                      + cluster
                      + " "
                      + member
                      + "`, then correct the S3 settings with `cornac local apply -f MANIFEST "
                      + "--env-file FILE`"
                  : "");
    };
  }
}
