package dev.cornac.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cornac.api.model.ManifestMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * pgBackRest for a local cluster: one configuration file per member (its data directory, port and
 * socket, and the bucket), the archive and restore commands PostgreSQL runs, and the commands the
 * CLI runs, each bounded in time and failing with pgBackRest's own error and what to check.
 */
public final class PgBackRest {
  public static final String BINARY = "/usr/bin/pgbackrest";

  /**
   * A network problem shows up within seconds instead of pgBackRest's minute-long default retries.
   */
  static final int IO_TIMEOUT_SECONDS = 5;

  private final LocalLayout layout;
  private final RuntimeUser user;

  public PgBackRest(LocalLayout layout, RuntimeUser user) {
    this.layout = layout;
    this.user = user;
  }

  public static void check() {
    if (!Files.isExecutable(Path.of(BINARY))) {
      throw new LocalRuntimeException(
          "backups need "
              + BINARY
              + "; install it (Debian/Ubuntu: apt-get install "
              + "pgbackrest), or remove WAL_S3_BUCKET to run without backups");
    }
  }

  public Path config(String member) {
    return layout.memberDir(member).resolve("pgbackrest.conf");
  }

  Path workDir() {
    return layout.dir().resolve("pgbackrest");
  }

  /**
   * The member's pgbackrest.conf: the repository in the bucket and the cluster's stanza on this
   * member.
   */
  public String render(BackupSettings s, String stanza, LocalState.Member m) {
    StringBuilder b = new StringBuilder("[global]\n");
    b.append("repo1-type=s3\n");
    b.append("repo1-s3-endpoint=").append(s.endpointHost()).append('\n');
    b.append("repo1-storage-port=").append(s.endpointPort()).append('\n');
    b.append("repo1-s3-bucket=").append(s.bucket()).append('\n');
    b.append("repo1-s3-region=").append(s.region()).append('\n');
    b.append("repo1-s3-key=").append(s.accessKey()).append('\n');
    b.append("repo1-s3-key-secret=").append(s.secretKey()).append('\n');
    b.append("repo1-s3-uri-style=").append(s.pathStyle() ? "path" : "host").append('\n');
    if (s.caFile() != null) {
      b.append("repo1-storage-ca-file=").append(s.caFile()).append('\n');
    }
    b.append("repo1-path=").append(BackupSettings.REPO_PATH).append('\n');
    b.append("repo1-retention-full=").append(s.retainFull()).append('\n');
    b.append("io-timeout=").append(IO_TIMEOUT_SECONDS).append('\n');
    b.append("log-path=").append(workDir().resolve("log")).append('\n');
    b.append("lock-path=").append(workDir().resolve("lock")).append('\n');
    b.append("spool-path=").append(workDir().resolve("spool")).append('\n');
    b.append("log-level-console=error\nlog-level-file=info\nstart-fast=y\n");
    b.append('\n').append('[').append(stanza).append("]\n");
    b.append("pg1-path=").append(layout.dataDir(m.name())).append('\n');
    b.append("pg1-port=").append(m.pgPort()).append('\n');
    b.append("pg1-socket-path=").append(layout.memberDir(m.name())).append('\n');
    return b.toString();
  }

  /** Writes the members' files (0600, the runtime user's). */
  public void write(BackupSettings s, LocalState state) {
    List<Path> owned = new ArrayList<>();
    for (String d : List.of("", "log", "lock", "spool")) {
      Path dir = d.isEmpty() ? workDir() : workDir().resolve(d);
      PrivateFiles.directory(dir);
      owned.add(dir);
    }
    for (LocalState.Member m : state.members()) {
      PrivateFiles.write(config(m.name()), render(s, state.name(), m));
      owned.add(config(m.name()));
    }
    user.own(owned.toArray(Path[]::new));
  }

  /** PostgreSQL's archive_command on a member. */
  public String archiveCommand(String stanza, String member) {
    return BINARY + " --config=" + config(member) + " --stanza=" + stanza + " archive-push %p";
  }

  /** A restore_command reading another cluster's (or this one's) archive. */
  public String restoreCommand(String stanza, String member) {
    return BINARY
        + " --config="
        + config(member)
        + " --stanza="
        + stanza
        + " --pg1-path="
        + layout.dataDir(member)
        + " archive-get %f \"%p\"";
  }

  /**
   * What the member's Patroni runs to bootstrap from {@code stanza}'s backups (Patroni then
   * recovers to the target).
   */
  public String restoreFilesCommand(String stanza, String set, String member) {
    return BINARY
        + " --config="
        + config(member)
        + " --stanza="
        + stanza
        + " --pg1-path="
        + layout.dataDir(member)
        + " --set="
        + set
        + " --type=none restore";
  }

  /**
   * Runs a pgBackRest command as the runtime user; its stdout, or a LocalRuntimeException with its
   * error.
   */
  public String run(String member, Duration timeout, String... args) {
    List<String> cmd = new ArrayList<>(List.of(BINARY, "--config=" + config(member)));
    cmd.addAll(List.of(args));
    Path out;
    Path err;
    try {
      out = Files.createTempFile("cornac-pgbackrest", ".out");
      err = Files.createTempFile("cornac-pgbackrest", ".err");
    } catch (IOException e) {
      throw new LocalRuntimeException("cannot create temporary files: " + e.getMessage(), e);
    }
    try {
      Process p =
          new ProcessBuilder(user.wrap(cmd))
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new LocalRuntimeException(
            "pgbackrest "
                + args[args.length - 1]
                + " did not finish within "
                + timeout.toSeconds()
                + " s; look at "
                + workDir().resolve("log"));
      }
      String stdout = Files.readString(out, StandardCharsets.UTF_8);
      String stderr = Files.readString(err, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new LocalRuntimeException(
            "pgbackrest "
                + args[args.length - 1]
                + " failed: "
                + errorLine(stderr + stdout)
                + hint(stderr + stdout));
      }
      return stdout;
    } catch (IOException e) {
      throw new LocalRuntimeException("cannot run " + BINARY + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LocalRuntimeException("interrupted");
    } finally {
      try {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      } catch (IOException e) {
        // temporary files
      }
    }
  }

  static String errorLine(String output) {
    for (String line : output.split("\n")) {
      int at = line.indexOf("ERROR: [");
      if (at >= 0) {
        return line.substring(at).strip();
      }
    }
    String trimmed = output.strip();
    return trimmed.isEmpty() ? "(no message)" : trimmed.lines().reduce((a, b) -> b).orElse(trimmed);
  }

  /** What to check for pgBackRest's usual complaints. */
  static String hint(String output) {
    String o = output.toLowerCase(Locale.ROOT);
    if (o.contains("403")
        || o.contains("accessdenied")
        || o.contains("signaturedoesnotmatch")
        || o.contains("invalidaccesskeyid")) {
      return "; check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY";
    }
    if (o.contains("nosuchbucket") || o.contains("404")) {
      return "; check that the bucket WAL_S3_BUCKET exists (create it on the S3 server first)";
    }
    if (o.contains("unable to connect")
        || o.contains("connection refused")
        || o.contains("timeout")
        || o.contains("unable to get address")) {
      return "; check AWS_ENDPOINT (is the S3 server up and reachable?)";
    }
    if (o.contains("unable to set user-defined ca certificate location")) {
      return "; the user running PostgreSQL cannot read AWS_CA_BUNDLE: a permission problem (chmod/chgrp the file so "
          + "that user can read it, or point AWS_CA_BUNDLE to a copy it can read)";
    }
    if (o.contains("unable to find hostname")) {
      return "; the endpoint's certificate does not name the host in AWS_ENDPOINT: a host name is needed, one the "
          + "certificate names (pgBackRest before 2.53 matches no IP address)";
    }
    if (o.contains("certificate")) {
      return "; check AWS_CA_BUNDLE (the CA of the endpoint's certificate) and that the certificate names the "
          + "endpoint's host";
    }
    return "";
  }

  /** One base backup as {@code pgbackrest info} lists it. */
  public record Backup(
      String label, String type, Instant start, Instant stop, long size, long repoSize) {}

  /**
   * The stanza's backups, oldest first, and its archive's WAL range; whether the stanza exists in
   * the repository (pgBackRest's status 0 "ok" or 2 "no valid backups").
   */
  public record Info(
      List<Backup> backups,
      Optional<String> walMin,
      Optional<String> walMax,
      boolean stanzaExists) {}

  public Info info(String member, String stanza) {
    String json =
        run(member, Duration.ofSeconds(60), "--stanza=" + stanza, "--output=json", "info");
    try {
      JsonNode root = ManifestMapper.json().readTree(json);
      List<Backup> backups = new ArrayList<>();
      Optional<String> min = Optional.empty();
      Optional<String> max = Optional.empty();
      boolean exists = false;
      for (JsonNode s : root) {
        int status = s.path("status").path("code").asInt(-1);
        exists |= status == 0 || status == 2;
        for (JsonNode b : s.path("backup")) {
          backups.add(
              new Backup(
                  b.path("label").asText(),
                  b.path("type").asText(),
                  Instant.ofEpochSecond(b.path("timestamp").path("start").asLong()),
                  Instant.ofEpochSecond(b.path("timestamp").path("stop").asLong()),
                  b.path("info").path("size").asLong(),
                  b.path("info").path("repository").path("size").asLong()));
        }
        for (JsonNode a : s.path("archive")) {
          if (a.hasNonNull("min")) {
            min = Optional.of(a.path("min").asText());
          }
          if (a.hasNonNull("max")) {
            max = Optional.of(a.path("max").asText());
          }
        }
      }
      return new Info(backups, min, max, exists);
    } catch (IOException e) {
      throw new LocalRuntimeException(
          "pgbackrest info answered something else than JSON: " + e.getMessage());
    }
  }
}
