package dev.cornac.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code cornac}: the one entry point for the operator, the UI, offline rendering and the local
 * runtime.
 */
@Command(
    name = "cornac",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "Cornac: a PostgreSQL operator for Kubernetes, drop-in for the Zalando postgres-operator.",
    subcommands = {
      OperatorCommand.class,
      UiCommand.class,
      LocalCommand.class,
      ClusterStatusCommand.class,
      SwitchoverCommand.class,
      RestartCommand.class,
      ClusterPsqlCommand.class,
      RenderCommand.class,
      ValidateCommand.class,
      DiffCommand.class,
      CrdsCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main {
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /**
   * Runs a command line and returns its exit code; errors are printed as one clear message, never a
   * stack trace.
   */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine.getErr().println("error: " + CliErrors.describeChain(e));
          return CliErrors.EXIT_ERROR;
        });
    return cli.execute(args);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"cornac " + (v == null ? "development build" : v)};
    }
  }
}
