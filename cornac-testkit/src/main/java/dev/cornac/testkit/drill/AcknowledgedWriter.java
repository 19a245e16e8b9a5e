package dev.cornac.testkit.drill;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * A client that writes all the time, as an application would, and remembers every commit the server
 * acknowledged: one row per commit, numbered, through the multi-host URI that finds the primary
 * ({@code targetServerType=primary}), reconnecting after every error. What a drill asks of it
 * afterwards: how long no commit was acknowledged, and which acknowledged rows are missing.
 *
 * <p>The socket timeout is 1 s: a frozen primary answers nothing, and the client gives up on it
 * after that long, as a pool's validation timeout would. A commit that timed out is not
 * acknowledged, and its number is never reused (it may still have committed).
 */
public final class AcknowledgedWriter implements AutoCloseable {
  /** One acknowledged commit: its row, the server port that acknowledged it, and when. */
  public record Ack(long id, int port, long nanos) {}

  static final String TABLE = "drill_writes";
  private static final Duration PACE = Duration.ofMillis(20);

  private final String url;
  private final String user;
  private final String password;
  private final List<Ack> acks = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  private AcknowledgedWriter(String url, String user, String password) {
    this.url = url;
    this.user = user;
    this.password = password;
    this.thread = new Thread(this::loop, "acknowledged-writer");
    this.thread.setDaemon(true);
  }

  /** Creates the table when it is missing and starts writing in the background. */
  public static AcknowledgedWriter start(List<Integer> ports, String user, String password)
      throws SQLException {
    AcknowledgedWriter w = new AcknowledgedWriter(url(ports, "primary"), user, password);
    try (Connection c = w.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (id bigint PRIMARY KEY, port int)");
      s.execute("TRUNCATE " + TABLE);
    }
    w.thread.start();
    return w;
  }

  /** The libpq-style multi-host URI in JDBC form, each host tried in turn. */
  static String url(List<Integer> ports, String serverType) {
    return "jdbc:postgresql://"
        + ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","))
        + "/postgres?targetServerType="
        + serverType
        // No host status cache: it skips a just-promoted replica for hostRecheckSeconds (10 s by
        // default; 1 s still added up to a second to a switchover's measured gap).
        + "&hostRecheckSeconds=0&connectTimeout=1&socketTimeout=1&ApplicationName=drill-writer";
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(url, user, password);
  }

  private void loop() {
    long next = 1;
    Connection c = null;
    while (running) {
      try {
        if (c == null) {
          c = connect();
        }
        long id = next++;
        try (PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO " + TABLE + " VALUES (?, inet_server_port()) RETURNING port")) {
          insert.setLong(1, id);
          try (ResultSet rs = insert.executeQuery()) {
            rs.next();
            acks.add(new Ack(id, rs.getInt(1), System.nanoTime()));
          }
        }
      } catch (SQLException e) {
        close(c);
        c = null;
      }
      sleep(PACE);
    }
    close(c);
  }

  public List<Ack> acks() {
    return List.copyOf(acks);
  }

  /** Acknowledged commits so far. */
  public int count() {
    return acks.size();
  }

  /** The longest time without an acknowledged commit between the first and the last one. */
  public Duration longestGap() {
    List<Ack> all = acks();
    long longest = 0;
    for (int i = 1; i < all.size(); i++) {
      longest = Math.max(longest, all.get(i).nanos() - all.get(i - 1).nanos());
    }
    return Duration.ofNanos(longest);
  }

  /** The acknowledged rows the table no longer has, read through {@code primary}. */
  public Set<Long> lost(Connection primary) throws SQLException {
    Set<Long> present = new HashSet<>();
    try (Statement s = primary.createStatement();
        ResultSet rs = s.executeQuery("SELECT id FROM " + TABLE)) {
      while (rs.next()) {
        present.add(rs.getLong(1));
      }
    }
    return acks().stream()
        .map(Ack::id)
        .filter(id -> !present.contains(id))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * Commits the server on {@code port} acknowledged after some other server had acknowledged one:
   * an old primary that kept accepting writes once another was promoted.
   */
  public List<Ack> acceptedByAfterOthers(int port) {
    List<Ack> after = new ArrayList<>();
    boolean otherSeen = false;
    for (Ack a : acks()) {
      if (a.port() != port) {
        otherSeen = true;
      } else if (otherSeen) {
        after.add(a);
      }
    }
    return after;
  }

  /** Stops writing and waits for the last commit to end. */
  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(Duration.ofSeconds(10).toMillis());
  }

  private static void close(Connection c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (SQLException e) {
      // the connection is gone already
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
