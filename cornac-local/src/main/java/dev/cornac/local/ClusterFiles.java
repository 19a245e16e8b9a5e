package dev.cornac.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cornac.api.config.OperatorConfig;
import dev.cornac.api.config.OperatorConfigReader;
import dev.cornac.api.model.ManifestMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A cluster's directory and the files in it: created, written from the manifest, read back, copied,
 * removed.
 */
final class ClusterFiles {
  private final Path home;
  private final RuntimeUser user;

  ClusterFiles(Path home, RuntimeUser user) {
    this.home = home;
    this.user = user;
  }

  void prepareDirectories(LocalLayout layout) {
    try {
      Files.createDirectories(home);
    } catch (IOException e) {
      throw new LocalRuntimeException(
          "cannot create "
              + home
              + ": "
              + e.getMessage()
              + "; choose another place with --state-dir",
          e);
    }
    user.checkReachable(layout.dir());
    PrivateFiles.directory(layout.dir());
    user.own(layout.dir());
  }

  /**
   * Writes every configuration file; returns the members whose patroni.yml changed (they need a
   * reload).
   */
  List<String> writeFiles(
      LocalManifest manifest,
      LocalRuntime.ApplyOptions options,
      LocalLayout layout,
      LocalState state,
      LocalCredentials credentials,
      Optional<BackupSettings> backups)
      throws IOException {
    PrivateFiles.write(layout.manifest(), manifest.text());
    if (options.operatorConfig() != null) {
      PrivateFiles.write(
          layout.dir().resolve("operator-config.yaml"), Files.readString(options.operatorConfig()));
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
      archiving =
          new PatroniConfigFile.Archiving(pgbackrest, Optional.ofNullable(options.restore()));
    }
    List<String> changed = new ArrayList<>();
    List<Path> toOwn = new ArrayList<>();
    PrivateFiles.directory(layout.dir().resolve("members"));
    toOwn.add(layout.dir().resolve("members"));
    for (LocalState.Member m : state.members()) {
      Path file = layout.patroniConfig(m.name());
      String text =
          PatroniConfigFile.render(manifest.cluster(), state, m, layout, credentials, archiving);
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
        toOwn.addAll(
            List.of(
                dir,
                dir.resolve("pgbouncer.ini"),
                dir.resolve("userlist.txt"),
                PgBouncerConfig.databases(layout, role)));
      }
    }
    user.own(toOwn.toArray(Path[]::new));
    return changed;
  }

  /**
   * Gives a new cluster, restored from {@code src}'s backups, the source's credentials and its
   * manifest renamed to {@code newName}; returns that manifest's file.
   */
  Path copyForRestore(LocalLayout src, LocalLayout target, String newName) throws IOException {
    // The restored data holds the source's roles with their passwords: the new cluster uses the
    // same credentials.
    PrivateFiles.write(target.credentials(), Files.readString(src.credentials()));
    PrivateFiles.write(target.pgpass(), Files.readString(src.pgpass()));
    user.own(target.credentials(), target.pgpass());
    ObjectNode manifest =
        (ObjectNode) ManifestMapper.yaml().readTree(Files.readString(src.manifest()));
    ((ObjectNode) manifest.path("metadata")).put("name", newName);
    Path manifestFile = target.dir().resolve("restore-manifest.yaml");
    PrivateFiles.write(manifestFile, ManifestMapper.toYaml(manifest));
    return manifestFile;
  }

  static Path envFile(LocalLayout layout) {
    return layout.dir().resolve("pod-environment.env");
  }

  static OperatorConfig savedConfig(LocalLayout layout) {
    Path saved = layout.dir().resolve("operator-config.yaml");
    return Files.exists(saved) ? OperatorConfigReader.fromFile(saved) : OperatorConfig.defaults();
  }

  static void deleteTree(Path dir) throws IOException {
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
