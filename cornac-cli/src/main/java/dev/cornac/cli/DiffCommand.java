package dev.cornac.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cornac.api.config.OperatorConfig;
import dev.cornac.api.model.Postgresql;
import dev.cornac.api.validation.ValidationResult;
import dev.cornac.api.validation.Violation;
import dev.cornac.generators.Cluster;
import dev.cornac.generators.DesiredState;
import dev.cornac.generators.DesiredStateGenerator;
import dev.cornac.generators.plan.ChangePlan;
import dev.cornac.generators.plan.ChangePlanJson;
import dev.cornac.generators.plan.ChangePlanner;
import dev.cornac.generators.secrets.Credentials;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cornac diff}: what applying a manifest would do, before it is applied — the object changes
 * per kind with their fields, which pods are recreated and in which order, the switchover, what
 * waits for a maintenance window, what changes inside PostgreSQL, and what the operator would
 * refuse. Against the live cluster (kubeconfig), or offline against another manifest ({@code
 * --against}). Makes a GitOps pull request reviewable.
 */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    description =
        "Show what applying a postgresql manifest would change, and its consequences (pods recreated, "
            + "switchover, maintenance windows, roles and databases), against the live cluster or another manifest.")
final class DiffCommand implements Callable<Integer> {
  /** Kinds read from the cluster; Endpoints belong to Patroni, PodMonitors may have no CRD. */
  static final Set<String> LIVE_KINDS =
      Set.of("StatefulSet", "Service", "Secret", "PodDisruptionBudget", "Deployment", "CronJob");

  @Spec CommandSpec spec;
  @Mixin KubeOptions kube;

  @Option(
      names = {"-f", "--filename"},
      required = true,
      description = "the postgresql manifest to apply")
  Path file;

  @Option(
      names = "--against",
      description = "compare offline with this manifest instead of the live cluster")
  Path against;

  @Option(
      names = "--config",
      description =
          "the operator's configuration (a ConfigMap or an OperatorConfiguration "
              + "file; for a live diff, the one the operator runs with: kubectl get cm postgres-operator -o yaml); upstream's "
              + "defaults when absent")
  Path configFile;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "text",
      description = "text or json (default: ${DEFAULT-VALUE})")
  String output;

  private final Clock clock;

  DiffCommand() {
    this(Clock.systemUTC());
  }

  DiffCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!output.equals("text") && !output.equals("json")) {
      err.println("error: -o " + output + " is not supported; use -o text or -o json");
      return CliErrors.EXIT_ERROR;
    }
    OperatorConfig config = ManifestInput.config(configFile, err);
    Optional<JsonNode> doc = first(file, err);
    if (doc.isEmpty()) {
      return CliErrors.EXIT_INVALID;
    }
    ValidationResult result = ManifestInput.validate(doc.get(), config);
    String described = ManifestInput.describe(file, doc.get());
    ChangePlan plan;
    String base;
    if (!result.isValid()) {
      plan =
          ChangePlan.refused(described, result.errors().stream().map(Violation::message).toList());
      base = against != null ? against.toString() : "the live cluster";
    } else {
      Postgresql pg = result.resource().get();
      try {
        if (against != null) {
          plan = offline(pg, config, err);
          base = against.toString();
        } else {
          try (KubernetesClient client = kube.client()) {
            plan = live(pg, config, client);
            base = "the live cluster (" + client.getMasterUrl() + ")";
          }
        }
      } catch (ClusterLookup.NotFound e) {
        err.println("error: " + e.getMessage());
        return CliErrors.EXIT_ERROR;
      }
      if (plan == null) {
        return CliErrors.EXIT_INVALID;
      }
    }
    if (output.equals("json")) {
      out.println(ChangePlanJson.of(plan, base).toPrettyString());
    } else {
      text(plan, base, out);
    }
    out.flush();
    return plan.refused().isEmpty() ? CliErrors.EXIT_OK : CliErrors.EXIT_INVALID;
  }

  private Optional<JsonNode> first(Path manifest, PrintWriter err) {
    List<JsonNode> docs = ManifestInput.postgresqlDocuments(manifest);
    if (docs.isEmpty()) {
      err.println("error: " + ManifestInput.noPostgresql(manifest));
      return Optional.empty();
    }
    return Optional.of(docs.get(0));
  }

  private ChangePlan offline(Postgresql pg, OperatorConfig config, PrintWriter err) {
    Optional<JsonNode> before = first(against, err);
    if (before.isEmpty()) {
      return null;
    }
    ValidationResult old = ManifestInput.validate(before.get(), config);
    if (!ManifestInput.report(against, before.get(), old, err)) {
      return null;
    }
    Postgresql previous = old.resource().get();
    namespaced(previous, pg);
    Cluster was = new Cluster(previous, config);
    Cluster now = new Cluster(namespaced(pg, previous), config);
    return ChangePlanner.plan(
        now,
        desired(now),
        ChangePlanner.Current.offline(was.spec(), desired(was).inCreationOrder()),
        clock.instant());
  }

  private ChangePlan live(Postgresql pg, OperatorConfig config, KubernetesClient client) {
    String ns =
        pg.getMetadata().getNamespace() != null && !pg.getMetadata().getNamespace().isEmpty()
            ? pg.getMetadata().getNamespace()
            : kube.namespace(client);
    pg.getMetadata().setNamespace(ns);
    String name = pg.getMetadata().getName();
    Optional<Postgresql> stored;
    try {
      stored =
          Optional.ofNullable(
              client.resources(Postgresql.class).inNamespace(ns).withName(name).get());
    } catch (KubernetesClientException e) {
      throw new ClusterLookup.NotFound(
          "cannot read postgresql "
              + name
              + " in namespace "
              + ns
              + " from "
              + client.getMasterUrl()
              + " ("
              + CliErrors.describeChain(e)
              + "); check --kubeconfig, --context and your "
              + "access (the role postgres-cluster-user, manifests/cli-user-rbac.yaml)");
    }
    stored.ifPresent(s -> pg.getMetadata().setUid(s.getMetadata().getUid()));
    String label = config.clusterNameLabel();
    List<HasMetadata> objects = new ArrayList<>();
    List<Pod> pods;
    try {
      objects.addAll(
          client.apps().statefulSets().inNamespace(ns).withLabel(label, name).list().getItems());
      objects.addAll(client.services().inNamespace(ns).withLabel(label, name).list().getItems());
      objects.addAll(client.secrets().inNamespace(ns).withLabel(label, name).list().getItems());
      objects.addAll(
          client
              .policy()
              .v1()
              .podDisruptionBudget()
              .inNamespace(ns)
              .withLabel(label, name)
              .list()
              .getItems());
      objects.addAll(
          client.apps().deployments().inNamespace(ns).withLabel(label, name).list().getItems());
      objects.addAll(
          client.batch().v1().cronjobs().inNamespace(ns).withLabel(label, name).list().getItems());
      pods = client.pods().inNamespace(ns).withLabel(label, name).list().getItems();
    } catch (KubernetesClientException e) {
      throw new ClusterLookup.NotFound(
          "cannot list the objects of "
              + name
              + " in namespace "
              + ns
              + " ("
              + CliErrors.describeChain(e)
              + "); a live diff lists StatefulSets, Services, Secrets, "
              + "PodDisruptionBudgets, Deployments, CronJobs and Pods: bind the role postgres-cluster-user "
              + "(manifests/cli-user-rbac.yaml), or diff offline with --against");
    }
    Cluster now = new Cluster(pg, config);
    return ChangePlanner.plan(
        now,
        desired(now),
        new ChangePlanner.Current(stored.map(Postgresql::getSpec), objects, pods, LIVE_KINDS),
        clock.instant());
  }

  /** A manifest that names no namespace is compared in the other's (else default). */
  private static Postgresql namespaced(Postgresql pg, Postgresql other) {
    if (pg.getMetadata().getNamespace() == null || pg.getMetadata().getNamespace().isEmpty()) {
      String ns = other.getMetadata().getNamespace();
      pg.getMetadata().setNamespace(ns == null || ns.isEmpty() ? "default" : ns);
    }
    return pg;
  }

  private static DesiredState desired(Cluster c) {
    // Placeholders: a diff never shows or compares passwords (stored ones are kept).
    return DesiredStateGenerator.generate(c, Credentials.placeholder());
  }

  static void text(ChangePlan plan, String base, PrintWriter out) {
    out.println("postgresql " + plan.cluster() + ", against " + base + ":");
    if (!plan.refused().isEmpty()) {
      out.println(
          "refused by the operator (the cluster would be Invalid and nothing would change):");
      plan.refused().forEach(r -> out.println("  ! " + r));
      return;
    }
    if (plan.changesNothing()) {
      out.println("no changes");
      return;
    }
    if (!plan.objects().isEmpty()) {
      out.println("objects:");
      for (ChangePlan.ObjectChange o : plan.objects()) {
        out.println(
            "  "
                + switch (o.action()) {
                  case CREATE -> "+ ";
                  case DELETE -> "- ";
                  case UPDATE -> "~ ";
                  case REPLACE -> "! ";
                }
                + o.kind()
                + " "
                + o.name()
                + ": "
                + describe(o.action()));
        o.fields().forEach(f -> out.println("      " + f));
      }
    }
    if (!plan.podRestarts().isEmpty()) {
      out.println("pods recreated, in this order (each waits for the one before to stream again):");
      for (int i = 0; i < plan.podRestarts().size(); i++) {
        String pod = plan.podRestarts().get(i);
        if (i == plan.podRestarts().size() - 1 && plan.switchover().isPresent()) {
          out.println("  then " + plan.switchover().get());
        }
        out.println("  " + (i + 1) + ". " + pod);
      }
    }
    section(out, "scaling:", plan.scaling());
    section(out, "waits:", plan.waits());
    section(out, "inside PostgreSQL:", plan.inside());
  }

  private static String describe(ChangePlan.Action action) {
    return switch (action) {
      case CREATE -> "created";
      case DELETE -> "deleted";
      case UPDATE -> "updated";
      case REPLACE -> "replaced (Kubernetes refuses this change in place; the pods keep running)";
    };
  }

  private static void section(PrintWriter out, String title, List<String> lines) {
    if (!lines.isEmpty()) {
      out.println(title);
      lines.forEach(l -> out.println("  " + l));
    }
  }
}
