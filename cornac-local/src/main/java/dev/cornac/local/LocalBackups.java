package dev.cornac.local;

import dev.cornac.api.config.OperatorConfig;
import dev.cornac.generators.Cluster;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A cluster's pgBackRest backups: their settings, the first full backup, backups on demand, the
 * restore point.
 */
final class LocalBackups {
  private final RuntimeUser user;
  private final PrintStream progressOut;

  LocalBackups(RuntimeUser user, PrintStream progressOut) {
    this.user = user;
    this.progressOut = progressOut;
  }

  /**
   * The pod-environment file's variables: the one given, or the one saved with the cluster; none
   * without either.
   */
  static Map<String, String> podEnvironment(LocalRuntime.ApplyOptions options, LocalLayout layout) {
    Path file = options.envFile() != null ? options.envFile() : ClusterFiles.envFile(layout);
    return Files.exists(file) ? BackupSettings.readEnvFile(file) : Map.of();
  }

  /**
   * The stanza exists and has at least one full backup, so that the cluster is restorable from now
   * on.
   */
  void ensureBackups(
      Progress progress, LocalLayout layout, LocalState state, Optional<BackupSettings> backups)
      throws Exception {
    if (backups.isEmpty()) {
      return;
    }
    backups.get().probe();
    LocalState.Member leader = LocalLeader.current(state);
    PgBackRest pb = new PgBackRest(layout, user);
    String where =
        "s3://"
            + backups.get().bucket()
            + BackupSettings.REPO_PATH
            + " (stanza "
            + state.name()
            + ")";
    // stanza-create takes the repository's lock, which a scheduled backup may hold for minutes: run
    // it only when the
    // stanza does not exist yet (info and check take no lock).
    if (!pb.info(leader.name(), state.name()).stanzaExists()) {
      progress.step(
          "preparing backups in " + where,
          () ->
              pb.run(
                  leader.name(),
                  Duration.ofSeconds(60),
                  "--stanza=" + state.name(),
                  "stanza-create"));
    }
    progress.step(
        "checking WAL archiving in " + where,
        () -> pb.run(leader.name(), Duration.ofSeconds(90), "--stanza=" + state.name(), "check"));
    if (pb.info(leader.name(), state.name()).backups().isEmpty()) {
      progress.step(
          "taking the first full backup",
          () ->
              pb.run(
                  leader.name(),
                  Duration.ofMinutes(30),
                  "--stanza=" + state.name(),
                  "--type=full",
                  "backup"));
    }
  }

  /** Takes a base backup now (full, or incremental on top of the last one) from the primary. */
  PgBackRest.Backup backup(String name, LocalLayout layout, LocalState state, boolean incremental)
      throws Exception {
    LocalState.Member leader = LocalLeader.current(state);
    PgBackRest pb = new PgBackRest(layout, user);
    new Progress(progressOut)
        .step(
            "taking a " + (incremental ? "incremental" : "full") + " backup of " + leader.name(),
            () ->
                pb.run(
                    leader.name(),
                    Duration.ofMinutes(30),
                    "--stanza=" + name,
                    "--type=" + (incremental ? "incr" : "full"),
                    "backup"));
    List<PgBackRest.Backup> all = pb.info(leader.name(), name).backups();
    return all.get(all.size() - 1);
  }

  /** The cluster's backups and the times it can be restored to. */
  LocalRuntime.BackupList list(String name, LocalLayout layout, LocalState state) {
    requireBackups(layout, state);
    PgBackRest pb = new PgBackRest(layout, user);
    List<PgBackRest.Backup> backups =
        pb.info(state.membersByOrdinal().get(0).name(), name).backups();
    Optional<Instant> earliest =
        backups.stream().map(PgBackRest.Backup::stop).min(Comparator.naturalOrder());
    return new LocalRuntime.BackupList(backups, earliest, lastArchived(layout, state));
  }

  /**
   * The last archived WAL's time, from the running primary's pg_stat_archiver; empty when stopped.
   */
  private Optional<Instant> lastArchived(LocalLayout layout, LocalState state) {
    if (SupervisorProcess.running(layout).isEmpty()) {
      return Optional.empty();
    }
    try {
      return WalArchiving.read(layout, LocalLeader.current(state)).lastArchived();
    } catch (LocalRuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether a restore to {@code at} needs WAL the running cluster has written but not archived yet
   * (its archive ends before {@code at}, which is not in the future).
   */
  static boolean archiveTrails(LocalRuntime.BackupList list, Instant at) {
    return list.latest().isPresent()
        && at.isAfter(list.latest().get())
        && !at.isAfter(Instant.now());
  }

  /** Archives the running cluster's WAL up to now, showing the wait; the list as it then stands. */
  LocalRuntime.BackupList catchUp(String name, LocalLayout layout, LocalState state, Instant at)
      throws Exception {
    LocalState.Member primary = LocalLeader.current(state);
    LocalRuntime.BackupList before = list(name, layout, state);
    try {
      new Progress(progressOut)
          .step(
              "archiving "
                  + name
                  + "'s WAL up to now (a WAL switch on "
                  + primary.name()
                  + ", then waiting for the segment to reach S3)",
              () -> ArchiveCatchUp.run(layout, primary, name));
    } catch (LocalRuntimeException e) {
      throw new LocalRuntimeException(
          "cannot restore "
              + name
              + " to "
              + at
              + ": "
              + e.getMessage()
              + "\n  restore "
              + "to a time up to "
              + before.latest().map(Instant::toString).orElse("its last archived WAL")
              + " (its last archived WAL), or correct the archiving first",
          e);
    }
    return list(name, layout, state);
  }

  /**
   * The cluster's backup settings as saved with it, the endpoint reachable; a clear error
   * otherwise.
   */
  BackupSettings requireBackups(LocalLayout layout, LocalState state) {
    OperatorConfig config = ClusterFiles.savedConfig(layout);
    Cluster c = LocalManifest.load(layout.manifest(), config).cluster();
    Path envFile = ClusterFiles.envFile(layout);
    Map<String, String> vars =
        Files.exists(envFile) ? BackupSettings.readEnvFile(envFile) : Map.of();
    BackupSettings settings =
        BackupSettings.resolve(config, c, vars)
            .orElseThrow(
                () ->
                    new LocalRuntimeException(
                        state.name()
                            + " has no backups configured; set WAL_S3_BUCKET, AWS_ENDPOINT, AWS_ACCESS_KEY_ID and "
                            + "AWS_SECRET_ACCESS_KEY in a file and give it to `cornac local apply -f "
                            + layout.manifest()
                            + " --env-file FILE`"));
    settings.probe();
    return settings;
  }

  /**
   * The base backup to restore {@code source} from to reach {@code at}; a clear error when {@code
   * at} is outside the times its backups and WAL archive cover.
   */
  static PgBackRest.Backup restoreSet(String source, LocalRuntime.BackupList list, Instant at) {
    if (list.earliest().isEmpty()) {
      throw new LocalRuntimeException(
          source + " has no base backup yet; take one with `cornac local backup " + source + "`");
    }
    if (at.isBefore(list.earliest().get())) {
      throw new LocalRuntimeException(
          at
              + " is before the earliest restorable time of "
              + source
              + " ("
              + list.earliest().get()
              + ", the end of its first backup); see `cornac local backups "
              + source
              + "`");
    }
    Instant latest = list.latest().orElse(Instant.now());
    if (at.isAfter(latest)) {
      throw new LocalRuntimeException(
          at
              + " is after the last archived WAL of "
              + source
              + " ("
              + latest
              + ")"
              + (at.isAfter(Instant.now()) ? ", and in the future" : "")
              + "; restore to an earlier time (see `cornac "
              + "local backups "
              + source
              + "`)");
    }
    // The newest backup that ended before the target: recovery replays the archive from there.
    return list.backups().stream()
        .filter(b -> !b.stop().isAfter(at))
        .max(Comparator.comparing(PgBackRest.Backup::stop))
        .orElseThrow();
  }
}
