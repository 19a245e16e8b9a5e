package dev.cornac.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * A real Patroni cluster on 127.0.0.1 for the tests: one etcd and N Patroni members with the
 * machine's PostgreSQL 15, on free ports, run as the unprivileged {@code postgres} user when the
 * tests run as root (PostgreSQL refuses root). Short Patroni timings (ttl 10 / loop_wait 2 /
 * retry_timeout 4) and fast basebackup checkpoints keep tests quick.
 */
public final class LocalPatroniCluster implements AutoCloseable {
  public static final String SUPERUSER_PASSWORD = "pg-test-superuser";
  static final Path PG_BIN = Path.of("/usr/lib/postgresql/15/bin");

  public record Member(String name, int restPort, int pgPort, Path dir, Process process) {
    /**
     * A client of the member's REST API made by the caller's own factory ({@code
     * PatroniClient::of}).
     */
    public <C> C client(BiFunction<String, Integer, C> factory) {
      return factory.apply("127.0.0.1", restPort);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String scope;
  private final Path base;
  private final int etcdPort;
  private final Process etcd;
  private final List<Member> members = new ArrayList<>();

  private LocalPatroniCluster(String scope, Path base, int etcdPort, Process etcd) {
    this.scope = scope;
    this.base = base;
    this.etcdPort = etcdPort;
    this.etcd = etcd;
  }

  public static LocalPatroniCluster start(String scope, int instances) throws Exception {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      names.add("node" + i);
    }
    return start(scope, names);
  }

  /** Members with the given names (pod names, when a test plays the pods of a StatefulSet). */
  public static LocalPatroniCluster start(String scope, List<String> memberNames) throws Exception {
    for (String tool : List.of("/usr/bin/patroni", "/usr/bin/etcd")) {
      if (!Files.isExecutable(Path.of(tool))) {
        throw new IllegalStateException(
            tool + " is missing: run scripts/test.sh, which installs patroni and " + "etcd-server");
      }
    }
    Path base = Files.createTempDirectory("cornac-patroni-");
    int client = freePort();
    int peer = freePort();
    Process etcd =
        new ProcessBuilder(
                "/usr/bin/etcd",
                "--name",
                "test",
                "--data-dir",
                base.resolve("etcd").toString(),
                "--listen-client-urls",
                "http://127.0.0.1:" + client,
                "--advertise-client-urls",
                "http://127.0.0.1:" + client,
                "--listen-peer-urls",
                "http://127.0.0.1:" + peer,
                "--initial-advertise-peer-urls",
                "http://127.0.0.1:" + peer,
                "--initial-cluster",
                "test=http://127.0.0.1:" + peer,
                "--listen-metrics-urls",
                "http://127.0.0.1:" + freePort())
            .redirectErrorStream(true)
            .redirectOutput(base.resolve("etcd.log").toFile())
            .start();
    LocalPatroniCluster cluster = new LocalPatroniCluster(scope, base, client, etcd);
    try {
      cluster.awaitEtcd();
      for (String name : memberNames) {
        cluster.addMember(name);
      }
      cluster.awaitHealthy(Duration.ofSeconds(60));
    } catch (Exception e) {
      cluster.printLogs();
      cluster.close();
      throw e;
    }
    return cluster;
  }

  private void awaitEtcd() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    Instant deadline = Instant.now().plusSeconds(20);
    while (Instant.now().isBefore(deadline)) {
      try {
        var r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + etcdPort + "/health"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && r.body().contains("true")) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("etcd did not become healthy; see " + base.resolve("etcd.log"));
  }

  public Member addMember(String name) throws Exception {
    int rest = freePort();
    int pg = freePort();
    Path dir = base.resolve(name);
    Files.createDirectories(dir);
    Path config = dir.resolve("patroni.yml");
    Files.writeString(
        config,
        """
        scope: %s
        namespace: /service/
        name: %s
        log: {level: WARNING, dir: %s}
        restapi: {listen: 127.0.0.1:%d, connect_address: 127.0.0.1:%d}
        etcd3: {hosts: 127.0.0.1:%d}
        bootstrap:
          dcs:
            ttl: 10
            loop_wait: 2
            retry_timeout: 4
            maximum_lag_on_failover: 1048576
            postgresql:
              use_pg_rewind: true
              use_slots: true
              parameters: {wal_level: replica, hot_standby: "on", max_wal_senders: 10, max_replication_slots: 10,
                           wal_log_hints: "on", wal_retrieve_retry_interval: 500ms, max_connections: 100}
          initdb: [{encoding: UTF8}, data-checksums]
        postgresql:
          listen: 127.0.0.1:%d
          connect_address: 127.0.0.1:%d
          data_dir: %s/data
          bin_dir: %s
          pgpass: %s/pgpass
          basebackup: [{checkpoint: fast}]
          pg_hba:
          - local all all trust
          - host replication replicator 127.0.0.1/32 scram-sha-256
          - host all all 127.0.0.1/32 scram-sha-256
          authentication:
            replication: {username: replicator, password: rep-pass}
            superuser: {username: postgres, password: %s}
            rewind: {username: rewinder, password: rew-pass}
          parameters: {unix_socket_directories: %s}
        """
            .formatted(
                scope,
                name,
                dir,
                rest,
                rest,
                etcdPort,
                pg,
                pg,
                dir,
                PG_BIN,
                dir,
                SUPERUSER_PASSWORD,
                dir));
    ownByPostgres(base);
    List<String> cmd = new ArrayList<>();
    if (isRoot()) {
      cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    cmd.addAll(List.of("/usr/bin/patroni", config.toString()));
    // Run from the member's own directory: the postgres user may not enter the build's working
    // directory.
    Process p =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("stdout.log").toFile())
            .start();
    Member m = new Member(name, rest, pg, dir, p);
    members.add(m);
    return m;
  }

  /** Stops a member's Patroni (and so its PostgreSQL) for good; its data stays. */
  public void stopMember(String name) {
    Member m = member(name);
    stop(m.process());
    members.remove(m);
  }

  /**
   * Stops a member's Patroni (and so its PostgreSQL) and starts it again with the same
   * configuration and data.
   */
  public Member restart(String name) throws IOException {
    int index = -1;
    for (int i = 0; i < members.size(); i++) {
      if (members.get(i).name().equals(name)) {
        index = i;
      }
    }
    Member old = members.get(index);
    stop(old.process());
    List<String> cmd = new ArrayList<>();
    if (isRoot()) {
      cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    cmd.addAll(List.of("/usr/bin/patroni", old.dir().resolve("patroni.yml").toString()));
    Process p =
        new ProcessBuilder(cmd)
            .directory(old.dir().toFile())
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(old.dir().resolve("stdout.log").toFile()))
            .start();
    Member fresh = new Member(old.name(), old.restPort(), old.pgPort(), old.dir(), p);
    members.set(index, fresh);
    return fresh;
  }

  /** Waits until there is one leader and every member is running or streaming. */
  public void awaitHealthy(Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      try {
        List<JsonNode> view = clusterView();
        long leaders = view.stream().filter(LocalPatroniCluster::isLeader).count();
        boolean allUp =
            view.size() == members.size()
                && view.stream()
                    .allMatch(
                        m ->
                            isLeader(m)
                                || (List.of("running", "streaming")
                                        .contains(m.path("state").asText())
                                    && m.path("lag").isNumber()));
        if (leaders == 1 && allUp) {
          return;
        }
      } catch (IOException | RuntimeException e) {
        // not up yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(
        "Patroni cluster " + scope + " did not become healthy; logs in " + base);
  }

  /** The tail of every log, on stderr: what a failing CI run needs to show. */
  void printLogs() {
    try (Stream<Path> logs = Files.walk(base)) {
      logs.filter(p -> p.toString().endsWith(".log"))
          .forEach(
              p -> {
                try {
                  List<String> lines = Files.readAllLines(p);
                  System.err.println("==> " + p);
                  lines
                      .subList(Math.max(0, lines.size() - 30), lines.size())
                      .forEach(System.err::println);
                } catch (IOException e) {
                  System.err.println("cannot read " + p);
                }
              });
    } catch (IOException e) {
      System.err.println("cannot list " + base);
    }
  }

  public List<Member> members() {
    return members;
  }

  public Member member(String name) {
    return members.stream()
        .filter(m -> m.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no member " + name));
  }

  public Member leader() {
    try {
      String name =
          clusterView().stream()
              .filter(LocalPatroniCluster::isLeader)
              .findFirst()
              .orElseThrow()
              .path("name")
              .asText();
      return members.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    } catch (IOException e) {
      throw new UncheckedIOException("Patroni's /cluster did not answer", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Patroni's {@code GET /cluster}, asked of each member in turn until one answers (one may be
   * restarting, as a recreated pod's is): the members as Patroni 3 reports them.
   */
  private List<JsonNode> clusterView() throws IOException, InterruptedException {
    IOException last = new IOException("no member");
    for (Member m : List.copyOf(members)) {
      try {
        HttpResponse<String> r =
            HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.restPort() + "/cluster"))
                    .timeout(Duration.ofSeconds(3))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        List<JsonNode> out = new ArrayList<>();
        JSON.readTree(r.body()).path("members").forEach(out::add);
        return out;
      } catch (IOException e) {
        last = e;
      }
    }
    throw last;
  }

  private static boolean isLeader(JsonNode member) {
    return List.of("leader", "standby_leader").contains(member.path("role").asText());
  }

  public Connection connect(Member m) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + m.pgPort() + "/postgres?connectTimeout=5",
        "postgres",
        SUPERUSER_PASSWORD);
  }

  /** The first column of the first row of a query, as text (null when there is no row). */
  public String queryOne(Member m, String database, String sql) throws SQLException {
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + m.pgPort() + "/" + database + "?connectTimeout=5",
                "postgres",
                SUPERUSER_PASSWORD);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  /**
   * Whether a role can log in to a member with a password: what a client of the cluster would find.
   */
  public static boolean canLogIn(Member m, String user, String password) {
    try (Connection c =
        DriverManager.getConnection(
            "jdbc:postgresql://127.0.0.1:" + m.pgPort() + "/postgres" + "?connectTimeout=5",
            user,
            password)) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static void ownByPostgres(Path dir) throws IOException, InterruptedException {
    if (isRoot()) {
      new ProcessBuilder("chown", "-R", "postgres:postgres", dir.toString())
          .inheritIO()
          .start()
          .waitFor();
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    for (Member m : members) {
      stop(m.process());
    }
    stop(etcd);
    try (Stream<Path> paths = Files.walk(base)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort
    }
  }

  private static void stop(Process p) {
    p.descendants().forEach(ProcessHandle::destroy);
    p.destroy();
    try {
      p.waitFor(15, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }
}
