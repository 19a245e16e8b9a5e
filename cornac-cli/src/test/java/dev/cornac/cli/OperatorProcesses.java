package dev.cornac.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code cornac operator} as real processes, as a Deployment or a developer runs it: each with its
 * own log file, all SIGKILLed when the test ends.
 */
final class OperatorProcesses implements AutoCloseable {
  private final Path dir;
  private final List<Process> started = new ArrayList<>();

  OperatorProcesses(Path dir) {
    this.dir = dir;
  }

  /**
   * Starts one with upstream's ConfigMap mode; {@code env} adds or overrides variables; {@code
   * args} adds flags.
   */
  Process start(
      String name, Path kubeconfig, String namespace, Map<String, String> env, String... args)
      throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "operator",
                "--kubeconfig",
                kubeconfig.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log(name).toFile());
    pb.environment().put("CONFIG_MAP_NAME", "postgres-operator");
    pb.environment().put("OPERATOR_NAMESPACE", namespace);
    // The pod name in a Deployment; processes on one machine would otherwise share the host's name
    // as identity.
    pb.environment().put("HOSTNAME", name);
    pb.environment().putAll(env);
    Process p = pb.start();
    synchronized (started) {
      started.add(p);
    }
    return p;
  }

  Path log(String name) {
    return dir.resolve("operator-" + name + ".log");
  }

  String logText(String name) throws IOException {
    return Files.readString(log(name), StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws InterruptedException {
    synchronized (started) {
      started.forEach(Process::destroyForcibly);
      for (Process p : started) {
        p.waitFor();
      }
    }
  }
}
