package dev.cornac.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code cornac local} end to end, as a user drives it: a manifest brought up as real etcd,
 * Patroni, PostgreSQL 15, PgBouncer and postgres_exporter processes, then connected to, switched
 * over, changed, crashed, stopped and brought back. The steps share one cluster, in order, because
 * each builds on the state the previous one left.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalRuntimeCliTest {
  static final String NAME = "acid-local";
  static final ObjectMapper JSON = new ObjectMapper();
  static Path home;
  static Path manifest;
  static String upOutput;

  static String manifest(
      int instances, String extraParameters, String extraUsers, String extraDatabases) {
    return """
        apiVersion: "acid.zalan.do/v1"
        kind: postgresql
        metadata:
          name: %s
        spec:
          teamId: "acid"
          numberOfInstances: %d
          postgresql:
            version: "15"
            parameters:
              work_mem: 8MB
        %s
          volume:
            size: 1Gi
          enableMasterLoadBalancer: true
          enableConnectionPooler: true
          users:
            zalando: [superuser, createdb]
            foo_user: []
        %s
          databases:
            foo: zalando
        %s
          preparedDatabases:
            bar: {}
        """
        .formatted(NAME, instances, extraParameters, extraUsers, extraDatabases);
  }

  @BeforeAll
  static void home() throws Exception {
    home = Files.createTempDirectory("cornac-local-test-");
    // Under root the processes run as postgres, which must be able to enter the home.
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
    manifest = home.resolve("cluster.yaml");
    Files.writeString(manifest, manifest(2, "", "", ""));
  }

  @AfterAll
  static void purge() throws Exception {
    for (String name : List.of(NAME, "acid-second")) {
      if (Files.exists(home.resolve(name))) {
        local("down", name, "--purge");
      }
    }
    CliRunner.deleteTree(home);
  }

  static CliRunner.Result local(String... args) {
    return CliRunner.local(home, args);
  }

  static JsonNode credentials() throws Exception {
    return JSON.readTree(home.resolve(NAME).resolve("credentials.json").toFile());
  }

  static JsonNode status() throws Exception {
    CliRunner.Result r = local("status", NAME, "-o", "json");
    assertThat(r.exit()).as(r.err()).isZero();
    return JSON.readTree(r.out());
  }

  static String leader() throws Exception {
    for (JsonNode m : status().path("members")) {
      if (m.path("role").asText().equals("leader")) {
        return m.path("name").asText();
      }
    }
    return null;
  }

  static String query(int port, String database, String user, String sql) throws Exception {
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?connectTimeout=5",
                user,
                credentials().path(user).asText());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  static int masterPoolerPort() throws Exception {
    return status().path("masterPoolerPort").asInt();
  }

  /**
   * Runs the machine's psql on a libpq URI exactly as `up` printed it, with the password file it
   * named.
   */
  static String psqlUri(String uri, String sql) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("psql", uri, "-tAc", sql).redirectErrorStream(true);
    pb.environment().put("PGPASSFILE", home.resolve(NAME).resolve("pgpass").toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor()).as(out).isZero();
    return out;
  }

  static String printed(String label) {
    Matcher m =
        Pattern.compile("(?m)^\\s*" + Pattern.quote(label) + "\\s+(\\S+)").matcher(upOutput);
    assertThat(m.find()).as("`up` prints the %s line:%n%s", label, upOutput).isTrue();
    return m.group(1);
  }

  @Test
  @Order(1)
  void upStartsTheClusterAndSaysHowToConnect() throws Exception {
    CliRunner.Result r = local("up", "-f", manifest.toString());
    assertThat(r.exit()).as(r.err() + r.out()).isZero();
    upOutput = r.out();
    assertThat(r.err())
        .as("progress, step by step with timings")
        .contains(
            "starting etcd ... done (",
            "waiting for a writable primary ... done (",
            "waiting for 1 replica(s) to stream ... done (",
            "is up in");
    assertThat(r.err())
        .as("fields without a local meaning are reported, once")
        .containsOnlyOnce("spec.volume")
        .contains("spec.enableMasterLoadBalancer");
    assertThat(r.out())
        .contains(
            "target_session_attrs=read-write",
            "target_session_attrs=standby",
            "export PGPASSFILE=" + home.resolve(NAME).resolve("pgpass"));
    for (var password : credentials().properties()) {
      assertThat(r.out() + r.err())
          .as("no password is printed")
          .doesNotContain(password.getValue().asText());
    }
    Path dir = home.resolve(NAME);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("credentials.json"))))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("pgpass"))))
        .isEqualTo("rw-------");
  }

  @Test
  @Order(2)
  void thePrintedAddressesReachThePrimaryTheReplicasThePoolerAndTheMetrics() throws Exception {
    assertThat(
            psqlUri(
                printed("primary (read-write)"),
                "create table t(x int); insert into t values (1); " + "select pg_is_in_recovery()"))
        .endsWith("f");
    assertThat(psqlUri(printed("replicas (read-only)"), "select pg_is_in_recovery()"))
        .isEqualTo("t");
    // foo_user is not in PgBouncer's file: it authenticates through the lookup function in every
    // database.
    String pooler = printed("pooler (primary)").replace("zalando@", "foo_user@");
    assertThat(psqlUri(pooler, "select current_user || ' ' || pg_is_in_recovery()"))
        .isEqualTo("foo_user false");
    HttpClient http = HttpClient.newHttpClient();
    for (JsonNode m : status().path("members")) {
      String body =
          http.send(
                  HttpRequest.newBuilder(URI.create(m.path("metricsUrl").asText())).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(body).as(m.path("name").asText()).containsPattern("(?m)^pg_up 1$");
    }
    assertThat(
            query(
                status().path("members").get(0).path("port").asInt(),
                "bar",
                "postgres",
                "select string_agg(rolname, ',' order by rolname) from pg_roles where rolname like 'bar%'"))
        .as("the prepared database's default roles")
        .contains("bar_owner", "bar_reader", "bar_writer");
  }

  @Test
  @Order(3)
  void aSecondUpOfARunningClusterIsRefused() {
    CliRunner.Result r = local("up", "-f", manifest.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .contains("already running", "cornac local apply", "cornac local down " + NAME)
        .doesNotContain("Exception");
  }

  @Test
  @Order(4)
  void statusShowsMembersWithTheirApiAndDataDirectory() throws Exception {
    JsonNode status = status();
    assertThat(status.path("running").asBoolean()).isTrue();
    assertThat(status.path("members")).hasSize(2);
    long leaders = 0;
    for (JsonNode m : status.path("members")) {
      leaders += m.path("role").asText().equals("leader") ? 1 : 0;
      assertThat(m.path("state").asText()).isEqualTo("running");
      assertThat(m.path("timeline").asInt()).isPositive();
      assertThat(Path.of(m.path("dataDirectory").asText()).resolve("PG_VERSION")).exists();
      HttpClient http = HttpClient.newHttpClient();
      assertThat(
              http.send(
                      HttpRequest.newBuilder(URI.create(m.path("restUrl").asText() + "/patroni"))
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(200);
    }
    assertThat(leaders).isEqualTo(1);
    CliRunner.Result table = local("status", NAME);
    assertThat(table.out())
        .contains(
            "MEMBER",
            "leader",
            "replica",
            "PENDING RESTART",
            "archiving: off (no backups configured: no WAL_S3_BUCKET)");
    assertThat(status.path("archiving").path("state").asText()).isEqualTo("off");
  }

  @Test
  @Order(5)
  void psqlReachesThePrimaryOrAReplica() {
    CliRunner.Result primary =
        local(
            "psql",
            NAME,
            "-d",
            "foo",
            "-U",
            "zalando",
            "--",
            "-tAc",
            "select current_database() || ' ' || pg_is_in_recovery()");
    assertThat(primary.exit()).as(primary.err()).isZero();
    assertThat(primary.out().strip()).isEqualTo("foo false");
    CliRunner.Result replica =
        local("psql", NAME, "--replica", "--", "-tAc", "select pg_is_in_recovery()");
    assertThat(replica.out().strip()).isEqualTo("t");
  }

  @Test
  @Order(6)
  void switchoverMovesThePrimaryAndThePoolerFollows() throws Exception {
    String before = leader();
    CliRunner.Result r = local("switchover", NAME);
    assertThat(r.exit()).as(r.err()).isZero();
    String after = leader();
    assertThat(after).isNotEqualTo(before);
    assertThat(r.out()).contains(after + " is now the primary");
    int pooler = masterPoolerPort();
    await()
        .atMost(Duration.ofSeconds(15))
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(query(pooler, "foo", "zalando", "insert into t values (2) returning x"))
                    .isEqualTo("2"));
    CliRunner.Result unknown = local("switchover", NAME, "--to", "acid-local-9");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("has no member acid-local-9", NAME + "-0");
  }

  @Test
  @Order(7)
  void applyChangesParametersUsersDatabasesAndScales() throws Exception {
    Files.writeString(
        manifest,
        manifest(3, "      max_connections: \"150\"", "    new_user: []", "    newdb: new_user"));
    CliRunner.Result r = local("apply", "-f", manifest.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode status = status();
    assertThat(status.path("members")).hasSize(3);
    for (JsonNode m : status.path("members")) {
      assertThat(query(m.path("port").asInt(), "postgres", "postgres", "show max_connections"))
          .as(m.path("name").asText())
          .isEqualTo("150");
      assertThat(m.path("pendingRestart").asBoolean()).as(m.path("name").asText()).isFalse();
    }
    int primary = primaryPort();
    assertThat(
            query(primary, "newdb", "new_user", "select current_user || '@' || current_database()"))
        .isEqualTo("new_user@newdb");
    assertThat(query(primary, "foo", "zalando", "select count(*) from t")).isEqualTo("2");

    Files.writeString(
        manifest,
        manifest(2, "      max_connections: \"150\"", "    new_user: []", "    newdb: new_user"));
    CliRunner.Result down = local("apply", "-f", manifest.toString());
    assertThat(down.exit()).as(down.err()).isZero();
    assertThat(status().path("members"))
        .extracting(m -> m.path("name").asText())
        .containsExactly(NAME + "-0", NAME + "-1");
    assertThat(
            home.resolve(NAME)
                .resolve("members")
                .resolve(NAME + "-2")
                .resolve("data")
                .resolve("PG_VERSION"))
        .as("a scale-down keeps the removed member's data")
        .exists();
    assertThat(query(primaryPort(), "newdb", "new_user", "select 1"))
        .as("users are never dropped")
        .isEqualTo("1");
  }

  static int primaryPort() throws Exception {
    for (JsonNode m : status().path("members")) {
      if (m.path("role").asText().equals("leader")) {
        return m.path("port").asInt();
      }
    }
    throw new AssertionError("no leader in " + status());
  }

  @Test
  @Order(8)
  void aCrashedMemberIsRestartedByTheRuntime() throws Exception {
    JsonNode replica = null;
    for (JsonNode m : status().path("members")) {
      if (!m.path("role").asText().equals("leader")) {
        replica = m;
      }
    }
    String name = replica.path("name").asText();
    int restartsBefore = replica.path("restarts").asInt();
    Path pidFile = home.resolve(NAME).resolve("run").resolve(name + ".pid");
    long pid = Long.parseLong(Files.readString(pidFile).strip());
    new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              assertThat(Long.parseLong(Files.readString(pidFile).strip())).isNotEqualTo(pid);
              JsonNode m = null;
              for (JsonNode each : status().path("members")) {
                if (each.path("name").asText().equals(name)) {
                  m = each;
                }
              }
              assertThat(m.path("restarts").asInt()).isEqualTo(restartsBefore + 1);
              assertThat(m.path("state").asText()).isIn("running", "streaming");
              assertThat(m.path("lagBytes").isNumber()).isTrue();
            });
    long newPid = Long.parseLong(Files.readString(pidFile).strip());
    assertThat(ProcessHandle.of(newPid).map(ProcessHandle::isAlive)).contains(true);
    assertThat(local("logs", NAME).out()).contains(name + " exited with code 137; restarting");
    int primary = primaryPort();
    query(primary, "foo", "zalando", "insert into t values (3) returning x");
    int replicaPort = replica.path("port").asInt();
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(query(replicaPort, "foo", "zalando", "select count(*) from t"))
                    .as("it streams again")
                    .isEqualTo("3"));
  }

  @Test
  @Order(9)
  void aSecondClusterRunsBesideTheFirstOnItsOwnPorts() throws Exception {
    Path second = home.resolve("second.yaml");
    Files.writeString(
        second,
        """
        apiVersion: acid.zalan.do/v1
        kind: postgresql
        metadata: {name: acid-second}
        spec: {teamId: acid, numberOfInstances: 1, postgresql: {version: "15"}, volume: {size: 1Gi}}
        """);
    CliRunner.Result up = local("up", "-f", second.toString());
    assertThat(up.exit()).as(up.err()).isZero();
    CliRunner.Result list = local("list");
    assertThat(list.out())
        .containsPattern("acid-local\\s+running\\s+2")
        .containsPattern("acid-second\\s+running\\s+1");
    JsonNode other = JSON.readTree(local("status", "acid-second", "-o", "json").out());
    int port = other.path("members").get(0).path("port").asInt();
    for (JsonNode m : status().path("members")) {
      assertThat(m.path("port").asInt()).isNotEqualTo(port);
    }
    CliRunner.Result gone = local("down", "acid-second", "--purge");
    assertThat(gone.exit()).isZero();
    assertThat(home.resolve("acid-second")).doesNotExist();
  }

  @Test
  @Order(10)
  void downStopsEverythingAndKeepsTheDataForTheNextUp() throws Exception {
    String passwords = Files.readString(home.resolve(NAME).resolve("credentials.json"));
    long supervisor = status().path("supervisorPid").asLong();
    List<Long> children =
        ProcessHandle.of(supervisor).orElseThrow().descendants().map(ProcessHandle::pid).toList();
    CliRunner.Result down = local("down", NAME);
    assertThat(down.exit()).as(down.err()).isZero();
    assertThat(down.out()).contains("data and passwords kept");
    assertThat(children)
        .isNotEmpty()
        .allSatisfy(
            pid ->
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .as("process %d", pid)
                    .isFalse());
    assertThat(noPostmasterServes(home.resolve(NAME))).isTrue();
    assertThat(local("list").out()).containsPattern("acid-local\\s+stopped");
    CliRunner.Result psql = local("psql", NAME);
    assertThat(psql.exit()).isEqualTo(2);
    assertThat(psql.err()).contains("is stopped", "cornac local up");

    CliRunner.Result up = local("up", "-f", manifest.toString());
    assertThat(up.exit()).as(up.err()).isZero();
    assertThat(query(primaryPort(), "foo", "zalando", "select count(*) from t")).isEqualTo("3");
    assertThat(Files.readString(home.resolve(NAME).resolve("credentials.json")))
        .isEqualTo(passwords);
  }

  static boolean noPostmasterServes(Path clusterDir) throws Exception {
    try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
      return all.noneMatch(
          h -> {
            try {
              String cmd = Files.readString(Path.of("/proc", Long.toString(h.pid()), "cmdline"));
              return cmd.contains("postgres") && cmd.contains(clusterDir.toString());
            } catch (Exception e) {
              return false;
            }
          });
    }
  }

  @Test
  @Order(11)
  void downPurgeRemovesEverything() {
    CliRunner.Result r = local("down", NAME, "--purge");
    assertThat(r.exit()).isZero();
    assertThat(home.resolve(NAME)).doesNotExist();
    assertThat(local("status", NAME).err())
        .contains("there is no local cluster " + NAME, "cornac local list");
  }
}
