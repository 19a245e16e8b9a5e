package dev.cornac.dataplane.rolling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cornac.dataplane.patroni.PatroniClient;
import dev.cornac.dataplane.patroni.PatroniRole;
import dev.cornac.testkit.LocalPatroniCluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A rolling update of a real three-member Patroni cluster: replicas first, one switchover, no committed row lost. */
class RollingUpdateTest {
  LocalPatroniCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Marks as pod annotations would be: a recreated member comes back without its mark. */
  final class Control implements MemberControl {
    final Set<String> marked = ConcurrentHashMap.newKeySet();
    final List<String> recreated = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public List<String> members() {
      return cluster.members().stream().map(LocalPatroniCluster.Member::name).toList();
    }

    @Override
    public PatroniClient client(String member) {
      return cluster.members().stream().filter(m -> m.name().equals(member)).findFirst().orElseThrow()
          .client(PatroniClient::of);
    }

    @Override
    public boolean isMarkedForRecreation(String member) {
      return marked.contains(member);
    }

    @Override
    public void recreate(String member) throws Exception {
      cluster.restart(member);
      marked.remove(member);
      recreated.add(member);
    }
  }

  @Test
  void rollsReplicasFirstThenSwitchesOverOnceAndLosesNoRow() throws Exception {
    cluster = LocalPatroniCluster.start("cornac-rolling-test", 3);
    LocalPatroniCluster.Member leader = cluster.leader();
    try (Connection c = cluster.connect(leader); Statement s = c.createStatement()) {
      s.execute("create table committed_rows(i int)");
      s.execute("insert into committed_rows select generate_series(1, 1000)");
    }
    Control control = new Control();
    control.marked.addAll(control.members());

    List<RollingUpdate.Step> steps = new RollingUpdate(control, 1048576, false, Duration.ofSeconds(90)).run();

    assertThat(steps.stream().filter(s -> s.action().equals("switchover"))).hasSize(1);
    assertThat(control.recreated).hasSize(3).last().isEqualTo(leader.name());
    assertThat(control.marked).isEmpty();
    LocalPatroniCluster.Member newLeader = cluster.leader();
    assertThat(newLeader.name()).isNotEqualTo(leader.name());
    assertThat(newLeader.client(PatroniClient::of).patroni().role()).isEqualTo(PatroniRole.LEADER);
    try (Connection c = cluster.connect(newLeader); Statement s = c.createStatement()) {
      s.execute("insert into committed_rows values (1001)");
      ResultSet rs = s.executeQuery("select count(*) from committed_rows");
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(1001);
    }
    cluster.awaitHealthy(Duration.ofSeconds(60));
  }

  @Test
  void aRunStoppedHalfWayResumesWithTheMembersStillMarked() throws Exception {
    cluster = LocalPatroniCluster.start("cornac-resume-test", 2);
    Control control = new Control();
    String leader = cluster.leader().name();
    String replica = control.members().stream().filter(m -> !m.equals(leader)).findFirst().orElseThrow();
    control.marked.add(leader);
    // the replica was already recreated before the operator stopped: only the leader is still marked

    List<RollingUpdate.Step> steps = new RollingUpdate(control, 1048576, false, Duration.ofSeconds(90)).run();

    assertThat(steps).extracting(RollingUpdate.Step::action).containsExactly("switchover", "recreate");
    assertThat(control.recreated).containsExactly(leader);
    assertThat(cluster.leader().name()).isEqualTo(replica);
  }
}
