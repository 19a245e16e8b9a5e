package dev.cornac.cli;

import dev.cornac.api.model.Postgresql;
import dev.cornac.dataplane.wait.Poll;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A request to the operator the declarative way: an annotation on the postgresql resource, tagged
 * so that each invocation is a new request, then the wait for the status condition that reports its
 * outcome.
 */
final class OperatorRequest {
  private static final DateTimeFormatter TAG_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

  private OperatorRequest() {}

  /**
   * The request with a tag of its own: the time says when it was asked, the random part keeps two
   * requests asked within the same second apart (the operator acts once per value, and the CLI
   * waits for its value's outcome).
   */
  static String tagged(String request) {
    return request
        + " #"
        + TAG_TIME.format(Instant.now())
        + "-"
        + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  }

  static int send(
      KubernetesClient client,
      String ns,
      String name,
      String annotation,
      String value,
      String conditionType,
      long timeoutSeconds,
      PrintWriter out,
      PrintWriter err)
      throws InterruptedException {
    ClusterLookup.find(client, ns, name);
    client
        .resources(Postgresql.class)
        .inNamespace(ns)
        .withName(name)
        .edit(
            pg -> {
              Map<String, String> annotations =
                  new LinkedHashMap<>(
                      pg.getMetadata().getAnnotations() == null
                          ? Map.of()
                          : pg.getMetadata().getAnnotations());
              annotations.put(annotation, value);
              pg.getMetadata().setAnnotations(annotations);
              return pg;
            });
    err.println("  asked the operator: " + annotation + "=\"" + value + "\"; waiting ...");
    err.flush();
    String prefix = "\"" + value + "\": ";
    Optional<Condition> outcome =
        Poll.within(
            Duration.ofSeconds(timeoutSeconds),
            Duration.ofMillis(500),
            () -> outcome(client, ns, name, conditionType, prefix),
            e -> false);
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
    err.println(
        "error: the operator did not act on the request within "
            + timeoutSeconds
            + " s; check that it "
            + "runs and watches namespace "
            + ns
            + " (kubectl get pods -A -l name=postgres-operator), then see "
            + "`cornac status "
            + name
            + " -n "
            + ns
            + "`");
    return CliErrors.EXIT_ERROR;
  }

  private static Optional<Condition> outcome(
      KubernetesClient client, String ns, String name, String type, String prefix) {
    Postgresql pg = client.resources(Postgresql.class).inNamespace(ns).withName(name).get();
    if (pg == null || pg.getStatus() == null || pg.getStatus().conditions == null) {
      return Optional.empty();
    }
    return pg.getStatus().conditions.stream()
        .filter(
            c ->
                type.equals(c.getType())
                    && c.getMessage() != null
                    && c.getMessage().startsWith(prefix))
        .findFirst();
  }
}
