package dev.cornac.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cornac.api.model.ManifestMapper;

import dev.cornac.api.config.OperatorConfig;
import dev.cornac.api.config.OperatorConfigReader;
import dev.cornac.dataplane.patroni.ClusterMember;
import dev.cornac.dataplane.patroni.PatroniRole;
import dev.cornac.dataplane.switchover.Switchover;
import dev.cornac.generators.Cluster;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The local runtime's verbs: a {@code postgresql} manifest brought up, changed, inspected and stopped as a real
 * Patroni cluster on this machine. Each cluster lives in its own directory under the home; its {@link Supervisor}
 * keeps the processes running between commands.
 */
public final class LocalRuntime {
  static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
  private static final Duration POLL = Duration.ofMillis(200);

  private final Path home;
  private final RuntimeUser user;
  private final PostgresInstallation postgres;
  private final PrintStream progressOut;

  public LocalRuntime(Path home, RuntimeUser user, PostgresInstallation postgres, PrintStream progressOut) {
    this.home = home;
    this.user = user;
    this.postgres = postgres;
    this.progressOut = progressOut;
  }

  public Path home() {
    return home;
  }

  public LocalLayout layout(String cluster) {
    return LocalLayout.of(home, cluster);
  }

  /** What {@code up} and {@code apply} take from the command line. */
  public record ApplyOptions(Path manifest, Path operatorConfig, String postgresVersion, Path envFile,
      PatroniConfigFile.RestoreTarget restore) {
    public ApplyOptions(Path manifest, Path operatorConfig, String postgresVersion) {
      this(manifest, operatorConfig, postgresVersion, null, null);
    }

    public ApplyOptions(Path manifest, Path operatorConfig, String postgresVersion, Path envFile) {
      this(manifest, operatorConfig, postgresVersion, envFile, null);
    }
  }

  /** The outcome of {@code up}: where to connect. */
  public record Outcome(String name, LocalState state, Cluster cluster, List<String> actions) {}

  public Outcome up(ApplyOptions options) throws Exception {
    Progress progress = new Progress(progressOut);
    LocalManifest manifest = read(options);
    LocalLayout layout = layout(manifest.name());
    Optional<ProcessHandle> supervisor = SupervisorProcess.running(layout);
    if (supervisor.isPresent()) {
      throw new LocalRuntimeException("local cluster " + manifest.name() + " is already running (supervisor pid "
          + supervisor.get().pid() + "); change it with `cornac local apply -f " + options.manifest()
          + "`, or stop it with `cornac local down " + manifest.name() + "`");
    }
    report(manifest, progress);
    Cluster c = manifest.cluster();
    Optional<LocalState> previous = LocalState.read(layout);
    String version = version(options, c, previous);
    Path bin = postgres.binDir(version);
    Tools.check(c.anyPoolerEnabled());
    Optional<BackupSettings> backups = backupSettings(options, c, layout);
    if (backups.isPresent()) {
      PgBackRest.check();
    }
    prepareDirectories(layout);
    LocalState state = plan(c, layout, previous, version, bin);
    LocalCredentials credentials = LocalCredentials.load(layout);
    ClusterConvergence.preparePasswords(c, credentials);
    writeFiles(manifest, options, layout, state, credentials, backups);
    progress.note((previous.isPresent() ? "starting " : "creating ") + c.name() + ": PostgreSQL " + version + ", "
        + state.members().size() + " member(s), etcd on 127.0.0.1:" + state.etcdClientPort() + ", state in "
        + layout.dir());
    state.write(layout);
    SupervisorProcess.start(layout);
    progress.step("starting etcd", () -> awaitEtcd(layout, state));
    List<String> actions = convergeWhenReady(progress, layout, state, c, credentials);
    ensureBackups(progress, layout, state, backups);
    progress.note(c.name() + " is up in " + progress.elapsed());
    return new Outcome(c.name(), state, c, actions);
  }

  public Outcome apply(ApplyOptions options) throws Exception {
    Progress progress = new Progress(progressOut);
    LocalManifest manifest = read(options);
    LocalLayout layout = layout(manifest.name());
    LocalState previous = LocalState.read(layout).orElseThrow(() -> new LocalRuntimeException("there is no local "
        + "cluster " + manifest.name() + "; create it with `cornac local up -f " + options.manifest() + "`"));
    requireRunning(layout);
    report(manifest, progress);
    Cluster c = manifest.cluster();
    String version = version(options, c, Optional.of(previous));
    Tools.check(c.anyPoolerEnabled());
    Optional<BackupSettings> backups = backupSettings(options, c, layout);
    if (backups.isPresent()) {
      PgBackRest.check();
    }
    LocalState.Member leader = currentLeader(layout, previous);
    LocalState state = plan(c, layout, Optional.of(previous), version, postgres.binDir(version));
    Set<String> removed = new HashSet<>();
    previous.members().forEach(m -> removed.add(m.name()));
    state.members().forEach(m -> removed.remove(m.name()));
    if (removed.contains(leader.name())) {
      LocalState.Member target = state.member(pickSwitchoverTarget(previous, state, leader)).orElseThrow();
      progress.step("switching over from " + leader.name() + " to " + target.name() + " (its member is removed)",
          () -> switchover(layout, previous, leader, target));
    }
    LocalCredentials credentials = LocalCredentials.load(layout);
    ClusterConvergence.preparePasswords(c, credentials);
    List<String> reload = writeFiles(manifest, options, layout, state, credentials, backups);
    state.write(layout);
    for (String member : reload) {
      previous.member(member).ifPresent(m -> LocalPatroni.patientClient(m).reload());
    }
    if (!removed.isEmpty()) {
      progress.step("stopping " + String.join(", ", removed.stream().sorted().toList()) + " (data kept in "
          + layout.dir().resolve("members") + ")", () -> awaitGone(previous, state, removed));
    }
    List<String> actions = convergeWhenReady(progress, layout, state, c, credentials);
    ensureBackups(progress, layout, state, backups);
    progress.note(c.name() + " applied in " + progress.elapsed());
    return new Outcome(c.name(), state, c, actions);
  }

  /** Waits for a writable primary and streaming replicas, syncs the manifest into them, checks poolers and metrics. */
  private List<String> convergeWhenReady(Progress progress, LocalLayout layout, LocalState state, Cluster c,
      LocalCredentials credentials) throws Exception {
    LocalState.Member leader = progress.step("waiting for a writable primary", () -> awaitLeader(layout, state, c));
    if (state.members().size() > 1) {
      progress.step("waiting for " + (state.members().size() - 1) + " replica(s) to stream",
          () -> awaitReplicas(layout, state));
    }
    List<String> actions = progress.step("syncing configuration, roles and databases",
        () -> ClusterConvergence.converge(c, state, credentials, leader));
    awaitExtras(progress, layout, state, c, credentials);
    return actions;
  }

  /** Switches the primary to {@code to}, or to the best replica; returns the new primary's name. */
  public String switchover(String name, Optional<String> to) throws Exception {
    LocalLayout layout = existing(name);
    LocalState state = LocalState.read(layout).orElseThrow();
    requireRunning(layout);
    LocalState.Member leader = currentLeader(layout, state);
    List<ClusterMember> view = LocalPatroni.clusterView(state).orElseThrow();
    String candidate = to.orElseGet(() -> Switchover.candidate(view, false, m -> true)
        .orElseThrow(() -> new LocalRuntimeException(name + " has no running replica to switch over to; "
            + "see `cornac local status " + name + "`")));
    if (candidate.equals(leader.name())) {
      throw new LocalRuntimeException(candidate + " is already the primary of " + name);
    }
    LocalState.Member target = state.member(candidate).orElseThrow(() -> new LocalRuntimeException(name
        + " has no member " + candidate + "; its members are " + String.join(", ",
        state.membersByOrdinal().stream().map(LocalState.Member::name).toList())));
    new Progress(progressOut).step("switching over from " + leader.name() + " to " + target.name(),
        () -> switchover(layout, state, leader, target));
    return target.name();
  }

  public LocalStatus status(String name) {
    LocalLayout layout = existing(name);
    return LocalStatus.of(layout, LocalState.read(layout).orElseThrow(), SupervisorProcess.running(layout));
  }

  public List<LocalStatus> list() throws IOException {
    if (!Files.isDirectory(home)) {
      return List.of();
    }
    List<LocalStatus> all = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(home)) {
      for (Path dir : dirs.sorted().toList()) {
        LocalLayout layout = new LocalLayout(dir);
        LocalState.read(layout).ifPresent(s -> all.add(LocalStatus.summary(layout, s,
            SupervisorProcess.running(layout))));
      }
    }
    return all;
  }

  /** Stops a cluster; its data stays unless {@code purge}. Returns what it did, for the user. */
  public String down(String name, boolean purge) throws IOException {
    LocalLayout layout = existing(name);
    Optional<ProcessHandle> supervisor = SupervisorProcess.running(layout);
    StringBuilder done = new StringBuilder();
    if (supervisor.isPresent()) {
      progressOut.println("  stopping " + name + " (poolers, exporter, replicas, primary, etcd) ...");
      boolean clean = SupervisorProcess.stop(supervisor.get(), Supervisor.STOP_GRACE.multipliedBy(3));
      done.append(clean ? "stopped " + name : "stopped " + name + " forcibly: the supervisor did not stop in time; "
          + "check `cornac local logs " + name + "`");
      if (!clean) {
        Supervisor.stopLeftovers(layout, user);
      }
    } else {
      // A supervisor that was killed leaves its processes behind: stop what its pid files name.
      Supervisor.stopLeftovers(layout, user);
      done.append(name).append(" was not running");
    }
    if (purge) {
      deleteTree(layout.dir());
      done.append("; removed ").append(layout.dir()).append(" with its data and passwords");
    } else {
      done.append("; data and passwords kept in ").append(layout.dir())
          .append(" (`cornac local up` brings it back, `down --purge` removes it)");
    }
    return done.toString();
  }

  /** The psql command line that reaches a member, with the password file in its environment. */
  public ProcessBuilder psql(String name, boolean replica, String database, String role, List<String> extra) {
    LocalLayout layout = existing(name);
    LocalState state = LocalState.read(layout).orElseThrow();
    requireRunning(layout);
    LocalState.Member target;
    if (replica) {
      List<ClusterMember> view = LocalPatroni.clusterView(state).orElseThrow(() -> notAnswering(name));
      String member = view.stream().filter(m -> !m.role().isLeader() && m.isStreamingOrRunning())
          .min(Comparator.comparingLong(ClusterMember::lagOrMax)).map(ClusterMember::name)
          .orElseThrow(() -> new LocalRuntimeException(name + " has no running replica; see `cornac local status "
              + name + "`"));
      target = state.member(member).orElseThrow();
    } else {
      target = currentLeader(layout, state);
    }
    Path psql = Path.of(state.binDir()).resolve("psql");
    List<String> cmd = new ArrayList<>(List.of(Files.isExecutable(psql) ? psql.toString() : "psql",
        "-h", "127.0.0.1", "-p", Integer.toString(target.pgPort()),
        "-U", role != null ? role : savedConfig(layout).superUsername(), "-d", database != null ? database : "postgres"));
    cmd.addAll(extra);
    ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
    pb.environment().put("PGPASSFILE", layout.pgpass().toString());
    pb.environment().remove("PGPASSWORD");
    return pb;
  }

  public Path log(String name, String component) {
    LocalLayout layout = existing(name);
    LocalState state = LocalState.read(layout).orElseThrow();
    String c = component == null ? "supervisor" : component;
    Path log = layout.log(c);
    boolean known = Set.of("supervisor", "etcd", "pooler-master", "pooler-replica").contains(c)
        || Files.isDirectory(layout.memberDir(c)) || c.startsWith("exporter-");
    if (!known || !Files.exists(log)) {
      List<String> names = new ArrayList<>(List.of("supervisor", "etcd", "pooler-master", "pooler-replica"));
      state.membersByOrdinal().forEach(m -> names.addAll(List.of(m.name(), Components.exporterName(m.name()))));
      throw new LocalRuntimeException(name + " has no log for \"" + c + "\"; choose one of: "
          + String.join(", ", names.stream().filter(n -> Files.exists(layout.log(n))).toList()));
    }
    return log;
  }

  // ---------------------------------------------------------------------------------------------------------------

  private LocalManifest read(ApplyOptions options) {
    if (!Files.isRegularFile(options.manifest())) {
      throw new LocalRuntimeException(options.manifest() + " does not exist; give a postgresql manifest with -f");
    }
    OperatorConfig config;
    if (options.operatorConfig() != null) {
      config = OperatorConfigReader.fromFile(options.operatorConfig());
    } else {
      String name = LocalManifestNames.peek(options.manifest());
      config = name == null ? OperatorConfig.defaults() : savedConfig(layout(name));
    }
    return LocalManifest.load(options.manifest(), config);
  }

  private OperatorConfig savedConfig(LocalLayout layout) {
    Path saved = layout.dir().resolve("operator-config.yaml");
    return Files.exists(saved) ? OperatorConfigReader.fromFile(saved) : OperatorConfig.defaults();
  }

  private void report(LocalManifest manifest, Progress progress) {
    manifest.warnings().forEach(w -> progress.note("warning: " + w));
    if (!manifest.ignored().isEmpty()) {
      progress.note("ignored on one machine:");
      manifest.ignored().forEach(i -> progress.note("  - " + i));
    }
  }

  private String version(ApplyOptions options, Cluster c, Optional<LocalState> previous) {
    String requested = options.postgresVersion() != null ? options.postgresVersion() : c.postgresVersion();
    if (options.postgresVersion() != null && !options.postgresVersion().equals(c.postgresVersion())) {
      progressOut.println("  using PostgreSQL " + options.postgresVersion() + " instead of spec.postgresql.version "
          + c.postgresVersion() + " (--postgres-version)");
    }
    if (previous.isPresent() && !previous.get().postgresVersion().equals(requested)) {
      throw new LocalRuntimeException(c.name() + "'s data was created by PostgreSQL "
          + previous.get().postgresVersion() + "; running it with " + requested + " would need a major upgrade, "
          + "which the local runtime does not do yet; keep version " + previous.get().postgresVersion()
          + " (--postgres-version " + previous.get().postgresVersion() + "), or start afresh with `cornac local down "
          + c.name() + " --purge`");
    }
    return requested;
  }

  private void prepareDirectories(LocalLayout layout) {
    try {
      Files.createDirectories(home);
    } catch (IOException e) {
      throw new LocalRuntimeException("cannot create " + home + ": " + e.getMessage()
          + "; choose another place with --state-dir", e);
    }
    user.checkReachable(layout.dir());
    PrivateFiles.directory(layout.dir());
    user.own(layout.dir());
  }

  /** The members the manifest asks for, keeping every remembered port that is still free. */
  private LocalState plan(Cluster c, LocalLayout layout, Optional<LocalState> previous, String version, Path bin) {
    FreePorts ports = new FreePorts(portsOfOtherClusters(layout));
    boolean running = SupervisorProcess.running(layout).isPresent();
    // A running cluster holds its own ports: they are kept as they are, not probed.
    java.util.function.IntUnaryOperator keep = p -> running ? p : ports.keepOrReplace(p);
    List<LocalState.Member> members = new ArrayList<>();
    for (int i = 0; i < c.effectiveInstances(); i++) {
      String name = LocalState.memberName(c.name(), i);
      Optional<LocalState.Member> known = previous.flatMap(s -> s.member(name));
      if (known.isPresent()) {
        members.add(new LocalState.Member(name, keep.applyAsInt(known.get().restPort()),
            keep.applyAsInt(known.get().pgPort()), keep.applyAsInt(known.get().exporterPort())));
      } else {
        setAsideOldData(layout, name);
        members.add(new LocalState.Member(name, ports.next(), ports.next(), ports.next()));
      }
    }
    if (previous.isEmpty()) {
      return new LocalState(c.name(), version, bin.toString(), user.name(), ports.next(), ports.next(), members,
          new LocalState.Pooler(c.masterPoolerEnabled(), ports.next()),
          new LocalState.Pooler(c.replicaPoolerEnabled(), ports.next()));
    }
    LocalState p = previous.get();
    return new LocalState(c.name(), version, bin.toString(), user.name(), keep.applyAsInt(p.etcdClientPort()),
        keep.applyAsInt(p.etcdPeerPort()), members,
        new LocalState.Pooler(c.masterPoolerEnabled(), keep.applyAsInt(p.masterPooler().port())),
        new LocalState.Pooler(c.replicaPoolerEnabled(), keep.applyAsInt(p.replicaPooler().port())));
  }

  /**
   * A member removed by an earlier scale-down left its data behind; coming back, it starts from a fresh copy of
   * the primary instead (its old timeline may be long gone), and the old directory is kept beside it.
   */
  private void setAsideOldData(LocalLayout layout, String member) {
    Path data = layout.dataDir(member);
    if (Files.exists(data)) {
      Path aside = data.resolveSibling("data.removed-" + LocalDateTime.now()
          .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
      try {
        Files.move(data, aside);
        progressOut.println("  " + member + " rejoins from a fresh copy; its old data is kept in " + aside);
      } catch (IOException e) {
        throw new LocalRuntimeException("cannot move " + data + " aside: " + e.getMessage(), e);
      }
    }
  }

  private Set<Integer> portsOfOtherClusters(LocalLayout self) {
    Set<Integer> ports = new HashSet<>();
    if (!Files.isDirectory(home)) {
      return ports;
    }
    try (Stream<Path> dirs = Files.list(home)) {
      for (Path dir : dirs.filter(d -> !d.equals(self.dir())).toList()) {
        try {
          LocalState.read(new LocalLayout(dir)).ifPresent(s -> {
            ports.addAll(List.of(s.etcdClientPort(), s.etcdPeerPort(), s.masterPooler().port(),
                s.replicaPooler().port()));
            s.members().forEach(m -> ports.addAll(List.of(m.restPort(), m.pgPort(), m.exporterPort())));
          });
        } catch (LocalRuntimeException e) {
          // an unreadable neighbour does not stop this cluster
        }
      }
    } catch (IOException e) {
      // no neighbours known
    }
    return ports;
  }

  /** Writes every configuration file; returns the members whose patroni.yml changed (they need a reload). */
  private List<String> writeFiles(LocalManifest manifest, ApplyOptions options, LocalLayout layout, LocalState state,
      LocalCredentials credentials, Optional<BackupSettings> backups) throws IOException {
    PrivateFiles.write(layout.manifest(), manifest.text());
    if (options.operatorConfig() != null) {
      PrivateFiles.write(layout.dir().resolve("operator-config.yaml"), Files.readString(options.operatorConfig()));
    }
    if (options.envFile() != null) {
      PrivateFiles.write(envFile(layout), Files.readString(options.envFile()));
    }
    PatroniConfigFile.Archiving archiving = null;
    Files.deleteIfExists(ScheduledBackups.scheduleFile(layout));
    if (backups.isPresent()) {
      PgBackRest pgbackrest = new PgBackRest(layout, user);
      pgbackrest.write(backups.get(), state);
      PrivateFiles.write(ScheduledBackups.scheduleFile(layout), backups.get().schedule() + "\n");
      archiving = new PatroniConfigFile.Archiving(pgbackrest, Optional.ofNullable(options.restore()));
    }
    List<String> changed = new ArrayList<>();
    List<Path> toOwn = new ArrayList<>();
    PrivateFiles.directory(layout.dir().resolve("members"));
    toOwn.add(layout.dir().resolve("members"));
    for (LocalState.Member m : state.members()) {
      Path file = layout.patroniConfig(m.name());
      String text = PatroniConfigFile.render(manifest.cluster(), state, m, layout, credentials, archiving);
      if (!Files.exists(file) || !Files.readString(file).equals(text)) {
        PrivateFiles.write(file, text);
        changed.add(m.name());
      }
      toOwn.addAll(List.of(layout.memberDir(m.name()), file));
    }
    for (PoolerRole role : PoolerRole.values()) {
      if (role.of(state).enabled()) {
        PgBouncerConfig.write(manifest.cluster(), state, layout, role, credentials);
        Path dir = layout.poolerDir(role.id());
        toOwn.addAll(List.of(dir, dir.resolve("pgbouncer.ini"), dir.resolve("userlist.txt"),
            PgBouncerConfig.databases(layout, role)));
      }
    }
    user.own(toOwn.toArray(Path[]::new));
    return changed;
  }

  private Boolean awaitEtcd(LocalLayout layout, LocalState state) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    URI health = URI.create("http://127.0.0.1:" + state.etcdClientPort() + "/health");
    return Waits.until(Duration.ofSeconds(30), POLL, () -> {
      requireSupervisorAlive(layout);
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 && r.body().contains("true") ? Optional.of(Boolean.TRUE) : Optional.empty();
      } catch (IOException e) {
        return Optional.empty();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }, () -> "etcd did not become healthy within 30 s; see `cornac local logs " + state.name() + " etcd`");
  }

  private LocalState.Member awaitLeader(LocalLayout layout, LocalState state, Cluster c) throws InterruptedException {
    LocalCredentials credentials = LocalCredentials.load(layout);
    String superuser = c.config().superUsername();
    return Waits.until(READY_TIMEOUT, POLL, () -> {
      requireSupervisorAlive(layout);
      failedBootstrap(layout, state).ifPresent(reason -> {
        throw new LocalRuntimeException("Patroni could not bootstrap " + state.name() + ": " + reason + "; see `cornac "
            + "local logs " + state.name() + " " + state.membersByOrdinal().get(0).name() + "`");
      });
      Optional<LocalState.Member> leader = LocalPatroni.clusterView(state).flatMap(v -> v.stream()
          .filter(m -> m.role() == PatroniRole.LEADER && "running".equals(m.state())).findFirst())
          .flatMap(m -> state.member(m.name()));
      if (leader.isEmpty()) {
        return Optional.empty();
      }
      try (Connection conn = ClusterConvergence.connector(leader.get(), superuser, credentials.passwordOf(superuser))
          .connect("postgres"); Statement s = conn.createStatement();
          ResultSet rs = s.executeQuery("SELECT NOT pg_is_in_recovery()")) {
        return rs.next() && rs.getBoolean(1) ? leader : Optional.empty();
      } catch (java.sql.SQLException e) {
        return Optional.empty();
      }
    }, () -> "no writable primary within " + READY_TIMEOUT.toSeconds() + " s; see `cornac local logs " + state.name()
        + " " + state.membersByOrdinal().get(0).name() + "` and `cornac local status " + state.name() + "`");
  }

  /**
   * A bootstrap that failed (Patroni retries it for ever): the first error PostgreSQL or a bootstrap command logged,
   * so that the user reads the cause instead of waiting for a timeout.
   */
  private static Optional<String> failedBootstrap(LocalLayout layout, LocalState state) {
    for (LocalState.Member m : state.members()) {
      Path log = layout.memberLog(m.name());
      try {
        if (!Files.exists(log)) {
          continue;
        }
        List<String> lines = Files.readAllLines(log, java.nio.charset.StandardCharsets.UTF_8);
        if (lines.stream().noneMatch(l -> l.contains("Failed to bootstrap cluster"))) {
          continue;
        }
        return Optional.of(lines.stream().filter(l -> l.startsWith("ERROR: [") || l.contains(" FATAL: ")
            || l.contains("ERROR: ")).map(String::strip).findFirst().orElse("the bootstrap failed"));
      } catch (IOException e) {
        // not readable yet
      }
    }
    return Optional.empty();
  }

  private Boolean awaitReplicas(LocalLayout layout, LocalState state) throws InterruptedException {
    return Waits.until(READY_TIMEOUT, POLL, () -> {
      requireSupervisorAlive(layout);
      List<ClusterMember> view = LocalPatroni.clusterView(state).orElse(List.of());
      Set<String> expected = new HashSet<>(state.members().stream().map(LocalState.Member::name).toList());
      long ready = view.stream().filter(m -> expected.contains(m.name()))
          .filter(m -> m.role() == PatroniRole.LEADER || (m.isStreamingOrRunning() && m.lag().isPresent())).count();
      return ready == expected.size() && view.size() == expected.size() ? Optional.of(Boolean.TRUE) : Optional.empty();
    }, () -> "the replicas did not catch up within " + READY_TIMEOUT.toSeconds() + " s; see `cornac local status "
        + state.name() + "` and the members' logs (`cornac local logs " + state.name() + " MEMBER`)");
  }

  private Boolean awaitGone(LocalState previous, LocalState state, Set<String> removed) throws InterruptedException {
    return Waits.until(Duration.ofSeconds(60), POLL, () -> {
      for (String name : removed) {
        LocalState.Member m = previous.member(name).orElseThrow();
        if (!answers(m)) {
          EtcdKeys.deleteMember(state, name);
        }
      }
      List<ClusterMember> view = LocalPatroni.clusterView(state).orElse(List.of());
      return view.stream().noneMatch(m -> removed.contains(m.name())) ? Optional.of(Boolean.TRUE) : Optional.empty();
    }, () -> "removed members still appear in Patroni after 60 s; see `cornac local status " + state.name() + "`");
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
  private void awaitExtras(Progress progress, LocalLayout layout, LocalState state, Cluster c,
      LocalCredentials credentials) throws Exception {
    for (PoolerRole role : PoolerRole.values()) {
      if (role.of(state).enabled()) {
        progress.step("waiting for the " + role.id() + " pooler on 127.0.0.1:" + role.of(state).port(),
            () -> awaitPooler(layout, state, c, credentials, role));
      }
    }
    for (LocalState.Member m : state.membersByOrdinal()) {
      progress.step("waiting for " + m.name() + "'s metrics on 127.0.0.1:" + m.exporterPort(),
          () -> awaitMetrics(layout, state, m));
    }
  }

  private Boolean awaitPooler(LocalLayout layout, LocalState state, Cluster c, LocalCredentials credentials,
      PoolerRole role) throws InterruptedException {
    String superuser = c.config().superUsername();
    LocalState.Member pooler = new LocalState.Member("pooler", 0, role.of(state).port(), 0);
    return Waits.until(Duration.ofSeconds(30), POLL, () -> {
      requireSupervisorAlive(layout);
      try (Connection conn = ClusterConvergence.connector(pooler, superuser, credentials.passwordOf(superuser))
          .connect("postgres"); Statement s = conn.createStatement(); ResultSet rs = s.executeQuery(
          "SELECT pg_is_in_recovery()")) {
        boolean wantReplica = role == PoolerRole.REPLICA && state.members().size() > 1;
        return rs.next() && rs.getBoolean(1) == wantReplica ? Optional.of(Boolean.TRUE) : Optional.empty();
      } catch (java.sql.SQLException e) {
        return Optional.empty();
      }
    }, () -> "the " + role.id() + " pooler did not route to its target within 30 s; see `cornac local logs "
        + state.name() + " pooler-" + role.id() + "`");
  }

  private Boolean awaitMetrics(LocalLayout layout, LocalState state, LocalState.Member member)
      throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    URI metrics = URI.create("http://127.0.0.1:" + member.exporterPort() + "/metrics");
    return Waits.until(Duration.ofSeconds(30), POLL, () -> {
      requireSupervisorAlive(layout);
      try {
        String body = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        return body.lines().anyMatch(l -> l.startsWith("pg_up") && l.endsWith(" 1")) ? Optional.of(Boolean.TRUE)
            : Optional.empty();
      } catch (IOException e) {
        return Optional.empty();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }, () -> "postgres_exporter did not report pg_up 1 within 30 s; see `cornac local logs " + state.name()
        + " " + Components.exporterName(member.name()) + "`");
  }

  /** Returns once the target leads and the old primary runs again as a replica (stopping it mid-demotion is unsafe). */
  private Boolean switchover(LocalLayout layout, LocalState state, LocalState.Member leader, LocalState.Member target)
      throws InterruptedException {
    // A replica that has just started is briefly no candidate for Patroni (412): ask again for a while.
    Waits.until(Duration.ofSeconds(30), POLL, () -> {
      Switchover.Result result = Switchover.request(LocalPatroni.patientClient(leader), leader.name(), target.name(),
          Optional.empty());
      if (result instanceof Switchover.Failed failed) {
        throw new LocalRuntimeException("Patroni refused to switch over from " + leader.name() + " to "
            + target.name() + ": " + failed.reason());
      }
      return result instanceof Switchover.Done ? Optional.of(Boolean.TRUE) : Optional.empty();
    }, () -> "Patroni did not take the switchover from " + leader.name() + " to " + target.name() + " within 30 s; "
        + "see `cornac local status " + state.name() + "`");
    return Waits.until(Duration.ofSeconds(60), POLL, () -> LocalPatroni.clusterView(state)
        .filter(v -> Switchover.settled(v, leader.name(), target.name())).map(v -> Boolean.TRUE),
        () -> target.name() + " did not become the primary, with " + leader.name()
        + " following it, within 60 s; see `cornac local status " + state.name() + "`");
  }

  private String pickSwitchoverTarget(LocalState previous, LocalState next, LocalState.Member leader) {
    List<ClusterMember> view = LocalPatroni.clusterView(previous).orElseThrow(() -> notAnswering(previous.name()));
    Set<String> kept = new HashSet<>(next.members().stream().map(LocalState.Member::name).toList());
    return Switchover.candidate(view, false, m -> kept.contains(m) || m.equals(leader.name()))
        .orElseThrow(() -> new LocalRuntimeException("the primary " + leader.name() + " would be removed, but no "
            + "remaining member is a running replica to take over; wait until `cornac local status " + previous.name()
            + "` shows them running"));
  }

  private static Path envFile(LocalLayout layout) {
    return layout.dir().resolve("pod-environment.env");
  }

  /** Backups from the operator configuration, the manifest's env and the pod-environment file (given or saved). */
  private Optional<BackupSettings> backupSettings(ApplyOptions options, Cluster c, LocalLayout layout) {
    Path file = options.envFile() != null ? options.envFile() : envFile(layout);
    Map<String, String> vars = Files.exists(file) ? BackupSettings.readEnvFile(file) : Map.of();
    return BackupSettings.resolve(c.config(), c, vars);
  }

  /** The stanza exists and has at least one full backup, so that the cluster is restorable from now on. */
  private void ensureBackups(Progress progress, LocalLayout layout, LocalState state,
      Optional<BackupSettings> backups) throws Exception {
    if (backups.isEmpty()) {
      return;
    }
    backups.get().probe();
    LocalState.Member leader = currentLeader(layout, state);
    PgBackRest pb = new PgBackRest(layout, user);
    String where = "s3://" + backups.get().bucket() + BackupSettings.REPO_PATH + " (stanza " + state.name() + ")";
    progress.step("preparing backups in " + where, () -> pb.run(leader.name(), Duration.ofSeconds(60),
        "--stanza=" + state.name(), "stanza-create"));
    progress.step("checking WAL archiving", () -> pb.run(leader.name(), Duration.ofSeconds(90),
        "--stanza=" + state.name(), "check"));
    if (pb.info(leader.name(), state.name()).backups().isEmpty()) {
      progress.step("taking the first full backup", () -> pb.run(leader.name(), Duration.ofMinutes(30),
          "--stanza=" + state.name(), "--type=full", "backup"));
    }
  }

  /** Takes a base backup now (full, or incremental on top of the last one). */
  public PgBackRest.Backup backup(String name, boolean incremental) throws Exception {
    LocalLayout layout = existing(name);
    LocalState state = LocalState.read(layout).orElseThrow();
    requireBackups(layout, state);
    requireRunning(layout);
    LocalState.Member leader = currentLeader(layout, state);
    PgBackRest pb = new PgBackRest(layout, user);
    new Progress(progressOut).step("taking a " + (incremental ? "incremental" : "full") + " backup of "
        + leader.name(), () -> pb.run(leader.name(), Duration.ofMinutes(30), "--stanza=" + name,
        "--type=" + (incremental ? "incr" : "full"), "backup"));
    List<PgBackRest.Backup> all = pb.info(leader.name(), name).backups();
    return all.get(all.size() - 1);
  }

  /** A cluster's backups and the times it can be restored to. */
  public record BackupList(List<PgBackRest.Backup> backups, Optional<java.time.Instant> earliest,
      Optional<java.time.Instant> latest) {}

  public BackupList backups(String name) throws Exception {
    LocalLayout layout = existing(name);
    LocalState state = LocalState.read(layout).orElseThrow();
    requireBackups(layout, state);
    PgBackRest pb = new PgBackRest(layout, user);
    List<PgBackRest.Backup> backups = pb.info(state.membersByOrdinal().get(0).name(), name).backups();
    Optional<java.time.Instant> earliest = backups.stream().map(PgBackRest.Backup::stop).min(Comparator.naturalOrder());
    return new BackupList(backups, earliest, lastArchived(layout, state));
  }

  /** The last archived WAL's time, from the running primary's pg_stat_archiver; empty when stopped. */
  private Optional<java.time.Instant> lastArchived(LocalLayout layout, LocalState state) {
    if (SupervisorProcess.running(layout).isEmpty()) {
      return Optional.empty();
    }
    try {
      LocalState.Member leader = currentLeader(layout, state);
      LocalCredentials credentials = LocalCredentials.load(layout);
      OperatorConfig config = savedConfig(layout);
      try (var conn = ClusterConvergence.connector(leader, config.superUsername(),
          credentials.passwordOf(config.superUsername())).connect("postgres");
          var st = conn.createStatement();
          var rs = st.executeQuery("select last_archived_time from pg_stat_archiver")) {
        if (rs.next() && rs.getTimestamp(1) != null) {
          return Optional.of(rs.getTimestamp(1).toInstant());
        }
      }
    } catch (Exception e) {
      // unknown: the caller says so
    }
    return Optional.empty();
  }

  /** The cluster's backup settings as saved with it, the endpoint reachable; a clear error otherwise. */
  private BackupSettings requireBackups(LocalLayout layout, LocalState state) {
    OperatorConfig config = savedConfig(layout);
    Cluster c = LocalManifest.load(layout.manifest(), config).cluster();
    Map<String, String> vars = Files.exists(envFile(layout)) ? BackupSettings.readEnvFile(envFile(layout)) : Map.of();
    BackupSettings settings = BackupSettings.resolve(config, c, vars).orElseThrow(() -> new LocalRuntimeException(
        state.name() + " has no backups configured; set WAL_S3_BUCKET, AWS_ENDPOINT, AWS_ACCESS_KEY_ID and "
        + "AWS_SECRET_ACCESS_KEY in a file and give it to `cornac local apply -f " + layout.manifest()
        + " --env-file FILE`"));
    settings.probe();
    return settings;
  }

  /**
   * A new local cluster, {@code newName}, made from {@code source}'s backups and WAL archive and recovered up to
   * {@code at}; the source is not touched. It keeps the source's roles and passwords (they are in the data).
   */
  public Outcome restore(String source, java.time.Instant at, String newName) throws Exception {
    LocalLayout src = existing(source);
    LocalState srcState = LocalState.read(src).orElseThrow();
    requireBackups(src, srcState);
    if (Files.exists(layout(newName).state())) {
      throw new LocalRuntimeException("there is already a local cluster " + newName + "; choose another name with "
          + "--as, or remove it with `cornac local down " + newName + " --purge`");
    }
    BackupList list = backups(source);
    if (list.earliest().isEmpty()) {
      throw new LocalRuntimeException(source + " has no base backup yet; take one with `cornac local backup "
          + source + "`");
    }
    if (at.isBefore(list.earliest().get())) {
      throw new LocalRuntimeException(at + " is before the earliest restorable time of " + source + " ("
          + list.earliest().get() + ", the end of its first backup); see `cornac local backups " + source + "`");
    }
    java.time.Instant latest = list.latest().orElse(java.time.Instant.now());
    if (at.isAfter(latest)) {
      throw new LocalRuntimeException(at + " is after the last archived WAL of " + source + " (" + latest
          + "); the archive trails by up to " + PatroniConfigFile.ARCHIVE_TIMEOUT + " - restore to an earlier time, "
          + "or wait a minute");
    }
    // The newest backup that ended before the target: recovery replays the archive from there.
    PgBackRest.Backup set = list.backups().stream().filter(b -> !b.stop().isAfter(at))
        .max(Comparator.comparing(PgBackRest.Backup::stop)).orElseThrow();
    LocalLayout target = layout(newName);
    prepareDirectories(target);
    // The restored data holds the source's roles with their passwords: the new cluster uses the same credentials.
    PrivateFiles.write(target.credentials(), Files.readString(src.credentials()));
    PrivateFiles.write(target.pgpass(), Files.readString(src.pgpass()));
    user.own(target.credentials(), target.pgpass());
    ObjectNode manifest = (ObjectNode) ManifestMapper.yaml().readTree(Files.readString(src.manifest()));
    ((ObjectNode) manifest.path("metadata")).put("name", newName);
    Path manifestFile = target.dir().resolve("restore-manifest.yaml");
    PrivateFiles.write(manifestFile, ManifestMapper.toYaml(manifest));
    Path config = src.dir().resolve("operator-config.yaml");
    progressOut.println("  restoring " + source + " as of " + at + " into a new cluster " + newName + " (from backup "
        + set.label() + ", then its WAL archive)");
    return up(new ApplyOptions(manifestFile, Files.exists(config) ? config : null, srcState.postgresVersion(),
        envFile(src), new PatroniConfigFile.RestoreTarget(source, set.label(), at)));
  }

  private LocalState.Member currentLeader(LocalLayout layout, LocalState state) {
    List<ClusterMember> view = LocalPatroni.clusterView(state).orElseThrow(() -> notAnswering(state.name()));
    return view.stream().filter(m -> m.role() == PatroniRole.LEADER).findFirst().flatMap(m -> state.member(m.name()))
        .orElseThrow(() -> new LocalRuntimeException(state.name() + " has no primary right now; see `cornac local "
            + "status " + state.name() + "` and try again in a few seconds"));
  }

  private LocalRuntimeException notAnswering(String name) {
    return new LocalRuntimeException("no member of " + name + " answers on its Patroni port; see `cornac local "
        + "status " + name + "` and `cornac local logs " + name + "`");
  }

  private LocalLayout existing(String name) {
    LocalLayout layout = layout(name);
    if (!Files.exists(layout.state())) {
      throw new LocalRuntimeException("there is no local cluster " + name + " in " + home + "; see `cornac local "
          + "list`");
    }
    return layout;
  }

  private void requireRunning(LocalLayout layout) {
    if (SupervisorProcess.running(layout).isEmpty()) {
      throw new LocalRuntimeException("local cluster " + layout.cluster() + " is stopped; start it with `cornac local "
          + "up -f " + layout.manifest() + "`");
    }
  }

  private void requireSupervisorAlive(LocalLayout layout) {
    if (SupervisorProcess.running(layout).isEmpty()) {
      throw new LocalRuntimeException("the supervisor of " + layout.cluster() + " exited; see `cornac local logs "
          + layout.cluster() + "`");
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
