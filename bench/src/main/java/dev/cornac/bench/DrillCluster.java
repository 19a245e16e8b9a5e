package dev.cornac.bench;

import dev.cornac.dataplane.patroni.ClusterMember;
import dev.cornac.dataplane.patroni.PatroniRole;
import dev.cornac.dataplane.wait.Poll;
import dev.cornac.local.LocalCredentials;
import dev.cornac.local.LocalLayout;
import dev.cornac.local.LocalPatroni;
import dev.cornac.local.LocalRuntime;
import dev.cornac.local.LocalState;
import dev.cornac.testkit.drill.MemberProcesses;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A running local cluster as a drill sees it: who leads (asking only the members that answer, so a
 * frozen one costs nothing), whether it is whole again, and a member's processes.
 */
final class DrillCluster {
  private static final Duration POLL = Duration.ofMillis(100);

  final String name;
  final LocalRuntime runtime;
  final LocalLayout layout;
  final LocalState state;
  final boolean synchronous;

  DrillCluster(String name, LocalRuntime runtime, boolean synchronous) {
    this.name = name;
    this.runtime = runtime;
    this.layout = runtime.layout(name);
    this.state = LocalState.read(layout).orElseThrow();
    this.synchronous = synchronous;
  }

  String superuser() {
    return "postgres";
  }

  String password() {
    return LocalCredentials.load(layout).passwordOf(superuser());
  }

  List<Integer> ports() {
    return state.membersByOrdinal().stream().map(LocalState.Member::pgPort).toList();
  }

  LocalState.Member member(String member) {
    return state.member(member).orElseThrow();
  }

  MemberProcesses processes(String member) throws IOException {
    return MemberProcesses.of(layout.runDir().resolve(member + ".pid"), layout.dataDir(member));
  }

  /** Patroni's view from the first member other than {@code skip} that answers. */
  Optional<List<ClusterMember>> view(Optional<String> skip) {
    for (LocalState.Member m : state.membersByOrdinal()) {
      if (skip.filter(m.name()::equals).isPresent()) {
        continue;
      }
      try {
        return Optional.of(LocalPatroni.client(m).cluster());
      } catch (RuntimeException e) {
        // ask the next member
      }
    }
    return Optional.empty();
  }

  Optional<String> leader(Optional<String> skip) {
    return view(skip)
        .flatMap(
            v ->
                v.stream()
                    .filter(m -> m.role() == PatroniRole.LEADER && "running".equals(m.state()))
                    .map(ClusterMember::name)
                    .findFirst());
  }

  /** Waits for a leader other than {@code old}, asking the others only; returns its name. */
  String awaitNewLeader(String old, Duration timeout) throws InterruptedException {
    return Poll.within(
            timeout, POLL, () -> leader(Optional.of(old)).filter(l -> !l.equals(old)), e -> true)
        .orElseThrow(
            () -> new IllegalStateException("no member replaced " + old + " in " + timeout));
  }

  /**
   * Every member back: a running leader, every replica streaming with a known lag, and, in
   * synchronous mode, a synchronous standby.
   */
  String awaitWhole(Duration timeout) throws InterruptedException {
    return Poll.within(timeout, POLL, () -> view(Optional.empty()).flatMap(this::whole), e -> true)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    name
                        + " was not whole again within "
                        + timeout
                        + ": "
                        + view(Optional.empty())));
  }

  private Optional<String> whole(List<ClusterMember> view) {
    Optional<ClusterMember> leader =
        view.stream()
            .filter(m -> m.role() == PatroniRole.LEADER && "running".equals(m.state()))
            .findFirst();
    boolean replicasStream =
        view.size() == state.members().size()
            && view.stream()
                .filter(m -> !m.role().isLeader())
                .allMatch(m -> m.isStreamingOrRunning() && m.lag().isPresent());
    boolean syncStandby =
        !synchronous || view.stream().anyMatch(m -> m.role() == PatroniRole.SYNC_STANDBY);
    return leader.isPresent() && replicasStream && syncStandby
        ? Optional.of(leader.get().name())
        : Optional.empty();
  }

  Connection connect(String member) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + member(member).pgPort() + "/postgres?connectTimeout=5",
        superuser(),
        password());
  }
}
