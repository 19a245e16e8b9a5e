package dev.cornac.cli;

import dev.cornac.operator.switchover.DeclarativeRestart;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cornac restart <cluster>}: PostgreSQL restarted on every member through the operator,
 * replicas first.
 */
@Command(
    name = "restart",
    mixinStandardHelpOptions = true,
    description =
        "Restart PostgreSQL on every member of a cluster through the operator and Patroni: replicas first, "
            + "then the primary, in place (no switchover, no new pods).")
final class RestartCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin KubeOptions kube;

  @Parameters(index = "0", description = "cluster (postgresql resource) name")
  String name;

  @Option(
      names = "--timeout",
      defaultValue = "300",
      description = "seconds to wait for the operator " + "(default: ${DEFAULT-VALUE})")
  long timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    try (KubernetesClient client = kube.client()) {
      return OperatorRequest.send(
          client,
          kube.namespace(client),
          name,
          DeclarativeRestart.ANNOTATION,
          OperatorRequest.tagged("now"),
          DeclarativeRestart.CONDITION,
          timeoutSeconds,
          spec.commandLine().getOut(),
          spec.commandLine().getErr());
    } catch (ClusterLookup.NotFound e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return CliErrors.EXIT_ERROR;
    }
  }
}
