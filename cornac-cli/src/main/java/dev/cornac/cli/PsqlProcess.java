package dev.cornac.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Runs psql for a command: attached to the terminal when there is one, else through the command's
 * own streams.
 */
final class PsqlProcess {
  private PsqlProcess() {}

  static int run(CommandSpec spec, ProcessBuilder pb) throws IOException, InterruptedException {
    if (System.console() != null) {
      return pb.inheritIO().start().waitFor();
    }
    // Not a terminal (a script, a test): pass psql's output through our own streams.
    pb.redirectInput(ProcessBuilder.Redirect.INHERIT)
        .redirectOutput(ProcessBuilder.Redirect.PIPE)
        .redirectError(ProcessBuilder.Redirect.PIPE);
    Process p = pb.start();
    var errors = new CompletableFuture<String>();
    Thread drain =
        new Thread(
            () -> {
              try {
                errors.complete(
                    new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
              } catch (IOException e) {
                errors.complete("");
              }
            },
            "psql-stderr");
    drain.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int code = p.waitFor();
    drain.join();
    spec.commandLine().getOut().print(out);
    spec.commandLine().getOut().flush();
    spec.commandLine().getErr().print(errors.join());
    spec.commandLine().getErr().flush();
    return code;
  }
}
