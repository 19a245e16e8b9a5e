package dev.cornac.cli;

import dev.cornac.dataplane.MemberEndpoints;
import dev.cornac.local.PgPass;
import dev.cornac.local.PrivateFiles;
import dev.cornac.operator.kubernetes.PortForwardEndpoints;
import dev.cornac.operator.kubernetes.SecretFields;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
 * {@code cornac psql <cluster>}: psql on a cluster's primary or a replica on Kubernetes, through a
 * port-forward, with the password taken from the role's credentials secret and handed to psql in a
 * private password file.
 */
@Command(
    name = "psql",
    mixinStandardHelpOptions = true,
    description =
        "Open psql on a cluster's primary (or a replica) through a port-forward, with the credentials from "
            + "the role's secret. Arguments after -- go to psql, e.g. -- -c 'select 1'.")
final class ClusterPsqlCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin KubeOptions kube;
  @Mixin ClusterLabelOptions clusterLabels;

  @Parameters(index = "0", description = "cluster (postgresql resource) name")
  String name;

  @Parameters(index = "1..*", description = "extra psql arguments (after --)")
  List<String> extra = new ArrayList<>();

  @Option(names = "--replica", description = "connect to a replica instead of the primary")
  boolean replica;

  @Option(
      names = {"-d", "--dbname"},
      defaultValue = "postgres",
      description = "database (default: ${DEFAULT-VALUE})")
  String database;

  @Option(
      names = {"-U", "--username"},
      defaultValue = "postgres",
      description = "role whose credentials secret is used (default: ${DEFAULT-VALUE})")
  String role;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    try (KubernetesClient client = kube.client()) {
      String ns = kube.namespace(client);
      ClusterLookup.find(client, ns, name);
      Pod target = target(client, ns);
      String password = password(client, ns);
      err.println(
          "connecting to "
              + target.getMetadata().getName()
              + " ("
              + (replica ? "replica" : "primary")
              + ") as "
              + role
              + " through a port-forward");
      err.flush();
      Path privateDir =
          Files.createTempDirectory(
              "cornac-psql",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      Path pgpass = privateDir.resolve("pgpass");
      try (PortForwardEndpoints forwards = new PortForwardEndpoints(client, ns)) {
        int port =
            forwards.localPort(
                new MemberEndpoints.Member(ns, target.getMetadata().getName(), null),
                MemberEndpoints.POSTGRES_PORT);
        PrivateFiles.write(
            pgpass, PgPass.line("127.0.0.1", Integer.toString(port), "*", role, password));
        List<String> cmd =
            new ArrayList<>(
                List.of(
                    "psql",
                    "-h",
                    "127.0.0.1",
                    "-p",
                    Integer.toString(port),
                    "-U",
                    role,
                    "-d",
                    database));
        cmd.addAll(extra);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("PGPASSFILE", pgpass.toString());
        pb.environment().remove("PGPASSWORD");
        return PsqlProcess.run(spec, pb);
      } finally {
        Files.deleteIfExists(pgpass);
        Files.deleteIfExists(privateDir);
      }
    } catch (ClusterLookup.NotFound e) {
      err.println("error: " + e.getMessage());
      return CliErrors.EXIT_ERROR;
    }
  }

  private Pod target(KubernetesClient client, String ns) {
    String wanted = replica ? "replica" : "master";
    List<Pod> pods =
        client
            .pods()
            .inNamespace(ns)
            .withLabel(clusterLabels.clusterName(), name)
            .list()
            .getItems();
    return pods.stream()
        .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
        .filter(p -> wanted.equals(labels(p).get(clusterLabels.podRole())))
        .min(Comparator.comparing(p -> p.getMetadata().getName()))
        .orElseThrow(
            () ->
                new ClusterLookup.NotFound(
                    name
                        + " has no running "
                        + (replica ? "replica" : "primary")
                        + " pod ("
                        + pods.size()
                        + " pod(s) found); see `cornac status "
                        + name
                        + " -n "
                        + ns
                        + "`"));
  }

  private String password(KubernetesClient client, String ns) {
    List<Secret> secrets;
    try {
      secrets =
          client
              .secrets()
              .inNamespace(ns)
              .withLabel(clusterLabels.clusterName(), name)
              .list()
              .getItems();
    } catch (KubernetesClientException e) {
      throw new ClusterLookup.NotFound(
          "cannot read the secrets of "
              + name
              + " in namespace "
              + ns
              + " (HTTP "
              + e.getCode()
              + "); psql needs `get` and `list` on secrets there");
    }
    List<String> roles = new ArrayList<>();
    for (Secret s : secrets) {
      Optional<String> user = SecretFields.get(s, "username");
      user.ifPresent(roles::add);
      if (user.isPresent() && user.get().equals(role)) {
        return SecretFields.get(s, "password")
            .orElseThrow(
                () ->
                    new ClusterLookup.NotFound(
                        "the credentials secret "
                            + s.getMetadata().getName()
                            + " has no password key"));
      }
    }
    throw new ClusterLookup.NotFound(
        "no credentials secret for role "
            + role
            + " in "
            + name
            + "; roles with one: "
            + (roles.isEmpty() ? "none" : String.join(", ", roles.stream().sorted().toList()))
            + " (choose with -U)");
  }

  private static Map<String, String> labels(Pod p) {
    return p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels();
  }
}
