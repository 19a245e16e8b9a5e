package dev.cornac.dataplane.patroni;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cornac.api.model.ManifestMapper;
import dev.cornac.api.model.Patroni;
import dev.cornac.testkit.LocalPatroniCluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Patroni settings and DCS parameters of a manifest applied to a real Patroni cluster, restarts
 * replica first.
 */
class PatroniConfigSyncTest {
  static LocalPatroniCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = LocalPatroniCluster.start("cornac-config-test", 2);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static List<PatroniClient> clients() {
    return cluster.members().stream().map(m -> m.client(PatroniClient::of)).toList();
  }

  @Test
  void appliesChangesWithoutRestartThenRestartsForMaxConnectionsThenDoesNothing() throws Exception {
    Patroni patroni =
        ManifestMapper.yaml()
            .readValue("{ttl: 12, maximum_lag_on_failover: 2097152}", Patroni.class);
    var first =
        PatroniConfigSync.sync(
            clients(), patroni, Map.of("work_mem", "16MB"), false, Duration.ofSeconds(5));
    assertThat(first.patch().path("ttl").asInt()).isEqualTo(12);
    assertThat(first.patch().path("postgresql").path("parameters").path("work_mem").asText())
        .isEqualTo("16MB");
    assertThat(first.restarted()).isEmpty();
    assertThat(cluster.leader().client(PatroniClient::of).config().path("ttl").asInt())
        .isEqualTo(12);

    var second =
        PatroniConfigSync.sync(
            clients(),
            patroni,
            Map.of("work_mem", "16MB", "max_connections", "150"),
            false,
            Duration.ofSeconds(40));
    String leaderUrl = cluster.leader().client(PatroniClient::of).base().toString();
    assertThat(second.restarted()).hasSize(2).last().isEqualTo(leaderUrl);
    try (Connection c = cluster.connect(cluster.leader());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("show max_connections")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("150");
    }

    var third =
        PatroniConfigSync.sync(
            clients(),
            patroni,
            Map.of("work_mem", "16MB", "max_connections", "150"),
            false,
            Duration.ofSeconds(2));
    assertThat(third.changed()).as("an unchanged manifest sends nothing").isFalse();
  }

  @Test
  void loweringMaxConnectionsAloneRestartsTheLeaderFirst() {
    var effective = ManifestMapper.json().createObjectNode();
    effective.putObject("postgresql").putObject("parameters").put("max_connections", "150");
    var lowered = PatroniConfigSync.diff(effective, null, Map.of("max_connections", "100"), false);
    lowered.remove("failsafe_mode");
    assertThat(PatroniConfigSync.leaderFirst(effective, lowered)).isTrue();
    var raised = PatroniConfigSync.diff(effective, null, Map.of("max_connections", "200"), false);
    raised.remove("failsafe_mode");
    assertThat(PatroniConfigSync.leaderFirst(effective, raised)).isFalse();
    var mixed =
        PatroniConfigSync.diff(
            effective, null, Map.of("max_connections", "100", "work_mem", "4MB"), false);
    mixed.remove("failsafe_mode");
    assertThat(PatroniConfigSync.leaderFirst(effective, mixed)).isFalse();
  }
}
