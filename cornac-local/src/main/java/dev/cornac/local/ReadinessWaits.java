package dev.cornac.local;

import dev.cornac.dataplane.patroni.ClusterMember;
import dev.cornac.dataplane.patroni.PatroniRole;
import dev.cornac.dataplane.switchover.Switchover;
import dev.cornac.generators.Cluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The waits of {@code up}, {@code apply} and {@code switchover} ({@link Waits}): until etcd, the
 * primary, the replicas, the poolers and the exporters are ready, or removed members gone; each
 * stops early when the supervisor has exited.
 */
final class ReadinessWaits {
  static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
  private static final Duration POLL = Duration.ofMillis(200);

  private ReadinessWaits() {}

  static Boolean awaitEtcd(LocalLayout layout, LocalState state) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    URI health = URI.create("http://127.0.0.1:" + state.etcdClientPort() + "/health");
    return Waits.until(
        Duration.ofSeconds(30),
        POLL,
        () -> {
          requireSupervisorAlive(layout);
          try {
            HttpResponse<String> r =
                http.send(
                    HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().contains("true")
                ? Optional.of(Boolean.TRUE)
                : Optional.empty();
          } catch (IOException e) {
            return Optional.empty();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
          }
        },
        () ->
            "etcd did not become healthy within 30 s; see `cornac local logs "
                + state.name()
                + " etcd`");
  }

  static LocalState.Member awaitLeader(LocalLayout layout, LocalState state, Cluster c)
      throws InterruptedException {
    LocalCredentials credentials = LocalCredentials.load(layout);
    String superuser = c.config().superUsername();
    return Waits.until(
        READY_TIMEOUT,
        POLL,
        () -> {
          requireSupervisorAlive(layout);
          failedBootstrap(layout, state)
              .ifPresent(
                  reason -> {
                    throw new LocalRuntimeException(
                        "Patroni could not bootstrap "
                            + state.name()
                            + ": "
                            + reason
                            + "; see `cornac "
                            + "local logs "
                            + state.name()
                            + " "
                            + state.membersByOrdinal().get(0).name()
                            + "`");
                  });
          Optional<LocalState.Member> leader =
              LocalPatroni.clusterView(state)
                  .flatMap(
                      v ->
                          v.stream()
                              .filter(
                                  m ->
                                      m.role() == PatroniRole.LEADER && "running".equals(m.state()))
                              .findFirst())
                  .flatMap(m -> state.member(m.name()));
          if (leader.isEmpty()) {
            return Optional.empty();
          }
          try (Connection conn =
                  ClusterConvergence.connector(
                          leader.get(), superuser, credentials.passwordOf(superuser))
                      .connect("postgres");
              Statement s = conn.createStatement();
              ResultSet rs = s.executeQuery("SELECT NOT pg_is_in_recovery()")) {
            return rs.next() && rs.getBoolean(1) ? leader : Optional.empty();
          } catch (SQLException e) {
            return Optional.empty();
          }
        },
        () ->
            "no writable primary within "
                + READY_TIMEOUT.toSeconds()
                + " s; see `cornac local logs "
                + state.name()
                + " "
                + state.membersByOrdinal().get(0).name()
                + "` and `cornac local status "
                + state.name()
                + "`");
  }

  /**
   * A bootstrap that failed (Patroni retries it for ever): the first error PostgreSQL or a
   * bootstrap command logged, so that the user reads the cause instead of waiting for a timeout.
   */
  private static Optional<String> failedBootstrap(LocalLayout layout, LocalState state) {
    for (LocalState.Member m : state.members()) {
      Path log = layout.memberLog(m.name());
      try {
        if (!Files.exists(log)) {
          continue;
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        if (lines.stream().noneMatch(l -> l.contains("Failed to bootstrap cluster"))) {
          continue;
        }
        return Optional.of(
            lines.stream()
                .filter(
                    l ->
                        l.startsWith("ERROR: [") || l.contains(" FATAL: ") || l.contains("ERROR: "))
                .map(String::strip)
                .findFirst()
                .orElse("the bootstrap failed"));
      } catch (IOException e) {
        // not readable yet
      }
    }
    return Optional.empty();
  }

  static Boolean awaitReplicas(LocalLayout layout, LocalState state) throws InterruptedException {
    return Waits.until(
        READY_TIMEOUT,
        POLL,
        () -> {
          requireSupervisorAlive(layout);
          List<ClusterMember> view = LocalPatroni.clusterView(state).orElse(List.of());
          Set<String> expected =
              new HashSet<>(state.members().stream().map(LocalState.Member::name).toList());
          long ready =
              view.stream()
                  .filter(m -> expected.contains(m.name()))
                  .filter(
                      m ->
                          m.role() == PatroniRole.LEADER
                              || (m.isStreamingOrRunning() && m.lag().isPresent()))
                  .count();
          return ready == expected.size() && view.size() == expected.size()
              ? Optional.of(Boolean.TRUE)
              : Optional.empty();
        },
        () ->
            "the replicas did not catch up within "
                + READY_TIMEOUT.toSeconds()
                + " s; see `cornac local status "
                + state.name()
                + "` and the members' logs (`cornac local logs "
                + state.name()
                + " MEMBER`)");
  }

  static Boolean awaitGone(LocalState previous, LocalState state, Set<String> removed)
      throws InterruptedException {
    return Waits.until(
        Duration.ofSeconds(60),
        POLL,
        () -> {
          for (String name : removed) {
            LocalState.Member m = previous.member(name).orElseThrow();
            if (!answers(m)) {
              EtcdKeys.deleteMember(state, name);
            }
          }
          List<ClusterMember> view = LocalPatroni.clusterView(state).orElse(List.of());
          return view.stream().noneMatch(m -> removed.contains(m.name()))
              ? Optional.of(Boolean.TRUE)
              : Optional.empty();
        },
        () ->
            "removed members still appear in Patroni after 60 s; see `cornac local status "
                + state.name()
                + "`");
  }

  private static boolean answers(LocalState.Member m) {
    try {
      LocalPatroni.client(m).patroni();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The poolers accept clients and the exporter serves metrics. */
  static void awaitExtras(
      Progress progress,
      LocalLayout layout,
      LocalState state,
      Cluster c,
      LocalCredentials credentials)
      throws Exception {
    for (PoolerRole role : PoolerRole.values()) {
      if (role.of(state).enabled()) {
        progress.step(
            "waiting for the " + role.id() + " pooler on 127.0.0.1:" + role.of(state).port(),
            () -> awaitPooler(layout, state, c, credentials, role));
      }
    }
    for (LocalState.Member m : state.membersByOrdinal()) {
      progress.step(
          "waiting for " + m.name() + "'s metrics on 127.0.0.1:" + m.exporterPort(),
          () -> awaitMetrics(layout, state, m));
    }
  }

  private static Boolean awaitPooler(
      LocalLayout layout,
      LocalState state,
      Cluster c,
      LocalCredentials credentials,
      PoolerRole role)
      throws InterruptedException {
    String superuser = c.config().superUsername();
    LocalState.Member pooler = new LocalState.Member("pooler", 0, role.of(state).port(), 0);
    return Waits.until(
        Duration.ofSeconds(30),
        POLL,
        () -> {
          requireSupervisorAlive(layout);
          try (Connection conn =
                  ClusterConvergence.connector(pooler, superuser, credentials.passwordOf(superuser))
                      .connect("postgres");
              Statement s = conn.createStatement();
              ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
            boolean wantReplica = role == PoolerRole.REPLICA && state.members().size() > 1;
            return rs.next() && rs.getBoolean(1) == wantReplica
                ? Optional.of(Boolean.TRUE)
                : Optional.empty();
          } catch (SQLException e) {
            return Optional.empty();
          }
        },
        () ->
            "the "
                + role.id()
                + " pooler did not route to its target within 30 s; see `cornac local logs "
                + state.name()
                + " pooler-"
                + role.id()
                + "`");
  }

  private static Boolean awaitMetrics(
      LocalLayout layout, LocalState state, LocalState.Member member) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    URI metrics = URI.create("http://127.0.0.1:" + member.exporterPort() + "/metrics");
    return Waits.until(
        Duration.ofSeconds(30),
        POLL,
        () -> {
          requireSupervisorAlive(layout);
          try {
            String body =
                http.send(
                        HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body();
            return body.lines().anyMatch(l -> l.startsWith("pg_up") && l.endsWith(" 1"))
                ? Optional.of(Boolean.TRUE)
                : Optional.empty();
          } catch (IOException e) {
            return Optional.empty();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
          }
        },
        () ->
            "postgres_exporter did not report pg_up 1 within 30 s; see `cornac local logs "
                + state.name()
                + " "
                + Components.exporterName(member.name())
                + "`");
  }

  /**
   * Returns once the target leads and the old primary runs again as a replica (stopping it
   * mid-demotion is unsafe).
   */
  static Boolean switchover(LocalState state, LocalState.Member leader, LocalState.Member target)
      throws InterruptedException {
    // A replica that has just started is briefly no candidate for Patroni (412): ask again for a
    // while.
    Waits.until(
        Duration.ofSeconds(30),
        POLL,
        () -> {
          Switchover.Result result =
              Switchover.request(
                  LocalPatroni.patientClient(leader),
                  leader.name(),
                  target.name(),
                  Optional.empty());
          if (result instanceof Switchover.Failed failed) {
            throw new LocalRuntimeException(
                "Patroni refused to switch over from "
                    + leader.name()
                    + " to "
                    + target.name()
                    + ": "
                    + failed.reason());
          }
          return result instanceof Switchover.Done ? Optional.of(Boolean.TRUE) : Optional.empty();
        },
        () ->
            "Patroni did not take the switchover from "
                + leader.name()
                + " to "
                + target.name()
                + " within 30 s; "
                + "see `cornac local status "
                + state.name()
                + "`");
    return Waits.until(
        Duration.ofSeconds(60),
        POLL,
        () ->
            LocalPatroni.clusterView(state)
                .filter(v -> Switchover.settled(v, leader.name(), target.name()))
                .map(v -> Boolean.TRUE),
        () ->
            target.name()
                + " did not become the primary, with "
                + leader.name()
                + " following it, within 60 s; see `cornac local status "
                + state.name()
                + "`");
  }

  private static void requireSupervisorAlive(LocalLayout layout) {
    if (SupervisorProcess.running(layout).isEmpty()) {
      throw new LocalRuntimeException(
          "the supervisor of "
              + layout.cluster()
              + " exited; see `cornac local logs "
              + layout.cluster()
              + "`");
    }
  }
}
