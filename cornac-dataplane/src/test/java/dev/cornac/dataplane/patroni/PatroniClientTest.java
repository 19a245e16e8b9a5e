package dev.cornac.dataplane.patroni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.cornac.testkit.LocalPatroniCluster;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Patroni client against a real two-member Patroni cluster (Debian patroni, etcd, PostgreSQL
 * 15).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PatroniClientTest {
  static LocalPatroniCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = LocalPatroniCluster.start("cornac-client-test", 2);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void clusterViewHasOneLeaderAndAStreamingReplica() {
    List<ClusterMember> members = cluster.members().get(1).client(PatroniClient::of).cluster();
    assertThat(members).hasSize(2);
    assertThat(members).filteredOn(m -> m.role() == PatroniRole.LEADER).hasSize(1);
    ClusterMember replica =
        members.stream().filter(m -> m.role() == PatroniRole.REPLICA).findFirst().orElseThrow();
    assertThat(replica.state())
        .as("Patroni 3.0.2 says running, later versions streaming")
        .isIn("running", "streaming");
    assertThat(replica.lag()).isPresent();
    assertThat(replica.port())
        .isIn(cluster.members().stream().map(LocalPatroniCluster.Member::pgPort).toList());
  }

  @Test
  @Order(2)
  void memberStatusNormalisesTheMasterRole() {
    MemberStatus leader = cluster.leader().client(PatroniClient::of).patroni();
    assertThat(leader.role()).isEqualTo(PatroniRole.LEADER);
    assertThat(leader.state()).isEqualTo("running");
    assertThat(leader.serverVersion()).isBetween(150000, 159999);
    assertThat(leader.scope()).isEqualTo("cornac-client-test");
  }

  @Test
  @Order(3)
  void patchingTheConfigReloadsParameters() throws Exception {
    var changes = JsonNodeFactory.instance.objectNode();
    changes.putObject("postgresql").putObject("parameters").put("work_mem", "8MB");
    var config = cluster.leader().client(PatroniClient::of).patchConfig(changes);
    assertThat(config.path("postgresql").path("parameters").path("work_mem").asText())
        .isEqualTo("8MB");
    assertThat(cluster.leader().client(PatroniClient::of).config().path("ttl").asInt())
        .isEqualTo(10);
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> {
              try (Connection c = cluster.connect(cluster.leader());
                  Statement s = c.createStatement();
                  ResultSet rs = s.executeQuery("show work_mem")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("8MB");
              }
            });
  }

  @Test
  @Order(4)
  void aRestartParameterMakesMembersPendingUntilRestarted() {
    var changes = JsonNodeFactory.instance.objectNode();
    changes.putObject("postgresql").putObject("parameters").put("max_connections", 120);
    cluster.leader().client(PatroniClient::of).patchConfig(changes);
    for (LocalPatroniCluster.Member m : cluster.members()) {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> m.client(PatroniClient::of).patroni().pendingRestart());
    }
    for (LocalPatroniCluster.Member m : cluster.members()) {
      assertThat(m.client(PatroniClient::of).restartPending()).contains("restarted");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> !m.client(PatroniClient::of).patroni().pendingRestart());
    }
  }

  @Test
  @Order(5)
  void switchoverMovesTheLeaderAndKeepsCommittedRows() throws Exception {
    LocalPatroniCluster.Member oldLeader = cluster.leader();
    try (Connection c = cluster.connect(oldLeader);
        Statement s = c.createStatement()) {
      s.execute("create table if not exists kept(i int)");
      s.execute("insert into kept select generate_series(1, 100)");
    }
    LocalPatroniCluster.Member candidate =
        cluster.members().stream().filter(m -> m != oldLeader).findFirst().orElseThrow();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                oldLeader.client(PatroniClient::of).cluster().stream()
                    .anyMatch(
                        m ->
                            m.name().equals(candidate.name())
                                && m.isStreamingOrRunning()
                                && m.lag().isPresent()));
    String answer =
        oldLeader
            .client(PatroniClient::of)
            .switchover(oldLeader.name(), candidate.name(), Optional.empty());
    assertThat(answer).contains("Successfully switched over");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> candidate.client(PatroniClient::of).patroni().role() == PatroniRole.LEADER);
    try (Connection c = cluster.connect(candidate);
        Statement s = c.createStatement()) {
      s.execute("insert into kept values (101)");
      ResultSet rs = s.executeQuery("select count(*) from kept");
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(101);
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !candidate.client(PatroniClient::of).history().isEmpty());
    assertThat(candidate.client(PatroniClient::of).history().get(0).size())
        .as("[timeline, lsn, reason, time, leader]")
        .isGreaterThanOrEqualTo(4);
  }

  @Test
  @Order(6)
  void refusalsAndUnreachableMembersAreClearErrors() {
    LocalPatroniCluster.Member leader = cluster.leader();
    assertThatThrownBy(
            () ->
                leader
                    .client(PatroniClient::of)
                    .switchover(leader.name(), "no-such-member", Optional.empty()))
        .isInstanceOf(PatroniException.class)
        .hasMessageContaining("HTTP 412")
        .satisfies(e -> assertThat(((PatroniException) e).status()).isEqualTo(412));
    PatroniClient nowhere =
        new PatroniClient(
            URI.create("http://127.0.0.1:1"),
            Duration.ofSeconds(1),
            Duration.ofMillis(100),
            Duration.ofMillis(300));
    long start = System.nanoTime();
    assertThatThrownBy(nowhere::cluster)
        .isInstanceOf(PatroniException.class)
        .hasMessageContaining("is not reachable");
    assertThat(System.nanoTime() - start).isLessThan(Duration.ofSeconds(3).toNanos());
  }
}
