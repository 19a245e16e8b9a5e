package dev.cornac.cli;

import dev.cornac.local.LocalHome;
import dev.cornac.local.LocalRuntime;
import dev.cornac.local.LocalRuntimeException;
import dev.cornac.local.LocalState;
import dev.cornac.local.LocalStatus;
import dev.cornac.local.PostgresInstallation;
import dev.cornac.local.RuntimeUser;
import dev.cornac.local.Table;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code cornac local}: a postgresql manifest as a real Patroni cluster on this machine, no
 * Kubernetes needed.
 */
@Command(
    name = "local",
    mixinStandardHelpOptions = true,
    description =
        "Run a postgresql manifest as a real Patroni + PostgreSQL cluster on this machine.",
    subcommands = {
      LocalCommand.Up.class,
      LocalCommand.Apply.class,
      LocalCommand.Status.class,
      LocalCommand.Switchover.class,
      LocalCommand.Restart.class,
      LocalCommand.Psql.class,
      LocalCommand.Logs.class,
      LocalCommand.Down.class,
      LocalCommand.ListClusters.class,
      LocalBackupCommands.Backup.class,
      LocalBackupCommands.Backups.class,
      LocalBackupCommands.Restore.class
    })
final class LocalCommand {
  @Spec CommandSpec spec;

  @Option(
      names = "--state-dir",
      scope = picocli.CommandLine.ScopeType.INHERIT,
      description =
          "where clusters live (default: $CORNAC_LOCAL_HOME, /var/lib/cornac/local for root, "
              + "else ~/.local/share/cornac)")
  Path stateDir;

  LocalRuntime runtime(PrintStream progress) {
    quietLibraries();
    RuntimeUser user = RuntimeUser.current();
    return new LocalRuntime(
        LocalHome.resolve(stateDir, System.getenv(), user),
        user,
        PostgresInstallation.system(),
        progress);
  }

  /**
   * The statements a sync runs are the operator's log lines; a terminal user reads progress
   * instead.
   */
  private static void quietLibraries() {
    if (System.getenv("CORNAC_LOG_LEVEL") == null
        && LoggerFactory.getLogger("dev.cornac") instanceof ch.qos.logback.classic.Logger logger) {
      logger.setLevel(ch.qos.logback.classic.Level.WARN);
    }
  }

  /** Runs a verb; a problem the user can fix is one clear line on stderr, never a stack trace. */
  static int guarded(CommandSpec spec, Callable<Integer> verb) throws Exception {
    try {
      return verb.call();
    } catch (LocalRuntimeException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return CliErrors.EXIT_ERROR;
    }
  }

  /**
   * {@code -o json} (true) or {@code -o table} (false); anything else is refused with the two
   * choices.
   */
  static boolean json(String output) {
    if (!output.equals("table") && !output.equals("json")) {
      throw new LocalRuntimeException(
          "-o " + output + " is not supported; use -o table or -o json");
    }
    return output.equals("json");
  }

  static PrintStream stderr(CommandSpec spec) {
    PrintWriter err = spec.commandLine().getErr();
    return new PrintStream(
        new OutputStream() {
          @Override
          public void write(int b) {
            err.write(b);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            err.write(new String(b, off, len, StandardCharsets.UTF_8));
          }

          @Override
          public void flush() {
            err.flush();
          }
        },
        true,
        StandardCharsets.UTF_8);
  }

  abstract static class ManifestVerb {
    @Spec CommandSpec spec;
    @ParentCommand LocalCommand parent;

    @Option(
        names = {"-f", "--filename"},
        required = true,
        description = "postgresql manifest (YAML or JSON)")
    Path file;

    @Option(
        names = "--config",
        description =
            "operator configuration (ConfigMap or OperatorConfiguration file); "
                + "remembered for the cluster")
    Path config;

    @Option(
        names = "--postgres-version",
        description =
            "run this installed PostgreSQL major version instead of " + "spec.postgresql.version")
    String postgresVersion;

    @Option(
        names = "--env-file",
        description =
            "KEY=VALUE file with the pod environment of the seed's "
                + "pod_environment_configmap/secret (WAL_S3_BUCKET, AWS_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, "
                + "AWS_CA_BUNDLE, BACKUP_SCHEDULE, ...): continuous archiving and base backups to S3; remembered, kept 0600")
    Path envFile;

    LocalRuntime.ApplyOptions options() {
      return new LocalRuntime.ApplyOptions(file, config, postgresVersion, envFile);
    }

    void printConnection(LocalRuntime runtime, LocalRuntime.Outcome outcome) {
      printConnection(spec, runtime, outcome);
    }

    static void printConnection(
        CommandSpec spec, LocalRuntime runtime, LocalRuntime.Outcome outcome) {
      PrintWriter out = spec.commandLine().getOut();
      LocalState s = outcome.state();
      var c = outcome.cluster();
      String hosts =
          String.join(
              ",", s.membersByOrdinal().stream().map(m -> "127.0.0.1:" + m.pgPort()).toList());
      String database =
          c.spec().databases == null || c.spec().databases.isEmpty()
              ? "postgres"
              : c.spec().databases.keySet().stream().sorted().findFirst().orElseThrow();
      String role =
          c.spec().databases == null || c.spec().databases.isEmpty()
              ? c.config().superUsername()
              : c.spec().databases.get(database);
      out.println();
      out.println("Connect to " + outcome.name() + ":");
      List<String[]> rows = new ArrayList<>();
      rows.add(
          new String[] {
            "  primary (read-write)",
            "postgresql://"
                + role
                + "@"
                + hosts
                + "/"
                + database
                + "?target_session_attrs=read-write"
          });
      if (s.members().size() > 1) {
        rows.add(
            new String[] {
              "  replicas (read-only)",
              "postgresql://"
                  + role
                  + "@"
                  + hosts
                  + "/"
                  + database
                  + "?target_session_attrs=standby"
            });
      }
      if (s.masterPooler().enabled()) {
        rows.add(
            new String[] {
              "  pooler (primary)",
              "postgresql://" + role + "@127.0.0.1:" + s.masterPooler().port() + "/" + database
            });
      }
      if (s.replicaPooler().enabled()) {
        rows.add(
            new String[] {
              "  pooler (replicas)",
              "postgresql://" + role + "@127.0.0.1:" + s.replicaPooler().port() + "/" + database
            });
      }
      for (LocalState.Member m : s.membersByOrdinal()) {
        rows.add(
            new String[] {
              "  metrics (" + m.name() + ")", "http://127.0.0.1:" + m.exporterPort() + "/metrics"
            });
      }
      var layout = runtime.layout(outcome.name());
      rows.add(
          new String[] {
            "  passwords",
            "export PGPASSFILE="
                + layout.pgpass()
                + "   (all roles; JSON: "
                + layout.credentials()
                + ")"
          });
      rows.add(
          new String[] {
            "  psql", "cornac local psql " + outcome.name() + " [--replica] [-d DB] [-U ROLE]"
          });
      rows.add(new String[] {"  status", "cornac local status " + outcome.name()});
      rows.add(
          new String[] {
            "  stop", "cornac local down " + outcome.name() + "   (data kept; --purge removes it)"
          });
      out.print(Table.render(rows));
      out.flush();
    }
  }

  @Command(
      name = "up",
      mixinStandardHelpOptions = true,
      description =
          "Bring a manifest up as a local cluster and return once it is ready; it keeps running in the "
              + "background.")
  static final class Up extends ManifestVerb implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      return guarded(
          spec,
          () -> {
            LocalRuntime runtime = parent.runtime(stderr(spec));
            printConnection(runtime, runtime.up(options()));
            return CliErrors.EXIT_OK;
          });
    }
  }

  @Command(
      name = "apply",
      mixinStandardHelpOptions = true,
      description =
          "Re-apply a changed manifest to a running local cluster: parameters (restarting members when "
              + "needed), users, databases, poolers, scaling up and down.")
  static final class Apply extends ManifestVerb implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      return guarded(
          spec,
          () -> {
            LocalRuntime runtime = parent.runtime(stderr(spec));
            LocalRuntime.Outcome outcome = runtime.apply(options());
            PrintWriter out = spec.commandLine().getOut();
            if (outcome.actions().isEmpty()) {
              out.println("no change inside PostgreSQL was needed");
            } else {
              outcome.actions().forEach(a -> out.println("  " + a));
            }
            out.flush();
            return CliErrors.EXIT_OK;
          });
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description =
          "Members, roles, state, lag, timeline, pending restarts and addresses of a local cluster.")
  static final class Status implements Callable<Integer> {
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
            boolean json = json(output);
            LocalStatus status = parent.runtime(stderr(spec)).status(name);
            spec.commandLine().getOut().print(json ? status.toJson() + "\n" : status.toTable());
            spec.commandLine().getOut().flush();
            return CliErrors.EXIT_OK;
          });
    }
  }

  @Command(
      name = "switchover",
      mixinStandardHelpOptions = true,
      description = "Move the primary to another member (the best replica unless --to names one).")
  static final class Switchover implements Callable<Integer> {
    @Spec CommandSpec spec;
    @ParentCommand LocalCommand parent;

    @Parameters(index = "0", description = "cluster name")
    String name;

    @Option(names = "--to", description = "member to promote")
    String to;

    @Override
    public Integer call() throws Exception {
      return guarded(
          spec,
          () -> {
            String leader = parent.runtime(stderr(spec)).switchover(name, Optional.ofNullable(to));
            spec.commandLine().getOut().println(leader + " is now the primary of " + name);
            spec.commandLine().getOut().flush();
            return CliErrors.EXIT_OK;
          });
    }
  }

  @Command(
      name = "restart",
      mixinStandardHelpOptions = true,
      description =
          "Restart every member's PostgreSQL: replicas first, then one switchover, then the old primary. "
              + "Makes a minor update of the installed PostgreSQL take effect (`status` shows the members "
              + "that run an older version).")
  static final class Restart implements Callable<Integer> {
    @Spec CommandSpec spec;
    @ParentCommand LocalCommand parent;

    @Parameters(index = "0", description = "cluster name")
    String name;

    @Override
    public Integer call() throws Exception {
      return guarded(
          spec,
          () -> {
            parent.runtime(stderr(spec)).restart(name);
            spec.commandLine().getOut().println("restarted every member of " + name);
            spec.commandLine().getOut().flush();
            return CliErrors.EXIT_OK;
          });
    }
  }

  @Command(
      name = "psql",
      mixinStandardHelpOptions = true,
      description =
          "Open psql on the primary (or a replica), with the cluster's password file. Arguments after -- "
              + "go to psql, e.g. -- -c 'select 1'.")
  static final class Psql implements Callable<Integer> {
    @Spec CommandSpec spec;
    @ParentCommand LocalCommand parent;

    @Parameters(index = "0", description = "cluster name")
    String name;

    @Parameters(index = "1..*", description = "extra psql arguments (after --)")
    List<String> extra = new ArrayList<>();

    @Option(names = "--replica", description = "connect to a replica")
    boolean replica;

    @Option(
        names = {"-d", "--dbname"},
        description = "database (default: postgres)")
    String database;

    @Option(
        names = {"-U", "--username"},
        description = "role (default: the superuser)")
    String role;

    @Override
    public Integer call() throws Exception {
      return guarded(
          spec,
          () -> {
            ProcessBuilder pb =
                parent.runtime(stderr(spec)).psql(name, replica, database, role, extra);
            return PsqlProcess.run(spec, pb);
          });
    }
  }

  @Command(
      name = "logs",
      mixinStandardHelpOptions = true,
      description =
          "Show a log: the supervisor's by default, or a member's (Patroni and PostgreSQL), etcd, "
              + "exporter, pooler-master, pooler-replica.")
  static final class Logs implements Callable<Integer> {
    @Spec CommandSpec spec;
    @ParentCommand LocalCommand parent;

    @Parameters(index = "0", description = "cluster name")
    String name;

    @Parameters(index = "1", arity = "0..1", description = "member or component")
    String component;

    @Option(
        names = "--tail",
        defaultValue = "100",
        description = "last lines to show (default: ${DEFAULT-VALUE})")
    int tail;

    @Option(
        names = {"-f", "--follow"},
        description = "keep printing new lines")
    boolean follow;

    @Override
    public Integer call() throws Exception {
      return guarded(
          spec,
          () -> {
            Path log = parent.runtime(stderr(spec)).log(name, component);
            PrintWriter out = spec.commandLine().getOut();
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            lines.subList(Math.max(0, lines.size() - tail), lines.size()).forEach(out::println);
            out.flush();
            if (follow) {
              long position = Files.size(log);
              while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(500);
                long size = Files.size(log);
                if (size < position) {
                  position = 0;
                }
                if (size > position) {
                  try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
                    f.seek(position);
                    byte[] chunk = new byte[(int) (size - position)];
                    f.readFully(chunk);
                    out.print(new String(chunk, StandardCharsets.UTF_8));
                    out.flush();
                  }
                  position = size;
                }
              }
            }
            return CliErrors.EXIT_OK;
          });
    }
  }

  @Command(
      name = "down",
      mixinStandardHelpOptions = true,
      description = "Stop a local cluster. Its data and passwords are kept unless --purge.")
  static final class Down implements Callable<Integer> {
    @Spec CommandSpec spec;
    @ParentCommand LocalCommand parent;

    @Parameters(index = "0", description = "cluster name")
    String name;

    @Option(names = "--purge", description = "also delete its directory: data, passwords, logs")
    boolean purge;

    @Override
    public Integer call() throws Exception {
      return guarded(
          spec,
          () -> {
            spec.commandLine().getOut().println(parent.runtime(stderr(spec)).down(name, purge));
            spec.commandLine().getOut().flush();
            return CliErrors.EXIT_OK;
          });
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Local clusters, running or stopped.")
  static final class ListClusters implements Callable<Integer> {
    @Spec CommandSpec spec;
    @ParentCommand LocalCommand parent;

    @Override
    public Integer call() throws Exception {
      return guarded(
          spec,
          () -> {
            LocalRuntime runtime = parent.runtime(stderr(spec));
            List<LocalStatus> all = runtime.list();
            PrintWriter out = spec.commandLine().getOut();
            if (all.isEmpty()) {
              out.println(
                  "no local clusters in "
                      + runtime.home()
                      + "; create one with `cornac local up -f MANIFEST`");
            } else {
              List<String[]> rows = new ArrayList<>();
              rows.add(new String[] {"NAME", "STATUS", "MEMBERS", "VERSION", "PORTS", "DIRECTORY"});
              for (LocalStatus s : all) {
                rows.add(
                    new String[] {
                      s.name(),
                      s.running() ? "running" : "stopped",
                      Integer.toString(s.members().size()),
                      s.postgresVersion(),
                      String.join(
                          ",", s.members().stream().map(m -> Integer.toString(m.port())).toList()),
                      s.directory()
                    });
              }
              out.print(Table.render(rows));
            }
            out.flush();
            return CliErrors.EXIT_OK;
          });
    }
  }
}
