package dev.cornac.cli;

import static dev.cornac.cli.LocalCommand.guarded;
import static dev.cornac.cli.LocalCommand.stderr;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.local.LocalRuntime;
import dev.cornac.local.LocalRuntimeException;
import dev.cornac.local.PgBackRest;
import dev.cornac.local.Table;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code cornac local backup|backups|restore}: base backups to S3 and point-in-time restores as new
 * clusters.
 */
final class LocalBackupCommands {
  private LocalBackupCommands() {}

  @Command(
      name = "backup",
      mixinStandardHelpOptions = true,
      description =
          "Take a base backup of a local cluster now (full, or --incremental on top of the last one).")
  static final class Backup implements Callable<Integer> {
    @Spec CommandSpec spec;
    @ParentCommand LocalCommand parent;

    @Parameters(index = "0", description = "cluster name")
    String name;

    @Option(names = "--incremental", description = "only what changed since the last backup")
    boolean incremental;

    @Override
    public Integer call() throws Exception {
      return guarded(
          spec,
          () -> {
            PgBackRest.Backup b = parent.runtime(stderr(spec)).backup(name, incremental);
            spec.commandLine()
                .getOut()
                .println(
                    "backup "
                        + b.label()
                        + " ("
                        + b.type()
                        + ") of "
                        + name
                        + " done at "
                        + b.stop());
            spec.commandLine().getOut().flush();
            return CliErrors.EXIT_OK;
          });
    }
  }

  @Command(
      name = "backups",
      mixinStandardHelpOptions = true,
      description = "List a local cluster's base backups and the times it can be restored to.")
  static final class Backups implements Callable<Integer> {
    @Spec CommandSpec spec;
    @ParentCommand LocalCommand parent;

    @Parameters(index = "0", description = "cluster name")
    String name;

    @Option(
        names = {"-o", "--output"},
        defaultValue = "table",
        description = "table or json")
    String output;

    @Override
    public Integer call() throws Exception {
      return guarded(
          spec,
          () -> {
            boolean json = LocalCommand.json(output);
            LocalRuntime.BackupList list = parent.runtime(stderr(spec)).backups(name);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
              ObjectNode root = ManifestMapper.json().createObjectNode();
              ArrayNode backups = root.putArray("backups");
              list.backups()
                  .forEach(
                      b ->
                          backups
                              .addObject()
                              .put("label", b.label())
                              .put("type", b.type())
                              .put("start", b.start().toString())
                              .put("stop", b.stop().toString())
                              .put("size", b.size())
                              .put("repositorySize", b.repoSize()));
              root.put("earliest", list.earliest().map(Instant::toString).orElse(null));
              root.put("latest", list.latest().map(Instant::toString).orElse(null));
              out.println(root.toPrettyString());
            } else {
              List<String[]> rows = new ArrayList<>();
              rows.add(new String[] {"BACKUP", "TYPE", "STARTED", "FINISHED", "SIZE", "IN S3"});
              list.backups()
                  .forEach(
                      b ->
                          rows.add(
                              new String[] {
                                b.label(),
                                b.type(),
                                b.start().toString(),
                                b.stop().toString(),
                                mib(b.size()),
                                mib(b.repoSize())
                              }));
              out.print(Table.render(rows));
              out.println(
                  "restorable from "
                      + list.earliest().map(Instant::toString).orElse("(no backup yet)")
                      + " to "
                      + list.latest()
                          .map(Instant::toString)
                          .orElse("the last archived WAL (cluster stopped: unknown)"));
              out.println(
                  "restore with: cornac local restore " + name + " --to <time> --as <new-name>");
            }
            out.flush();
            return CliErrors.EXIT_OK;
          });
    }

    private static String mib(long bytes) {
      return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
  }

  @Command(
      name = "restore",
      mixinStandardHelpOptions = true,
      description =
          "Create a new local cluster from a cluster's backups and WAL archive, recovered to a point in "
              + "time. The source is not touched.")
  static final class Restore implements Callable<Integer> {
    @Spec CommandSpec spec;
    @ParentCommand LocalCommand parent;

    @Parameters(index = "0", description = "cluster whose backups to restore")
    String name;

    @Option(
        names = "--to",
        required = true,
        description = "time to recover to, ISO-8601 with an offset, e.g. 2026-11-28T07:30:00Z")
    String to;

    @Option(names = "--as", required = true, description = "name of the new cluster")
    String as;

    @Override
    public Integer call() throws Exception {
      return guarded(
          spec,
          () -> {
            Instant at;
            try {
              at = OffsetDateTime.parse(to).toInstant();
            } catch (DateTimeParseException e) {
              throw new LocalRuntimeException(
                  "--to "
                      + to
                      + " is not an ISO-8601 time with an offset; for example "
                      + "2026-11-28T07:30:00Z or 2026-11-28T08:30:00+01:00");
            }
            LocalRuntime runtime = parent.runtime(stderr(spec));
            LocalCommand.ManifestVerb.printConnection(spec, runtime, runtime.restore(name, at, as));
            return CliErrors.EXIT_OK;
          });
    }
  }
}
