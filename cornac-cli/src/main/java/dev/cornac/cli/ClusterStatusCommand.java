package dev.cornac.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cornac.api.events.EventTimes;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.api.model.Postgresql;
import dev.cornac.dataplane.patroni.ClusterMember;
import dev.cornac.generators.plan.RollingUpdateMark;
import dev.cornac.local.Table;
import dev.cornac.operator.kubernetes.PortForwardEndpoints;
import dev.cornac.operator.switchover.PodMembers;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cornac status <cluster>}: a cluster on Kubernetes as the operator left it, from the API
 * server.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description =
        "Show a postgresql cluster on Kubernetes: status and conditions, pods with their Patroni roles, "
            + "pending rolling updates, services, secret names and recent events.")
final class ClusterStatusCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin KubeOptions kube;
  @Mixin ClusterLabelOptions clusterLabels;

  @Parameters(index = "0", description = "cluster (postgresql resource) name")
  String name;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "table",
      description = "table or json")
  String output;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!output.equals("table") && !output.equals("json")) {
      err.println("error: -o " + output + " is not supported; use -o table or -o json");
      return CliErrors.EXIT_ERROR;
    }
    try (KubernetesClient client = kube.client()) {
      String ns = kube.namespace(client);
      Postgresql pg = ClusterLookup.find(client, ns, name);
      String label = clusterLabels.clusterName();
      List<Pod> pods =
          new ArrayList<>(client.pods().inNamespace(ns).withLabel(label, name).list().getItems());
      pods.sort(Comparator.comparing(p -> p.getMetadata().getName()));
      List<Service> services =
          client.services().inNamespace(ns).withLabel(label, name).list().getItems();
      List<Secret> secrets =
          client.secrets().inNamespace(ns).withLabel(label, name).list().getItems();
      List<Event> events =
          client.v1().events().inNamespace(ns).list().getItems().stream()
              .filter(
                  e ->
                      e.getInvolvedObject() != null && name.equals(e.getInvolvedObject().getName()))
              .sorted(Comparator.comparing(ClusterStatusCommand::eventTime))
              .toList();
      events = events.subList(Math.max(0, events.size() - 10), events.size());
      Map<String, ClusterMember> members =
          patroniView(client, ns, pods, clusterLabels.podRole(), err);
      ObjectNode view = view(pg, pods, members, services, secrets, events, clusterLabels.podRole());
      if (output.equals("json")) {
        out.println(view.toPrettyString());
      } else {
        printTable(out, view);
      }
      out.flush();
      return CliErrors.EXIT_OK;
    } catch (ClusterLookup.NotFound e) {
      err.println("error: " + e.getMessage());
      return CliErrors.EXIT_ERROR;
    }
  }

  /**
   * Patroni's own view of the members ({@code GET /cluster}), asked through a port-forward to one
   * running pod, the primary's first; empty, with a note on stderr, when no member answers.
   */
  private static Map<String, ClusterMember> patroniView(
      KubernetesClient client, String ns, List<Pod> pods, String roleLabel, PrintWriter err) {
    List<Pod> running =
        pods.stream()
            .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
            .sorted(Comparator.comparing(p -> "master".equals(labels(p).get(roleLabel)) ? 0 : 1))
            .toList();
    String failure = "no pod is running";
    try (PortForwardEndpoints forwards = new PortForwardEndpoints(client, ns)) {
      for (Pod p : running) {
        try {
          Map<String, ClusterMember> byName = new LinkedHashMap<>();
          forwards.patroni(PodMembers.address(p)).cluster().forEach(m -> byName.put(m.name(), m));
          return byName;
        } catch (RuntimeException e) {
          failure = p.getMetadata().getName() + ": " + CliErrors.describe(e);
        }
      }
    }
    err.println("note: Patroni did not answer (" + failure + "); roles below are the pod labels");
    err.flush();
    return Map.of();
  }

  private static Map<String, String> labels(Pod p) {
    return p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels();
  }

  static ObjectNode view(
      Postgresql pg,
      List<Pod> pods,
      Map<String, ClusterMember> patroni,
      List<Service> services,
      List<Secret> secrets,
      List<Event> events,
      String roleLabel) {
    ObjectNode v = ManifestMapper.json().createObjectNode();
    v.put("name", pg.getMetadata().getName());
    v.put("namespace", pg.getMetadata().getNamespace());
    v.put(
        "status",
        pg.getStatus() == null || pg.getStatus().postgresClusterStatus == null
            ? "(none yet)"
            : pg.getStatus().postgresClusterStatus);
    v.put("version", pg.getSpec().postgresql == null ? "" : pg.getSpec().postgresql.version);
    v.put("instances", pg.getSpec().numberOfInstances == null ? 0 : pg.getSpec().numberOfInstances);
    ArrayNode conditions = v.putArray("conditions");
    if (pg.getStatus() != null && pg.getStatus().conditions != null) {
      for (Condition c : pg.getStatus().conditions) {
        conditions
            .addObject()
            .put("type", c.getType())
            .put("status", c.getStatus())
            .put("reason", c.getReason())
            .put("message", c.getMessage());
      }
    }
    ArrayNode members = v.putArray("pods");
    for (Pod p : pods) {
      ObjectNode member =
          members
              .addObject()
              .put("name", p.getMetadata().getName())
              .put("role", labels(p).getOrDefault(roleLabel, "-"));
      ClusterMember m = patroni.get(p.getMetadata().getName());
      if (m != null) {
        member.put("state", m.state()).put("pendingRestart", m.pendingRestart());
        if (m.timeline().isPresent()) {
          member.put("timeline", m.timeline().getAsInt());
        }
        if (m.lag().isPresent()) {
          member.put("lagBytes", m.lag().getAsLong());
        }
      }
      member
          .put("phase", p.getStatus() == null ? "-" : String.valueOf(p.getStatus().getPhase()))
          .put(
              "ip",
              p.getStatus() == null || p.getStatus().getPodIP() == null
                  ? "-"
                  : p.getStatus().getPodIP())
          .put("rollingUpdatePending", RollingUpdateMark.isMarked(p))
          .put(
              "image",
              p.getSpec() == null || p.getSpec().getContainers().isEmpty()
                  ? "-"
                  : p.getSpec().getContainers().get(0).getImage());
    }
    ArrayNode svc = v.putArray("services");
    for (Service s : services) {
      svc.addObject()
          .put("name", s.getMetadata().getName())
          .put("type", s.getSpec().getType())
          .put("clusterIP", s.getSpec().getClusterIP() == null ? "-" : s.getSpec().getClusterIP());
    }
    // Names only: a status never shows a secret's content.
    ArrayNode sec = v.putArray("secrets");
    secrets.forEach(s -> sec.add(s.getMetadata().getName()));
    ArrayNode ev = v.putArray("events");
    for (Event e : events) {
      ev.addObject()
          .put("time", eventTime(e))
          .put("type", e.getType())
          .put("reason", e.getReason())
          .put("message", e.getMessage());
    }
    return v;
  }

  private static void printTable(PrintWriter out, ObjectNode v) {
    out.println(
        v.path("name").asText()
            + " ("
            + v.path("namespace").asText()
            + "): "
            + v.path("status").asText()
            + ", PostgreSQL "
            + v.path("version").asText()
            + ", "
            + v.path("instances").asInt()
            + " instance(s)");
    JsonNode last =
        v.path("events").isEmpty() ? null : v.path("events").get(v.path("events").size() - 1);
    out.println(
        "last operator action: "
            + (last == null
                ? "-"
                : last.path("time").asText()
                    + " "
                    + last.path("reason").asText()
                    + ": "
                    + last.path("message").asText()));
    v.path("conditions")
        .forEach(
            c ->
                out.println(
                    "  "
                        + c.path("type").asText()
                        + ": "
                        + c.path("status").asText()
                        + " ("
                        + c.path("reason").asText()
                        + ") "
                        + c.path("message").asText()));
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {
          "POD",
          "ROLE",
          "STATE",
          "TL",
          "LAG",
          "PENDING RESTART",
          "ROLLING UPDATE",
          "PHASE",
          "IP",
          "IMAGE"
        });
    v.path("pods")
        .forEach(
            p ->
                rows.add(
                    new String[] {
                      p.path("name").asText(),
                      p.path("role").asText(),
                      p.path("state").asText("-"),
                      p.path("timeline").asText("-"),
                      p.has("lagBytes") ? p.path("lagBytes").asLong() + " B" : "-",
                      p.path("pendingRestart").asBoolean() ? "yes" : "-",
                      p.path("rollingUpdatePending").asBoolean() ? "pending" : "-",
                      p.path("phase").asText(),
                      p.path("ip").asText(),
                      p.path("image").asText()
                    }));
    out.print(Table.render(rows));
    List<String> svc = new ArrayList<>();
    v.path("services")
        .forEach(
            s ->
                svc.add(
                    s.path("name").asText()
                        + " ("
                        + s.path("type").asText()
                        + " "
                        + s.path("clusterIP").asText()
                        + ")"));
    out.println("services: " + (svc.isEmpty() ? "-" : String.join(", ", svc)));
    List<String> sec = new ArrayList<>();
    v.path("secrets").forEach(s -> sec.add(s.asText()));
    out.println("secrets: " + (sec.isEmpty() ? "-" : String.join(", ", sec)));
    out.println("recent events:");
    v.path("events")
        .forEach(
            e ->
                out.println(
                    "  "
                        + e.path("time").asText()
                        + " "
                        + e.path("type").asText()
                        + " "
                        + e.path("reason").asText()
                        + ": "
                        + e.path("message").asText()));
  }

  static String eventTime(Event e) {
    return EventTimes.of(e);
  }
}
