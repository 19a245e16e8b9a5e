package dev.cornac.cli;

import dev.cornac.operator.switchover.DeclarativeSwitchover;
import dev.cornac.operator.switchover.SwitchoverRequest;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cornac switchover <cluster>}: asks the operator for a switchover the declarative way (the
 * {@code cornac.dev/switchover} annotation, tagged so that it is a new request) and waits for its
 * outcome.
 */
@Command(
    name = "switchover",
    mixinStandardHelpOptions = true,
    description =
        "Switch a cluster's primary to another pod (the best replica unless --to names one), through the "
            + "operator; --at schedules it.")
final class SwitchoverCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin KubeOptions kube;

  @Parameters(index = "0", description = "cluster (postgresql resource) name")
  String name;

  @Option(names = "--to", description = "pod to promote")
  String to;

  @Option(names = "--at", description = "when, ISO-8601 with an offset (e.g. 2026-12-01T02:00:00Z)")
  String at;

  @Option(
      names = "--timeout",
      defaultValue = "120",
      description = "seconds to wait for the operator " + "(default: ${DEFAULT-VALUE})")
  long timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String target =
        (to == null ? (at == null ? "now" : "") : to)
            + (at == null ? "" : (to == null ? "at " : " at ") + at);
    String value = OperatorRequest.tagged(target);
    try {
      SwitchoverRequest.parse(value);
    } catch (IllegalArgumentException e) {
      err.println(
          "error: "
              + e.getMessage()
                  .replace("annotation " + SwitchoverRequest.ANNOTATION + ": ", "--at: "));
      return CliErrors.EXIT_ERROR;
    }
    try (KubernetesClient client = kube.client()) {
      return OperatorRequest.send(
          client,
          kube.namespace(client),
          name,
          SwitchoverRequest.ANNOTATION,
          value,
          DeclarativeSwitchover.CONDITION,
          timeoutSeconds,
          out,
          err);
    } catch (ClusterLookup.NotFound e) {
      err.println("error: " + e.getMessage());
      return CliErrors.EXIT_ERROR;
    }
  }
}
