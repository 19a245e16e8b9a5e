package dev.cornac.cli;

import dev.cornac.api.model.Postgresql;
import dev.cornac.operator.switchover.DeclarativeSwitchover;
import dev.cornac.operator.switchover.SwitchoverRequest;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cornac switchover <cluster>}: asks the operator for a switchover the declarative way (the
 * {@code cornac.dev/switchover} annotation, tagged so that it is a new request) and waits for its outcome.
 */
@Command(name = "switchover", mixinStandardHelpOptions = true,
    description = "Switch a cluster's primary to another pod (the best replica unless --to names one), through the "
        + "operator; --at schedules it.")
final class SwitchoverCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin KubeOptions kube;
  @Parameters(index = "0", description = "cluster (postgresql resource) name") String name;
  @Option(names = "--to", description = "pod to promote") String to;
  @Option(names = "--at", description = "when, ISO-8601 with an offset (e.g. 2026-12-01T02:00:00Z)") String at;
  @Option(names = "--timeout", defaultValue = "120", description = "seconds to wait for the operator "
      + "(default: ${DEFAULT-VALUE})") long timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String target = (to == null ? (at == null ? "now" : "") : to) + (at == null ? "" : (to == null ? "at " : " at ") + at);
    // The tag makes each invocation a new request: the operator acts once per annotation value.
    String value = target + " #" + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").format(OffsetDateTime.now(ZoneOffset.UTC));
    try {
      SwitchoverRequest.parse(value);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage().replace("annotation " + SwitchoverRequest.ANNOTATION + ": ", "--at: "));
      return CliErrors.EXIT_ERROR;
    }
    try (KubernetesClient client = kube.client()) {
      String ns = kube.namespace(client);
      ClusterLookup.find(client, ns, name);
      client.resources(Postgresql.class).inNamespace(ns).withName(name).edit(pg -> {
        pg.getMetadata().setAnnotations(new java.util.LinkedHashMap<>(pg.getMetadata().getAnnotations() == null
            ? Map.of() : pg.getMetadata().getAnnotations()));
        pg.getMetadata().getAnnotations().put(SwitchoverRequest.ANNOTATION, value);
        return pg;
      });
      err.println("  asked the operator: " + SwitchoverRequest.ANNOTATION + "=\"" + value + "\"; waiting ...");
      err.flush();
      Instant deadline = Instant.now().plus(Duration.ofSeconds(timeoutSeconds));
      String prefix = "\"" + value + "\": ";
      while (Instant.now().isBefore(deadline)) {
        Optional<Condition> outcome = outcome(client, ns, prefix);
        if (outcome.isPresent()) {
          String message = outcome.get().getMessage().substring(prefix.length());
          if ("True".equals(outcome.get().getStatus())) {
            out.println(message);
            out.flush();
            return CliErrors.EXIT_OK;
          }
          err.println("error: " + message);
          return CliErrors.EXIT_ERROR;
        }
        Thread.sleep(500);
      }
      err.println("error: the operator did not act on the request within " + timeoutSeconds + " s; check that it "
          + "runs and watches namespace " + ns + " (kubectl get pods -A -l name=postgres-operator), then see "
          + "`cornac status " + name + " -n " + ns + "`");
      return CliErrors.EXIT_ERROR;
    } catch (ClusterLookup.NotFound e) {
      err.println("error: " + e.getMessage());
      return CliErrors.EXIT_ERROR;
    }
  }

  private Optional<Condition> outcome(KubernetesClient client, String ns, String prefix) {
    Postgresql pg = client.resources(Postgresql.class).inNamespace(ns).withName(name).get();
    if (pg == null || pg.getStatus() == null || pg.getStatus().conditions == null) {
      return Optional.empty();
    }
    return pg.getStatus().conditions.stream().filter(c -> DeclarativeSwitchover.CONDITION.equals(c.getType())
        && c.getMessage() != null && c.getMessage().startsWith(prefix)).findFirst();
  }
}
