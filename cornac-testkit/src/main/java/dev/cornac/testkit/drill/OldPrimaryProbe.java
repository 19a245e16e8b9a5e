package dev.cornac.testkit.drill;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/**
 * Writes straight to a primary that was replaced while it was frozen, from the moment it runs
 * again, until it is in recovery (demoted) or the time is up: each commit it acknowledges is a
 * write accepted by an old primary after another was promoted, which must not happen (an
 * application holding a connection to it would be split from the new primary).
 */
public final class OldPrimaryProbe {
  /** What the old primary did: commits it acknowledged, and whether it was seen in recovery. */
  public record Result(int accepted, boolean demoted) {}

  private static final Duration PACE = Duration.ofMillis(50);

  private OldPrimaryProbe() {}

  public static Result run(int port, String user, String password, Duration upTo) {
    String url = AcknowledgedWriter.url(List.of(port), "any");
    long deadline = System.nanoTime() + upTo.toNanos();
    int accepted = 0;
    long id = -1;
    while (System.nanoTime() < deadline) {
      try (Connection c = DriverManager.getConnection(url, user, password);
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
        rs.next();
        if (rs.getBoolean(1)) {
          return new Result(accepted, true);
        }
        try (PreparedStatement insert =
            c.prepareStatement("INSERT INTO " + AcknowledgedWriter.TABLE + " VALUES (?, ?)")) {
          insert.setLong(1, id--);
          insert.setInt(2, port);
          insert.executeUpdate();
          accepted++;
        }
      } catch (SQLException e) {
        // down, refusing, or shutting down while Patroni demotes it: look again
      }
      try {
        Thread.sleep(PACE.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return new Result(accepted, false);
  }
}
