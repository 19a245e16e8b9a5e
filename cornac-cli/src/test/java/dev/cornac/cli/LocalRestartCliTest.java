package dev.cornac.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cornac.testkit.drill.AcknowledgedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code cornac local restart}, the local minor upgrade: every member's PostgreSQL restarts,
 * replicas first, with exactly one switchover, while a writer commits; nothing acknowledged is
 * lost. {@code status} shows the version each member runs against the installed one, and a restart
 * owed when the installed binaries are newer.
 */
class LocalRestartCliTest {
  LocalTestCluster cluster;

  @AfterEach
  void cleanUp() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  /**
   * A minor update the package manager installed, played by a {@code postgres} that says 15.99 in
   * the bin directory the runtime reads the installed version from (state.json's {@code binDir};
   * Patroni keeps its own copy of the real one, so nothing else changes), then put back.
   */
  private void statusOwesARestartWhenTheInstalledBinariesAreNewer() throws Exception {
    Path stateFile = cluster.home.resolve(cluster.name).resolve("state.json");
    String state = Files.readString(stateFile);
    Path newer = Files.createDirectories(cluster.home.resolve("newer-bin"));
    Path postgres = newer.resolve("postgres");
    Files.writeString(postgres, "#!/bin/sh\necho 'postgres (PostgreSQL) 15.99 (Debian 15.99-1)'\n");
    Files.setPosixFilePermissions(postgres, PosixFilePermissions.fromString("rwxr-xr-x"));
    ObjectNode redirected = (ObjectNode) LocalTestCluster.JSON.readTree(state);
    redirected.put("binDir", newer.toString());
    Files.writeString(stateFile, redirected.toPrettyString());
    try {
      JsonNode status = cluster.status();
      assertThat(status.path("installedVersion").asText()).isEqualTo("15.99");
      for (JsonNode m : status.path("members")) {
        assertThat(m.path("newerBinaries").asBoolean()).as(m.path("name").asText()).isTrue();
      }
      assertThat(cluster.local("status", cluster.name).out())
          .contains(
              "yes (new binaries)",
              "PostgreSQL 15.99 is installed; acid-roll-0, acid-roll-1 still run an older version",
              "`cornac local restart acid-roll`");
    } finally {
      Files.writeString(stateFile, state);
    }
  }

  @Test
  void restartRestartsEveryMemberWithOneSwitchoverAndLosesNothing() throws Exception {
    // Given a 2-member cluster running the installed binaries
    cluster = new LocalTestCluster("acid-roll");
    cluster.manifest("");
    cluster.succeeds("up", "-f", cluster.manifest.toString());
    JsonNode status = cluster.status();
    String installed = status.path("installedVersion").asText();
    assertThat(installed).startsWith("15.");
    for (JsonNode m : status.path("members")) {
      assertThat(m.path("serverVersion").asText()).isEqualTo(installed);
      assertThat(m.path("newerBinaries").asBoolean()).isFalse();
    }
    assertThat(cluster.local("status", cluster.name).out()).contains("VERSION", installed);
    statusOwesARestartWhenTheInstalledBinariesAreNewer();
    String primary = cluster.leader();
    int timeline = cluster.member(status, primary).path("timeline").asInt();
    Map<String, Long> postmasters = new HashMap<>();
    for (JsonNode m : status.path("members")) {
      String name = m.path("name").asText();
      postmasters.put(name, cluster.postmasterPid(name));
    }
    int oldPort = cluster.port(primary);

    try (AcknowledgedWriter writer =
        AcknowledgedWriter.start(cluster.ports(), "postgres", cluster.password())) {
      await().atMost(Duration.ofSeconds(30)).until(() -> writer.count() >= 50);

      // When the cluster is restarted while the writer commits
      CliRunner.Result restart = cluster.succeeds("restart", cluster.name);

      // Then the replica went first, then one switchover, then the old primary
      String replica = primary.endsWith("-0") ? "acid-roll-1" : "acid-roll-0";
      assertThat(restart.err())
          .containsSubsequence(
              "restarting " + replica + " (replica) ... done",
              "switching over from " + primary + " to " + replica + " ... done",
              "restarting " + primary + " (the old primary, now a replica) ... done",
              "with 1 switchover(s)");
      assertThat(restart.out()).contains("restarted every member of acid-roll");
      for (var e : postmasters.entrySet()) {
        assertThat(cluster.postmasterPid(e.getKey()))
            .as("%s runs a new postmaster", e.getKey())
            .isNotEqualTo(e.getValue());
      }
      JsonNode after = cluster.status();
      assertThat(cluster.leader()).isEqualTo(replica);
      assertThat(cluster.member(after, replica).path("timeline").asInt())
          .as("one promotion")
          .isEqualTo(timeline + 1);
      int before = writer.count();
      await().atMost(Duration.ofSeconds(30)).until(() -> writer.count() >= before + 50);
      writer.close();

      // And nothing acknowledged is lost, and the old primary took no write once replaced
      try (Connection c = cluster.connect(replica)) {
        assertThat(writer.lost(c)).isEmpty();
      }
      assertThat(writer.acceptedByAfterOthers(oldPort)).isEmpty();
    }
    CliRunner.Result unknown = cluster.local("restart", "acid-nothing");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err())
        .contains("there is no local cluster acid-nothing", "cornac local list");
  }
}
