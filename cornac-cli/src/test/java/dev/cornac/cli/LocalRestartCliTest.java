package dev.cornac.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cornac.testkit.drill.AcknowledgedWriter;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code cornac local restart}, the local minor upgrade: every member's PostgreSQL restarts,
 * replicas first, with exactly one switchover, while a writer commits; nothing acknowledged is
 * lost. {@code status} shows the version each member runs against the installed one.
 */
class LocalRestartCliTest {
  LocalTestCluster cluster;

  @AfterEach
  void cleanUp() throws Exception {
    if (cluster != null) {
      cluster.close();
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
