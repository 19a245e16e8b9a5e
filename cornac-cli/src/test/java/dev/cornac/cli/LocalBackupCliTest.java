package dev.cornac.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cornac.local.LocalLayout;
import dev.cornac.local.LocalState;
import dev.cornac.operator.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Backups of a local cluster to a real S3-compatible server (s3proxy over TLS) with pgBackRest:
 * continuous WAL archiving and a first full backup at {@code up}, the list with the restorable
 * range, a point-in-time restore into a new cluster that holds exactly the rows committed before
 * the target, and clear, quick errors for wrong credentials, a missing bucket and an unreachable
 * endpoint.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalBackupCliTest {
  static final String NAME = "acid-pitr";
  static final String RESTORED = "acid-pitr-restored";
  static final String BROKEN = "acid-broken-s3";
  static final String RECENT = "acid-pitr-recent";
  static final String BUCKET = "cornac-backups";
  static final ObjectMapper JSON = new ObjectMapper();
  static Path home;
  static Path manifest;
  static S3ProxyServer s3;
  static Instant target;

  @BeforeAll
  static void start() throws Exception {
    home = Files.createTempDirectory("cornac-backup-test-");
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
    s3 = S3ProxyServer.start(home.resolve("s3"));
    s3.createBucket(BUCKET);
    manifest = home.resolve("cluster.yaml");
    Files.writeString(
        manifest,
        """
        apiVersion: "acid.zalan.do/v1"
        kind: postgresql
        metadata:
          name: acid-pitr
        spec:
          teamId: "acid"
          numberOfInstances: 1
          postgresql:
            version: "15"
          volume:
            size: 1Gi
          users:
            zalando: [superuser, createdb]
          databases:
            foo: zalando
        """);
  }

  static Path envFile(String name, String bucket, String endpoint, String secret, String... extra)
      throws Exception {
    Path f = home.resolve(name);
    // The extra lines come last: a later line wins, as in the pod environment.
    Files.writeString(
        f,
        String.join(
                "\n",
                "# as in the seed's pod_environment_configmap and pod_environment_secret",
                "WAL_S3_BUCKET=" + bucket,
                "AWS_ENDPOINT=" + endpoint,
                "AWS_REGION=us-east-1",
                "AWS_S3_FORCE_PATH_STYLE=true",
                "AWS_ACCESS_KEY_ID=" + S3ProxyServer.IDENTITY,
                "AWS_SECRET_ACCESS_KEY=" + secret,
                "AWS_CA_BUNDLE=" + s3.caFile,
                "")
            + String.join("\n", extra)
            + "\n");
    return f;
  }

  static String goodEndpoint() {
    return "https://localhost:" + s3.httpsPort;
  }

  @AfterAll
  static void stop() throws Exception {
    for (String name : List.of(NAME, RESTORED, RECENT, BROKEN)) {
      if (Files.exists(home.resolve(name))) {
        local("down", name, "--purge");
      }
    }
    if (s3 != null) {
      s3.close();
    }
    CliRunner.deleteTree(home);
  }

  static CliRunner.Result local(String... args) {
    return CliRunner.local(home, args);
  }

  static String query(String cluster, String sql) throws Exception {
    LocalState state = LocalState.read(new LocalLayout(home.resolve(cluster))).orElseThrow();
    JsonNode credentials =
        JSON.readTree(home.resolve(cluster).resolve("credentials.json").toFile());
    for (LocalState.Member m : state.members()) {
      try (Connection c =
              DriverManager.getConnection(
                  "jdbc:postgresql://127.0.0.1:"
                      + m.pgPort()
                      + "/postgres?connectTimeout=5&targetServerType=primary",
                  "postgres",
                  credentials.path("postgres").asText());
          Statement s = c.createStatement()) {
        if (!s.execute(sql)) {
          return null;
        }
        try (ResultSet rs = s.getResultSet()) {
          return rs.next() ? rs.getString(1) : null;
        }
      } catch (java.sql.SQLException e) {
        if (state.members().size() == 1) {
          throw e;
        }
      }
    }
    throw new IllegalStateException("no primary");
  }

  @Test
  @Order(1)
  void upArchivesToS3AndTakesAFirstFullBackup() throws Exception {
    Path env = envFile("pod-env.env", BUCKET, goodEndpoint(), S3ProxyServer.CREDENTIAL);
    CliRunner.Result up = local("up", "-f", manifest.toString(), "--env-file", env.toString());
    assertThat(up.exit()).as(up.err()).isZero();
    assertThat(up.err())
        .contains(
            "preparing backups in s3://" + BUCKET + "/cornac-local (stanza " + NAME + ")",
            "checking WAL archiving",
            "taking the first full backup");
    assertThat(up.out() + up.err())
        .as("no secret printed")
        .doesNotContain(S3ProxyServer.CREDENTIAL);
    Path saved = home.resolve(NAME).resolve("pod-environment.env");
    assertThat(Files.getPosixFilePermissions(saved))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    Path conf =
        home.resolve(NAME).resolve("members").resolve(NAME + "-0").resolve("pgbackrest.conf");
    assertThat(Files.getPosixFilePermissions(conf))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(query(NAME, "show archive_mode")).isEqualTo("on");
    assertThat(
            Files.exists(
                home.resolve("s3").resolve("data").resolve(BUCKET).resolve("cornac-local")))
        .as("the repository lives in the bucket")
        .isTrue();
  }

  @Test
  @Order(2)
  void rowsAtT1AndT2AndTheRestorableRange() throws Exception {
    query(NAME, "create table events (id int primary key, at timestamptz default now())");
    query(NAME, "insert into events (id) select generate_series(1, 100)");
    Thread.sleep(1500);
    target =
        Instant.parse(
            query(
                NAME,
                "select to_char(now() at time zone 'utc', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"));
    Thread.sleep(1500);
    query(NAME, "insert into events (id) select generate_series(101, 200)");
    query(NAME, "select pg_switch_wal()");
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () -> {
              String last =
                  query(
                      NAME, "select extract(epoch from last_archived_time) from pg_stat_archiver");
              return last != null && Double.parseDouble(last) > target.getEpochSecond() + 1;
            });
    JsonNode archiving = JSON.readTree(local("status", NAME, "-o", "json").out()).path("archiving");
    assertThat(archiving.path("state").asText()).isEqualTo("ok");
    assertThat(archiving.path("member").asText()).isEqualTo(NAME + "-0");
    assertThat(archiving.path("lastArchivedWal").asText()).matches("[0-9A-F]{24}");
    assertThat(Instant.parse(archiving.path("lastArchivedTime").asText())).isAfter(target);
    assertThat(local("status", NAME).out())
        .contains(
            "archiving: ok on "
                + NAME
                + "-0 - last archived: "
                + archiving.path("lastArchivedWal").asText()
                + " at ");
    CliRunner.Result list = local("backups", NAME, "-o", "json");
    assertThat(list.exit()).as(list.err()).isZero();
    JsonNode backups = JSON.readTree(list.out());
    assertThat(backups.path("backups")).hasSize(1);
    assertThat(backups.path("backups").get(0).path("type").asText()).isEqualTo("full");
    Instant earliest = Instant.parse(backups.path("earliest").asText());
    Instant latest = Instant.parse(backups.path("latest").asText());
    assertThat(earliest).isBefore(target);
    assertThat(latest).isAfter(target);
    CliRunner.Result table = local("backups", NAME);
    assertThat(table.out())
        .contains("BACKUP", "full", "restorable from " + earliest + " to " + latest);

    CliRunner.Result incremental = local("backup", NAME, "--incremental");
    assertThat(incremental.exit()).as(incremental.err()).isZero();
    assertThat(incremental.out()).contains("(incr) of " + NAME + " done at");
  }

  @Test
  @Order(3)
  void aRestoreToATimeBetweenT1AndT2HoldsOnlyTheT1Rows() throws Exception {
    long started = System.nanoTime();
    CliRunner.Result restored = local("restore", NAME, "--to", target.toString(), "--as", RESTORED);
    long seconds = (System.nanoTime() - started) / 1_000_000_000L;
    assertThat(restored.exit()).as(restored.err()).isZero();
    System.out.println("restore of " + NAME + " as " + RESTORED + " took " + seconds + " s");
    assertThat(restored.err()).contains("restoring " + NAME + " as of " + target);
    assertThat(query(RESTORED, "select count(*) from events")).isEqualTo("100");
    assertThat(query(RESTORED, "select max(id) from events")).isEqualTo("100");
    assertThat(query(RESTORED, "select pg_is_in_recovery()")).as("promoted").isEqualTo("f");
    query(RESTORED, "insert into events (id) values (1000)");
    assertThat(query(NAME, "select count(*) from events"))
        .as("the source is untouched")
        .isEqualTo("200");
    assertThat(restored.out()).contains("Connect to " + RESTORED);
  }

  @Test
  @Order(4)
  void restoresOutsideTheRangeAndBadTimesAreRefused() {
    CliRunner.Result before =
        local("restore", NAME, "--to", "2020-01-01T00:00:00Z", "--as", "acid-too-early");
    assertThat(before.exit()).isEqualTo(2);
    assertThat(before.err())
        .contains("before the earliest restorable time of " + NAME, "cornac local backups");
    CliRunner.Result after =
        local("restore", NAME, "--to", "2099-01-01T00:00:00Z", "--as", "acid-too-late");
    assertThat(after.exit()).isEqualTo(2);
    assertThat(after.err()).contains("after the last archived WAL");
    CliRunner.Result garbage = local("restore", NAME, "--to", "yesterday", "--as", "acid-x");
    assertThat(garbage.exit()).isEqualTo(2);
    assertThat(garbage.err()).contains("not an ISO-8601 time", "2026-11-28T07:30:00Z");
    CliRunner.Result taken = local("restore", NAME, "--to", target.toString(), "--as", RESTORED);
    assertThat(taken.err()).contains("there is already a local cluster " + RESTORED);
    assertThat(Files.exists(home.resolve("acid-too-early"))).isFalse();
  }

  @Test
  @Order(5)
  void aRestoreToAFewSecondsAgoArchivesTheSourcesWalFirstInsteadOfRefusing() throws Exception {
    // Given rows committed a moment ago, in a WAL segment begun just before (so archive_timeout
    // cannot archive it
    // during the test) and not archived yet
    String switched = query(NAME, "select pg_walfile_name(pg_switch_wal())");
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () ->
                query(NAME, "select last_archived_wal from pg_stat_archiver").compareTo(switched)
                    >= 0);
    query(NAME, "create table recent (id int)");
    query(NAME, "insert into recent select generate_series(1, 7)");
    Instant justNow =
        Instant.parse(
            query(
                NAME,
                "select to_char(clock_timestamp() at time zone 'utc', "
                    + "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"));
    Instant latest =
        Instant.parse(
            JSON.readTree(local("backups", NAME, "-o", "json").out()).path("latest").asText());
    assertThat(latest).as("the archive does not reach that time yet").isBefore(justNow);

    // When restoring to that time at once
    CliRunner.Result restored = local("restore", NAME, "--to", justNow.toString(), "--as", RECENT);

    // Then the source's WAL is archived up to now first, and the copy holds the rows
    assertThat(restored.exit()).as(restored.err()).isZero();
    assertThat(restored.err())
        .contains("archiving " + NAME + "'s WAL up to now (a WAL switch on " + NAME + "-0");
    assertThat(query(RECENT, "select count(*) from recent")).isEqualTo("7");
    assertThat(local("down", RECENT, "--purge").exit()).isZero();
  }

  @Test
  @Order(6)
  void wrongCredentialsAMissingBucketAndAnUnreachableEndpointFailClearlyWithinSeconds()
      throws Exception {
    record Case(String file, String bucket, String endpoint, String secret, String expected) {}
    int closed = S3ProxyServer.freePort();
    for (Case c :
        List.of(
            new Case(
                "bad-secret.env",
                BUCKET,
                goodEndpoint(),
                "not-the-secret",
                "check AWS_ACCESS_KEY_ID"),
            new Case(
                "no-bucket.env",
                "no-such-bucket",
                goodEndpoint(),
                S3ProxyServer.CREDENTIAL,
                "check that the bucket WAL_S3_BUCKET exists"),
            new Case(
                "unreachable.env",
                BUCKET,
                "https://localhost:" + closed,
                S3ProxyServer.CREDENTIAL,
                "check AWS_ENDPOINT"))) {
      long started = System.nanoTime();
      CliRunner.Result r =
          local(
              "apply",
              "-f",
              manifest.toString(),
              "--env-file",
              envFile(c.file(), c.bucket(), c.endpoint(), c.secret()).toString());
      long seconds = (System.nanoTime() - started) / 1_000_000_000L;
      System.out.println(c.file() + ": failed in " + seconds + " s");
      assertThat(r.exit()).as(c.file() + ": " + r.err()).isEqualTo(2);
      assertThat(r.err()).as(c.file()).contains(c.expected()).doesNotContain("\tat ");
      assertThat(r.err()).doesNotContain(S3ProxyServer.CREDENTIAL);
      assertThat(seconds).as(c.file() + " fails within seconds").isLessThan(10);
    }
    CliRunner.Result fixed =
        local(
            "apply",
            "-f",
            manifest.toString(),
            "--env-file",
            envFile("pod-env.env", BUCKET, goodEndpoint(), S3ProxyServer.CREDENTIAL).toString());
    assertThat(fixed.exit()).as(fixed.err()).isZero();
  }

  @Test
  @Order(7)
  void aCaBundleThePostgresUserCannotReadIsAPermissionProblemAndAnIpEndpointNeedsAHostName()
      throws Exception {
    // Given a copy of the CA that only its owner can read: the tests run as root, who hands
    // PostgreSQL (and with it
    // pgBackRest) to the user postgres; run as anyone else, the processes are the tester's own, so
    // the copy has no
    // permission at all
    boolean root = "root".equals(System.getProperty("user.name"));
    String runtimeUser = root ? "postgres" : System.getProperty("user.name");
    Path privateCa = home.resolve("private-ca.pem");
    Files.copy(s3.caFile, privateCa);
    Files.setPosixFilePermissions(
        privateCa, PosixFilePermissions.fromString(root ? "rw-------" : "---------"));

    // When it is given as AWS_CA_BUNDLE
    CliRunner.Result unreadable =
        local(
            "apply",
            "-f",
            manifest.toString(),
            "--env-file",
            envFile(
                    "private-ca.env",
                    BUCKET,
                    goodEndpoint(),
                    S3ProxyServer.CREDENTIAL,
                    "AWS_CA_BUNDLE=" + privateCa)
                .toString());

    // Then apply says it is a permission problem, for which user and file, with the fix
    assertThat(unreadable.exit()).as(unreadable.err()).isEqualTo(2);
    assertThat(unreadable.err())
        .contains(
            "AWS_CA_BUNDLE " + privateCa + " is not readable by the user " + runtimeUser,
            "a permission problem",
            "chmod")
        .doesNotContain("\tat ");
    if (root) {
      assertThat(unreadable.err())
          .contains("chgrp postgres " + privateCa, "copy it to a place postgres can read");
    }

    // And an IP address as the endpoint is refused up front: pgBackRest before 2.53 matches host
    // names only
    assumeTrue(pgBackRestMatchesHostNamesOnly(), "this pgBackRest also matches IP addresses");
    CliRunner.Result ip =
        local(
            "apply",
            "-f",
            manifest.toString(),
            "--env-file",
            envFile(
                    "ip-endpoint.env",
                    BUCKET,
                    "https://127.0.0.1:" + s3.httpsPort,
                    S3ProxyServer.CREDENTIAL)
                .toString());
    assertThat(ip.exit()).as(ip.err()).isEqualTo(2);
    assertThat(ip.err())
        .contains(
            "AWS_ENDPOINT names the S3 server by its IP address 127.0.0.1",
            "a host name is needed",
            "https://localhost:" + s3.httpsPort)
        .doesNotContain("\tat ");
  }

  static boolean pgBackRestMatchesHostNamesOnly() throws Exception {
    Process p = new ProcessBuilder("pgbackrest", "version").redirectErrorStream(true).start();
    String[] version =
        new String(p.getInputStream().readAllBytes())
            .strip()
            .replace("pgBackRest ", "")
            .split("\\.");
    p.waitFor();
    return Integer.parseInt(version[0]) == 2 && Integer.parseInt(version[1]) < 53;
  }

  @Test
  @Order(8)
  void eachPodEnvironmentVariableIsReportedAsTranslatedUsedOrIgnored() throws Exception {
    // Given Spilo's WAL-G switches and other variables next to the S3 settings
    Path env =
        envFile(
            "spilo.env",
            BUCKET,
            goodEndpoint(),
            S3ProxyServer.CREDENTIAL,
            "USE_WALG_BACKUP=true",
            "USE_WALG_RESTORE=true",
            "WALG_DISABLE_S3_SSE=true",
            "WALG_S3_PREFIX=s3://elsewhere",
            "ALLOW_NOSSL=true");

    // When they are applied
    CliRunner.Result applied =
        local("apply", "-f", manifest.toString(), "--env-file", env.toString());

    // Then each one is reported with what the local runtime does with it, and no value is printed
    assertThat(applied.exit()).as(applied.err()).isZero();
    assertThat(applied.err())
        .contains(
            "pod environment (spec.env, --env-file) on one machine:",
            "  - WAL_S3_BUCKET: translated to pgBackRest repo1-s3-bucket",
            "  - AWS_ENDPOINT: translated to pgBackRest repo1-s3-endpoint and repo1-storage-port",
            "  - AWS_SECRET_ACCESS_KEY: translated to pgBackRest repo1-s3-key-secret",
            "  - AWS_CA_BUNDLE: translated to pgBackRest repo1-storage-ca-file",
            "  - USE_WALG_BACKUP: ignored (backups here are pgBackRest's, not WAL-G's)",
            "  - USE_WALG_RESTORE: ignored (backups here are pgBackRest's, not WAL-G's)",
            "  - WALG_DISABLE_S3_SSE: ignored (pgBackRest asks S3 for no server-side encryption",
            "  - WALG_S3_PREFIX: ignored (a WAL-G setting; backups here are pgBackRest's)",
            "  - ALLOW_NOSSL: ignored (not read by the local runtime)")
        .doesNotContain(S3ProxyServer.CREDENTIAL)
        .doesNotContain("s3://elsewhere");
  }

  @Test
  @Order(9)
  void theSupervisorTakesBackupsOnBackupSchedule() throws Exception {
    int before = JSON.readTree(local("backups", NAME, "-o", "json").out()).path("backups").size();
    CliRunner.Result every =
        local(
            "apply",
            "-f",
            manifest.toString(),
            "--env-file",
            envFile(
                    "every-minute.env",
                    BUCKET,
                    goodEndpoint(),
                    S3ProxyServer.CREDENTIAL,
                    "BACKUP_SCHEDULE=\"* * * * *\"")
                .toString());
    assertThat(every.exit()).as(every.err()).isZero();
    await()
        .atMost(Duration.ofSeconds(150))
        .pollInterval(Duration.ofSeconds(3))
        .untilAsserted(
            () ->
                assertThat(
                        JSON.readTree(local("backups", NAME, "-o", "json").out())
                            .path("backups")
                            .size())
                    .isGreaterThan(before));
    assertThat(Files.readString(home.resolve(NAME).resolve("supervisor.log")))
        .contains(
            "scheduled backup of " + NAME + " on " + NAME + "-0 started",
            "scheduled backup of " + NAME + " done");
    CliRunner.Result bad =
        local(
            "apply",
            "-f",
            manifest.toString(),
            "--env-file",
            envFile(
                    "bad-schedule.env",
                    BUCKET,
                    goodEndpoint(),
                    S3ProxyServer.CREDENTIAL,
                    "BACKUP_SCHEDULE=daily")
                .toString());
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("BACKUP_SCHEDULE \"daily\" is not a cron schedule", "@daily");
  }

  @Test
  @Order(10)
  void anUpThatFailsOnS3SaysWhatItLeftRunningAndStatusShowsTheFailingArchive() throws Exception {
    // Given a new cluster brought up with a wrong S3 secret
    Path brokenManifest = home.resolve("broken.yaml");
    Files.writeString(
        brokenManifest, Files.readString(manifest).replace("name: " + NAME, "name: " + BROKEN));
    Path wrong = envFile("broken.env", BUCKET, goodEndpoint(), "not-the-secret");
    CliRunner.Result up =
        local("up", "-f", brokenManifest.toString(), "--env-file", wrong.toString());

    // Then up fails, and says what it left running and what to do next
    assertThat(up.exit()).as(up.err()).isEqualTo(2);
    assertThat(up.err())
        .contains("error: pgbackrest stanza-create failed", "check AWS_ACCESS_KEY_ID")
        .doesNotContain("\tat ")
        .doesNotContain(S3ProxyServer.CREDENTIAL);
    String leftRunning = up.err().substring(up.err().indexOf(BROKEN + " is left running"));
    assertThat(leftRunning)
        .contains(
            BROKEN + " is left running, without working backups: supervisor pid ",
            "etcd on 127.0.0.1:",
            BROKEN + "-0 on 127.0.0.1:",
            " (primary) with metrics on 127.0.0.1:",
            "archiving fails",
            "WAL piles up in pg_wal",
            "cornac local status " + BROKEN,
            "cornac local apply -f " + brokenManifest + " --env-file FILE",
            "cornac local down " + BROKEN + " --purge");
    assertThat(query(BROKEN, "select 1")).as("still running, as it says").isEqualTo("1");

    // And status shows the failing archive, text and JSON
    query(BROKEN, "select pg_switch_wal()");
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              JsonNode archiving =
                  JSON.readTree(local("status", BROKEN, "-o", "json").out()).path("archiving");
              assertThat(archiving.path("state").asText()).isEqualTo("failing");
              assertThat(archiving.path("failedCount").asLong()).isPositive();
              assertThat(archiving.path("lastFailedWal").asText()).matches("[0-9A-F]{24}");
              assertThat(Instant.parse(archiving.path("lastFailedTime").asText()))
                  .isBefore(Instant.now());
            });
    JsonNode failing = JSON.readTree(local("status", BROKEN, "-o", "json").out()).path("archiving");
    assertThat(local("status", BROKEN).out())
        .contains(
            "archiving: failing on " + BROKEN + "-0",
            "failed, last " + failing.path("lastFailedWal").asText() + " at ",
            "cornac local logs " + BROKEN);

    // When the settings are corrected with apply, as the message says
    CliRunner.Result fixed =
        local(
            "apply",
            "-f",
            brokenManifest.toString(),
            "--env-file",
            envFile("pod-env.env", BUCKET, goodEndpoint(), S3ProxyServer.CREDENTIAL).toString());
    assertThat(fixed.exit()).as(fixed.err()).isZero();

    // Then archiving is healthy again, the failed WAL archived after all
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              JsonNode archiving =
                  JSON.readTree(local("status", BROKEN, "-o", "json").out()).path("archiving");
              assertThat(archiving.path("state").asText()).isEqualTo("ok");
              assertThat(archiving.path("lastArchivedWal").asText())
                  .isGreaterThanOrEqualTo(failing.path("lastFailedWal").asText());
            });
  }
}
