package dev.cornac.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cornac.dataplane.patroni.ClusterMember;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A local cluster as {@code status} and {@code list} show it: the supervisor, every member as
 * Patroni sees it, and (for {@code status} only; null in {@code list}) the primary's WAL archiving.
 */
public record LocalStatus(
    String name,
    boolean running,
    long supervisorPid,
    String postgresVersion,
    String installedVersion,
    String directory,
    List<MemberStatus> members,
    Integer masterPoolerPort,
    Integer replicaPoolerPort,
    WalArchiving archiving) {

  /**
   * One member: Patroni's view (role, state, lag, timeline, the server version it runs) with its
   * addresses, data and restart count. {@code newerBinaries}: the installed binaries are newer than
   * the running server (a minor update waits for {@code cornac local restart}).
   */
  public record MemberStatus(
      String name,
      String role,
      String state,
      Long lagBytes,
      Integer timeline,
      boolean pendingRestart,
      String serverVersion,
      boolean newerBinaries,
      int port,
      String restUrl,
      String metricsUrl,
      String dataDirectory,
      int restarts) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  static LocalStatus of(LocalLayout layout, LocalState state, Optional<ProcessHandle> supervisor) {
    List<ClusterMember> view =
        supervisor.isPresent() ? LocalPatroni.clusterView(state).orElse(List.of()) : List.of();
    JsonNode components = components(layout);
    Optional<ServerVersion> installed = ServerVersion.installed(Path.of(state.binDir()));
    List<MemberStatus> members = new ArrayList<>();
    for (LocalState.Member m : state.membersByOrdinal()) {
      Optional<ClusterMember> seen =
          view.stream().filter(v -> v.name().equals(m.name())).findFirst();
      Optional<ServerVersion> running = seen.flatMap(v -> runningVersion(m));
      members.add(
          new MemberStatus(
              m.name(),
              seen.map(v -> v.role().name().toLowerCase(Locale.ROOT)).orElse("unknown"),
              seen.map(ClusterMember::state)
                  .orElse(supervisor.isPresent() ? "not answering" : "stopped"),
              seen.flatMap(
                      v ->
                          v.lag().isPresent() ? Optional.of(v.lag().getAsLong()) : Optional.empty())
                  .orElse(null),
              seen.flatMap(
                      v ->
                          v.timeline().isPresent()
                              ? Optional.of(v.timeline().getAsInt())
                              : Optional.empty())
                  .orElse(null),
              seen.map(ClusterMember::pendingRestart).orElse(false),
              running.map(ServerVersion::toString).orElse(null),
              ServerVersion.restartOwed(running, installed),
              m.pgPort(),
              "http://127.0.0.1:" + m.restPort(),
              metricsUrl(m),
              layout.dataDir(m.name()).toString(),
              components.path(m.name()).path("restarts").asInt(0)));
    }
    return new LocalStatus(
        state.name(),
        supervisor.isPresent(),
        supervisor.map(ProcessHandle::pid).orElse(0L),
        state.postgresVersion(),
        installed.map(ServerVersion::toString).orElse(null),
        layout.dir().toString(),
        members,
        state.masterPooler().enabled() ? state.masterPooler().port() : null,
        state.replicaPooler().enabled() ? state.replicaPooler().port() : null,
        archiving(layout, state, supervisor, view));
  }

  private static Optional<ServerVersion> runningVersion(LocalState.Member m) {
    try {
      return ServerVersion.ofNum(LocalPatroni.client(m).patroni().serverVersion());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static WalArchiving archiving(
      LocalLayout layout,
      LocalState state,
      Optional<ProcessHandle> supervisor,
      List<ClusterMember> view) {
    if (supervisor.isEmpty()) {
      return WalArchiving.unknown("the cluster is stopped");
    }
    return view.stream()
        .filter(v -> v.role().isLeader())
        .findFirst()
        .flatMap(v -> state.member(v.name()))
        .map(primary -> WalArchiving.read(layout, primary))
        .orElseGet(() -> WalArchiving.unknown("no primary right now"));
  }

  /** Without asking Patroni: what {@code list} needs. */
  static LocalStatus summary(
      LocalLayout layout, LocalState state, Optional<ProcessHandle> supervisor) {
    List<MemberStatus> members =
        state.membersByOrdinal().stream()
            .map(
                m ->
                    new MemberStatus(
                        m.name(),
                        "unknown",
                        supervisor.isPresent() ? "unknown" : "stopped",
                        null,
                        null,
                        false,
                        null,
                        false,
                        m.pgPort(),
                        "http://127.0.0.1:" + m.restPort(),
                        metricsUrl(m),
                        layout.dataDir(m.name()).toString(),
                        0))
            .toList();
    return new LocalStatus(
        state.name(),
        supervisor.isPresent(),
        supervisor.map(ProcessHandle::pid).orElse(0L),
        state.postgresVersion(),
        null,
        layout.dir().toString(),
        members,
        state.masterPooler().enabled() ? state.masterPooler().port() : null,
        state.replicaPooler().enabled() ? state.replicaPooler().port() : null,
        null);
  }

  static String metricsUrl(LocalState.Member m) {
    return "http://127.0.0.1:" + m.exporterPort() + "/metrics";
  }

  private static JsonNode components(LocalLayout layout) {
    try {
      return Files.exists(layout.runDir().resolve("status.json"))
          ? JSON.readTree(layout.runDir().resolve("status.json").toFile()).path("components")
          : JSON.createObjectNode();
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }

  public Optional<MemberStatus> primary() {
    return members.stream().filter(m -> m.role().equals("leader")).findFirst();
  }

  private static String pendingRestart(MemberStatus m) {
    if (m.pendingRestart() && m.newerBinaries()) {
      return "yes (parameters, new binaries)";
    }
    if (m.pendingRestart()) {
      return "yes (parameters)";
    }
    return m.newerBinaries() ? "yes (new binaries)" : "no";
  }

  public String toJson() {
    ObjectNode root = JSON.valueToTree(this);
    return root.toPrettyString();
  }

  public String toTable() {
    StringBuilder out = new StringBuilder();
    out.append("cluster ")
        .append(name)
        .append(": ")
        .append(running ? "running (supervisor pid " + supervisorPid + ")" : "stopped")
        .append(", PostgreSQL ")
        .append(postgresVersion)
        .append(", ")
        .append(directory)
        .append('\n');
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {
          "MEMBER",
          "ROLE",
          "STATE",
          "LAG",
          "TL",
          "VERSION",
          "PENDING RESTART",
          "PORT",
          "RESTARTS",
          "REST API",
          "METRICS"
        });
    for (MemberStatus m : members) {
      rows.add(
          new String[] {
            m.name(),
            m.role(),
            m.state(),
            m.lagBytes() == null ? "-" : m.lagBytes() + " B",
            m.timeline() == null ? "-" : m.timeline().toString(),
            m.serverVersion() == null ? "-" : m.serverVersion(),
            pendingRestart(m),
            Integer.toString(m.port()),
            Integer.toString(m.restarts()),
            m.restUrl(),
            m.metricsUrl()
          });
    }
    out.append(Table.render(rows));
    List<String> owing =
        members.stream().filter(MemberStatus::newerBinaries).map(MemberStatus::name).toList();
    if (!owing.isEmpty()) {
      out.append("PostgreSQL ")
          .append(installedVersion)
          .append(" is installed; ")
          .append(String.join(", ", owing))
          .append(" still run")
          .append(owing.size() == 1 ? "s" : "")
          .append(" an older version: `cornac local restart ")
          .append(name)
          .append("` restarts every member with one switchover\n");
    }
    if (masterPoolerPort != null) {
      out.append("pooler (primary): 127.0.0.1:").append(masterPoolerPort).append('\n');
    }
    if (replicaPoolerPort != null) {
      out.append("pooler (replicas): 127.0.0.1:").append(replicaPoolerPort).append('\n');
    }
    if (archiving != null) {
      out.append(archiving.describe(name)).append('\n');
    }
    return out.toString();
  }
}
