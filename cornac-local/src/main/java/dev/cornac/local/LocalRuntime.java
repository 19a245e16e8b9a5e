package dev.cornac.local;

import dev.cornac.api.config.OperatorConfig;
import dev.cornac.api.config.OperatorConfigReader;
import dev.cornac.dataplane.patroni.ClusterMember;
import dev.cornac.dataplane.switchover.Switchover;
import dev.cornac.generators.Cluster;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The local runtime's verbs: a {@code postgresql} manifest brought up, changed, inspected and
 * stopped as a real Patroni cluster on this machine. Each cluster lives in its own directory under
 * the home; its {@link Supervisor} keeps the processes running between commands.
 */
public final class LocalRuntime {
  private final Path home;
  private final RuntimeUser user;
  private final PostgresInstallation postgres;
  private final PrintStream progressOut;
  private final MemberPlanner planner;
  private final ClusterFiles files;
  private final LocalBackups localBackups;

  public LocalRuntime(
      Path home, RuntimeUser user, PostgresInstallation postgres, PrintStream progressOut) {
    this.home = home;
    this.user = user;
    this.postgres = postgres;
    this.progressOut = progressOut;
    this.planner = new MemberPlanner(home, user, progressOut);
    this.files = new ClusterFiles(home, user);
    this.localBackups = new LocalBackups(user, progressOut);
  }

  public Path home() {
    return home;
  }

  public LocalLayout layout(String cluster) {
    return LocalLayout.of(home, cluster);
  }

  /** What {@code up} and {@code apply} take from the command line. */
  public record ApplyOptions(
      Path manifest,
      Path operatorConfig,
      String postgresVersion,
      Path envFile,
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
      throw new LocalRuntimeException(
          "local cluster "
              + manifest.name()
              + " is already running (supervisor pid "
              + supervisor.get().pid()
              + "); change it with `cornac local apply -f "
              + options.manifest()
              + "`, or stop it with `cornac local down "
              + manifest.name()
              + "`");
    }
    Map<String, String> podEnvironment = LocalBackups.podEnvironment(options, layout);
    report(manifest, podEnvironment, progress);
    Cluster c = manifest.cluster();
    Optional<LocalState> previous = LocalState.read(layout);
    String version = planner.version(options, c, previous);
    Path bin = postgres.binDir(version);
    Tools.check(c.anyPoolerEnabled());
    Optional<BackupSettings> backups = BackupSettings.resolve(c.config(), c, podEnvironment);
    backups.ifPresent(b -> PgBackRestPrerequisites.check(b, user));
    files.prepareDirectories(layout);
    LocalState state = planner.plan(c, layout, previous, version, bin);
    SocketPaths.requireShortEnough(layout, state);
    LocalCredentials credentials = LocalCredentials.load(layout);
    ClusterConvergence.preparePasswords(c, credentials);
    files.writeFiles(manifest, options, layout, state, credentials, backups);
    progress.note(
        (previous.isPresent() ? "starting " : "creating ")
            + c.name()
            + ": PostgreSQL "
            + version
            + ", "
            + state.members().size()
            + " member(s), etcd on 127.0.0.1:"
            + state.etcdClientPort()
            + ", state in "
            + layout.dir());
    state.write(layout);
    SupervisorProcess.start(layout);
    List<String> actions;
    try {
      progress.step("starting etcd", () -> ReadinessWaits.awaitEtcd(layout, state));
      actions = convergeWhenReady(progress, layout, state, c, credentials);
    } catch (LocalRuntimeException e) {
      throw LeftRunning.notReady(e, layout, state, options.manifest());
    }
    try {
      localBackups.ensureBackups(progress, layout, state, backups);
    } catch (LocalRuntimeException e) {
      throw LeftRunning.withoutBackups(e, layout, state, options.manifest());
    }
    progress.note(c.name() + " is up in " + progress.elapsed());
    return new Outcome(c.name(), state, c, actions);
  }

  public Outcome apply(ApplyOptions options) throws Exception {
    Progress progress = new Progress(progressOut);
    LocalManifest manifest = read(options);
    LocalLayout layout = layout(manifest.name());
    LocalState previous =
        LocalState.read(layout)
            .orElseThrow(
                () ->
                    new LocalRuntimeException(
                        "there is no local "
                            + "cluster "
                            + manifest.name()
                            + "; create it with `cornac local up -f "
                            + options.manifest()
                            + "`"));
    requireRunning(layout);
    Map<String, String> podEnvironment = LocalBackups.podEnvironment(options, layout);
    report(manifest, podEnvironment, progress);
    Cluster c = manifest.cluster();
    String version = planner.version(options, c, Optional.of(previous));
    Tools.check(c.anyPoolerEnabled());
    Optional<BackupSettings> backups = BackupSettings.resolve(c.config(), c, podEnvironment);
    backups.ifPresent(b -> PgBackRestPrerequisites.check(b, user));
    LocalState.Member leader = LocalLeader.current(previous);
    LocalState state =
        planner.plan(c, layout, Optional.of(previous), version, postgres.binDir(version));
    SocketPaths.requireShortEnough(layout, state);
    Set<String> removed = new HashSet<>();
    previous.members().forEach(m -> removed.add(m.name()));
    state.members().forEach(m -> removed.remove(m.name()));
    if (removed.contains(leader.name())) {
      LocalState.Member target =
          state.member(pickSwitchoverTarget(previous, state, leader)).orElseThrow();
      progress.step(
          "switching over from "
              + leader.name()
              + " to "
              + target.name()
              + " (its member is removed)",
          () -> ReadinessWaits.switchover(previous, leader, target));
    }
    LocalCredentials credentials = LocalCredentials.load(layout);
    ClusterConvergence.preparePasswords(c, credentials);
    List<String> reload = files.writeFiles(manifest, options, layout, state, credentials, backups);
    state.write(layout);
    for (String member : reload) {
      previous.member(member).ifPresent(m -> LocalPatroni.patientClient(m).reload());
    }
    if (!removed.isEmpty()) {
      progress.step(
          "stopping "
              + String.join(", ", removed.stream().sorted().toList())
              + " (data kept in "
              + layout.dir().resolve("members")
              + ")",
          () -> ReadinessWaits.awaitGone(previous, state, removed));
    }
    List<String> actions = convergeWhenReady(progress, layout, state, c, credentials);
    localBackups.ensureBackups(progress, layout, state, backups);
    progress.note(c.name() + " applied in " + progress.elapsed());
    return new Outcome(c.name(), state, c, actions);
  }

  /**
   * Waits for a writable primary and streaming replicas, syncs the manifest into them, checks
   * poolers and metrics.
   */
  private List<String> convergeWhenReady(
      Progress progress,
      LocalLayout layout,
      LocalState state,
      Cluster c,
      LocalCredentials credentials)
      throws Exception {
    LocalState.Member leader =
        progress.step(
            "waiting for a writable primary", () -> ReadinessWaits.awaitLeader(layout, state, c));
    if (state.members().size() > 1) {
      progress.step(
          "waiting for " + (state.members().size() - 1) + " replica(s) to stream",
          () -> ReadinessWaits.awaitReplicas(layout, state));
    }
    List<String> actions =
        progress.step(
            "syncing configuration, roles and databases",
            () -> ClusterConvergence.converge(c, state, credentials, leader));
    ReadinessWaits.awaitExtras(progress, layout, state, c, credentials);
    return actions;
  }

  /** Switches the primary to {@code to}, or to the best replica; returns the new primary's name. */
  public String switchover(String name, Optional<String> to) throws Exception {
    LocalLayout layout = existing(name);
    LocalState state = LocalState.read(layout).orElseThrow();
    requireRunning(layout);
    LocalState.Member leader = LocalLeader.current(state);
    List<ClusterMember> view = LocalPatroni.clusterView(state).orElseThrow();
    String candidate =
        to.orElseGet(
            () ->
                Switchover.candidate(view, false, m -> true)
                    .orElseThrow(
                        () ->
                            new LocalRuntimeException(
                                name
                                    + " has no running replica to switch over to; "
                                    + "see `cornac local status "
                                    + name
                                    + "`")));
    if (candidate.equals(leader.name())) {
      throw new LocalRuntimeException(candidate + " is already the primary of " + name);
    }
    LocalState.Member target =
        state
            .member(candidate)
            .orElseThrow(
                () ->
                    new LocalRuntimeException(
                        name
                            + " has no member "
                            + candidate
                            + "; its members are "
                            + String.join(
                                ", ",
                                state.membersByOrdinal().stream()
                                    .map(LocalState.Member::name)
                                    .toList())));
    new Progress(progressOut)
        .step(
            "switching over from " + leader.name() + " to " + target.name(),
            () -> ReadinessWaits.switchover(state, leader, target));
    return target.name();
  }

  /**
   * Restarts every member, replicas first, with one switchover ({@link RollingRestart}): what makes
   * a minor update of the installed PostgreSQL take effect.
   */
  public List<String> restart(String name) throws Exception {
    LocalLayout layout = existing(name);
    LocalState state = LocalState.read(layout).orElseThrow();
    requireRunning(layout);
    Progress progress = new Progress(progressOut);
    RollingRestart.Outcome outcome = RollingRestart.run(state, progress);
    progress.note(
        name
            + " restarted in "
            + progress.elapsed()
            + " with "
            + outcome.switchovers()
            + " switchover(s)");
    return outcome.steps();
  }

  public LocalStatus status(String name) {
    LocalLayout layout = existing(name);
    return LocalStatus.of(
        layout, LocalState.read(layout).orElseThrow(), SupervisorProcess.running(layout));
  }

  public List<LocalStatus> list() throws IOException {
    if (!Files.isDirectory(home)) {
      return List.of();
    }
    List<LocalStatus> all = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(home)) {
      for (Path dir : dirs.sorted().toList()) {
        LocalLayout layout = new LocalLayout(dir);
        LocalState.read(layout)
            .ifPresent(
                s -> all.add(LocalStatus.summary(layout, s, SupervisorProcess.running(layout))));
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
      progressOut.println(
          "  stopping " + name + " (poolers, exporter, replicas, primary, etcd) ...");
      boolean clean =
          SupervisorProcess.stop(supervisor.get(), Supervisor.STOP_GRACE.multipliedBy(3));
      done.append(
          clean
              ? "stopped " + name
              : "stopped "
                  + name
                  + " forcibly: the supervisor did not stop in time; "
                  + "check `cornac local logs "
                  + name
                  + "`");
      if (!clean) {
        Supervisor.stopLeftovers(layout, user);
      }
    } else {
      // A supervisor that was killed leaves its processes behind: stop what its pid files name.
      Supervisor.stopLeftovers(layout, user);
      done.append(name).append(" was not running");
    }
    if (purge) {
      ClusterFiles.deleteTree(layout.dir());
      done.append("; removed ").append(layout.dir()).append(" with its data and passwords");
    } else {
      done.append("; data and passwords kept in ")
          .append(layout.dir())
          .append(" (`cornac local up` brings it back, `down --purge` removes it)");
    }
    return done.toString();
  }

  /** The psql command line that reaches a member, with the password file in its environment. */
  public ProcessBuilder psql(
      String name, boolean replica, String database, String role, List<String> extra) {
    LocalLayout layout = existing(name);
    LocalState state = LocalState.read(layout).orElseThrow();
    requireRunning(layout);
    LocalState.Member target;
    if (replica) {
      List<ClusterMember> view =
          LocalPatroni.clusterView(state).orElseThrow(() -> LocalLeader.notAnswering(name));
      String member =
          view.stream()
              .filter(m -> !m.role().isLeader() && m.isStreamingOrRunning())
              .min(Comparator.comparingLong(ClusterMember::lagOrMax))
              .map(ClusterMember::name)
              .orElseThrow(
                  () ->
                      new LocalRuntimeException(
                          name
                              + " has no running replica; see `cornac local status "
                              + name
                              + "`"));
      target = state.member(member).orElseThrow();
    } else {
      target = LocalLeader.current(state);
    }
    Path psql = Path.of(state.binDir()).resolve("psql");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Files.isExecutable(psql) ? psql.toString() : "psql",
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(target.pgPort()),
                "-U",
                role != null ? role : ClusterFiles.savedConfig(layout).superUsername(),
                "-d",
                database != null ? database : "postgres"));
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
    boolean known =
        Set.of("supervisor", "etcd", "pooler-master", "pooler-replica").contains(c)
            || Files.isDirectory(layout.memberDir(c))
            || c.startsWith("exporter-");
    if (!known || !Files.exists(log)) {
      List<String> names =
          new ArrayList<>(List.of("supervisor", "etcd", "pooler-master", "pooler-replica"));
      state
          .membersByOrdinal()
          .forEach(m -> names.addAll(List.of(m.name(), Components.exporterName(m.name()))));
      throw new LocalRuntimeException(
          name
              + " has no log for \""
              + c
              + "\"; choose one of: "
              + String.join(
                  ", ", names.stream().filter(n -> Files.exists(layout.log(n))).toList()));
    }
    return log;
  }

  /** Takes a base backup now (full, or incremental on top of the last one). */
  public PgBackRest.Backup backup(String name, boolean incremental) throws Exception {
    LocalLayout layout = existing(name);
    LocalState state = LocalState.read(layout).orElseThrow();
    localBackups.requireBackups(layout, state);
    requireRunning(layout);
    return localBackups.backup(name, layout, state, incremental);
  }

  /** A cluster's backups and the times it can be restored to. */
  public record BackupList(
      List<PgBackRest.Backup> backups, Optional<Instant> earliest, Optional<Instant> latest) {}

  public BackupList backups(String name) throws Exception {
    LocalLayout layout = existing(name);
    LocalState state = LocalState.read(layout).orElseThrow();
    return localBackups.list(name, layout, state);
  }

  /**
   * A new local cluster, {@code newName}, made from {@code source}'s backups and WAL archive and
   * recovered up to {@code at}; the source is not touched. It keeps the source's roles and
   * passwords (they are in the data).
   */
  public Outcome restore(String source, Instant at, String newName) throws Exception {
    LocalLayout src = existing(source);
    LocalState srcState = LocalState.read(src).orElseThrow();
    localBackups.requireBackups(src, srcState);
    if (Files.exists(layout(newName).state())) {
      throw new LocalRuntimeException(
          "there is already a local cluster "
              + newName
              + "; choose another name with "
              + "--as, or remove it with `cornac local down "
              + newName
              + " --purge`");
    }
    BackupList list = backups(source);
    if (LocalBackups.archiveTrails(list, at)) {
      list = localBackups.catchUp(source, src, srcState, at);
    }
    PgBackRest.Backup set = LocalBackups.restoreSet(source, list, at);
    LocalLayout target = layout(newName);
    files.prepareDirectories(target);
    Path manifestFile = files.copyForRestore(src, target, newName);
    Path config = src.dir().resolve("operator-config.yaml");
    progressOut.println(
        "  restoring "
            + source
            + " as of "
            + at
            + " into a new cluster "
            + newName
            + " (from backup "
            + set.label()
            + ", then its WAL archive)");
    return up(
        new ApplyOptions(
            manifestFile,
            Files.exists(config) ? config : null,
            srcState.postgresVersion(),
            ClusterFiles.envFile(src),
            new PatroniConfigFile.RestoreTarget(source, set.label(), at)));
  }

  // ---------------------------------------------------------------------------------------------------------------

  private LocalManifest read(ApplyOptions options) {
    if (!Files.isRegularFile(options.manifest())) {
      throw new LocalRuntimeException(
          options.manifest() + " does not exist; give a postgresql manifest with -f");
    }
    OperatorConfig config;
    if (options.operatorConfig() != null) {
      config = OperatorConfigReader.fromFile(options.operatorConfig());
    } else {
      String name = LocalManifestNames.peek(options.manifest());
      config = name == null ? OperatorConfig.defaults() : ClusterFiles.savedConfig(layout(name));
    }
    return LocalManifest.load(options.manifest(), config);
  }

  private void report(
      LocalManifest manifest, Map<String, String> podEnvironment, Progress progress) {
    manifest.warnings().forEach(w -> progress.note("warning: " + w));
    if (!manifest.ignored().isEmpty()) {
      progress.note("ignored on one machine:");
      manifest.ignored().forEach(i -> progress.note("  - " + i));
    }
    List<String> uses = PodEnvironmentUse.of(manifest.cluster(), podEnvironment);
    if (!uses.isEmpty()) {
      progress.note("pod environment (spec.env, --env-file) on one machine:");
      uses.forEach(u -> progress.note("  - " + u));
    }
  }

  private String pickSwitchoverTarget(
      LocalState previous, LocalState next, LocalState.Member leader) {
    List<ClusterMember> view =
        LocalPatroni.clusterView(previous)
            .orElseThrow(() -> LocalLeader.notAnswering(previous.name()));
    Set<String> kept = new HashSet<>(next.members().stream().map(LocalState.Member::name).toList());
    return Switchover.candidate(view, false, m -> kept.contains(m) || m.equals(leader.name()))
        .orElseThrow(
            () ->
                new LocalRuntimeException(
                    "the primary "
                        + leader.name()
                        + " would be removed, but no "
                        + "remaining member is a running replica to take over; wait until `cornac local status "
                        + previous.name()
                        + "` shows them running"));
  }

  private LocalLayout existing(String name) {
    LocalLayout layout = layout(name);
    if (!Files.exists(layout.state())) {
      throw new LocalRuntimeException(
          "there is no local cluster " + name + " in " + home + "; see `cornac local " + "list`");
    }
    return layout;
  }

  private void requireRunning(LocalLayout layout) {
    if (SupervisorProcess.running(layout).isEmpty()) {
      throw new LocalRuntimeException(
          "local cluster "
              + layout.cluster()
              + " is stopped; start it with `cornac local "
              + "up -f "
              + layout.manifest()
              + "`");
    }
  }
}
