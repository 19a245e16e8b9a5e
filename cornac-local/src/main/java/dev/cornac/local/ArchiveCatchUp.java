package dev.cornac.local;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

/**
 * Brings a running cluster's WAL archive up to now, for a restore to a time its archive does not
 * reach yet: the WAL written since the last segment switch is in the primary's current segment,
 * which PostgreSQL archives only once it is full or {@code archive_timeout} passes. So the primary
 * switches to a new segment ({@code pg_switch_wal()}) and the CLI waits until {@code
 * pg_stat_archiver} shows the switched segment archived.
 */
final class ArchiveCatchUp {
  static final Duration TIMEOUT = Duration.ofSeconds(60);
  /*
   * PostgreSQL's archiver tries a segment three times in a row (pgarch.c, NUM_ARCHIVE_RETRIES), then waits up to a
   * minute before trying again: three failures after the switch mean the archive will not catch up within the wait.
   */
  static final int RETRIES = 3;

  private ArchiveCatchUp() {}

  /**
   * Switches the primary's WAL segment and waits for it to be archived; the archiving as it then
   * stands.
   */
  static WalArchiving run(LocalLayout layout, LocalState.Member primary, String cluster)
      throws Exception {
    WalArchiving before = WalArchiving.read(layout, primary);
    String segment = switchWal(layout, primary);
    long failedBefore = before.failedCount() == null ? 0 : before.failedCount();
    return Waits.until(
        TIMEOUT,
        Duration.ofMillis(300),
        () -> archived(layout, primary, cluster, segment, failedBefore),
        () ->
            "the WAL segment "
                + segment
                + " of "
                + cluster
                + " was not archived within "
                + TIMEOUT.toSeconds()
                + " s; "
                + WalArchiving.read(layout, primary).describe(cluster));
  }

  private static Optional<WalArchiving> archived(
      LocalLayout layout,
      LocalState.Member primary,
      String cluster,
      String segment,
      long failedBefore) {
    WalArchiving now = WalArchiving.read(layout, primary);
    if (now.lastArchivedWal() != null && now.lastArchivedWal().compareTo(segment) >= 0) {
      return Optional.of(now);
    }
    if (now.failedCount() != null
        && now.failedCount() - failedBefore >= RETRIES
        && now.lastFailedWal() != null
        && now.lastFailedWal().compareTo(segment) <= 0) {
      throw new LocalRuntimeException(
          "archiving "
              + cluster
              + "'s WAL fails, so its archive cannot reach the time "
              + "asked for; "
              + now.describe(cluster));
    }
    return Optional.empty();
  }

  /**
   * The segment that {@code pg_switch_wal()} completed, after a commit of its own: recovery to a
   * time stops at the first commit after it, and fails ("recovery ended before configured recovery
   * target was reached") when the archive holds none, as when nothing was committed since the
   * target.
   */
  private static String switchWal(LocalLayout layout, LocalState.Member primary) {
    try (Connection conn = WalArchiving.superuserConnection(layout, primary);
        Statement st = conn.createStatement()) {
      st.execute("select txid_current()");
      try (ResultSet rs = st.executeQuery("select pg_walfile_name(pg_switch_wal())")) {
        rs.next();
        return rs.getString(1);
      }
    } catch (SQLException e) {
      throw new LocalRuntimeException(
          "cannot switch the WAL segment on " + primary.name() + ": " + e.getMessage(), e);
    }
  }
}
