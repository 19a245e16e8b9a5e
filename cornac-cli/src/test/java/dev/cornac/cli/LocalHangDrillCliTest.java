package dev.cornac.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cornac.testkit.drill.AcknowledgedWriter;
import dev.cornac.testkit.drill.MemberProcesses;
import dev.cornac.testkit.drill.OldPrimaryProbe;
import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A hung primary (all its processes SIGSTOPped: a lost node, as far as the others can tell) in a
 * local cluster that {@code apply} switched to synchronous mode: a replica is promoted, the old
 * primary accepts no write once it runs again and comes back as a replica, and no acknowledged
 * commit is lost; {@code status} answers meanwhile. The drill of {@code bash
 * bench/local-drills.sh}, once, in CI.
 */
class LocalHangDrillCliTest {
  LocalTestCluster cluster;
  MemberProcesses frozen;

  @AfterEach
  void cleanUp() throws Exception {
    if (frozen != null) {
      frozen.resume();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aHungPrimaryIsReplacedAndComesBackAsAReplicaWithNothingLost() throws Exception {
    // Given a 2-member cluster that apply switches to synchronous mode
    cluster = new LocalTestCluster("acid-hang");
    cluster.manifest("");
    cluster.succeeds("up", "-f", cluster.manifest.toString());
    cluster.manifest("synchronous_mode: true, synchronous_mode_strict: true");
    CliRunner.Result apply = cluster.succeeds("apply", "-f", cluster.manifest.toString());
    assertThat(apply.out())
        .contains("\"synchronous_mode\":true", "\"synchronous_mode_strict\":true");
    String primary = cluster.leader();
    String replica = primary.endsWith("-0") ? "acid-hang-1" : "acid-hang-0";
    String replicaApi = cluster.member(cluster.status(), replica).path("restUrl").asText();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              JsonNode config = cluster.patroni(replicaApi, "/config");
              assertThat(config.path("synchronous_mode").asBoolean()).isTrue();
              assertThat(config.path("synchronous_mode_strict").asBoolean()).isTrue();
            });
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(cluster.member(cluster.status(), replica).path("role").asText())
                    .as("status shows the synchronous standby")
                    .isEqualTo("sync_standby"));
    assertThat(cluster.local("status", cluster.name).out()).contains("sync_standby");
    int oldPort = cluster.port(primary);

    // When the primary hangs while a writer commits
    try (AcknowledgedWriter writer =
        AcknowledgedWriter.start(cluster.ports(), "postgres", cluster.password())) {
      await().atMost(Duration.ofSeconds(30)).until(() -> writer.count() >= 50);
      frozen = cluster.processes(primary);
      frozen.freeze();

      // Then status still answers (it reads the archiving of a primary that takes no log-in)
      CliRunner.Result hung =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(() -> cluster.local("status", cluster.name), r -> r.exit() == 0);
      assertThat(hung.out()).contains(primary, replica);

      // Then the synchronous standby is promoted
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                JsonNode patroni = cluster.patroni(replicaApi, "/patroni");
                assertThat(patroni.path("role").asText()).isIn("master", "primary");
                assertThat(patroni.path("state").asText()).isEqualTo("running");
              });

      // And the old primary, running again, takes no write and follows the new one
      frozen.resume();
      frozen = null;
      OldPrimaryProbe.Result probe =
          OldPrimaryProbe.run(oldPort, "postgres", cluster.password(), Duration.ofSeconds(30));
      assertThat(probe.accepted()).as("writes the old primary accepted after resuming").isZero();
      assertThat(probe.demoted()).as("the old primary is in recovery").isTrue();
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                JsonNode old = cluster.member(cluster.status(), primary);
                assertThat(old.path("role").asText()).isIn("replica", "sync_standby");
                assertThat(old.path("state").asText()).isIn("running", "streaming");
                assertThat(old.path("lagBytes").isNumber()).isTrue();
              });
      assertThat(cluster.leader()).isEqualTo(replica);
      int before = writer.count();
      await().atMost(Duration.ofSeconds(30)).until(() -> writer.count() >= before + 50);
      writer.close();

      // And no acknowledged commit is lost
      try (Connection c = cluster.connect(replica)) {
        assertThat(writer.lost(c)).as("acknowledged commits missing").isEmpty();
      }
      assertThat(writer.acceptedByAfterOthers(oldPort)).isEmpty();
    }
  }
}
