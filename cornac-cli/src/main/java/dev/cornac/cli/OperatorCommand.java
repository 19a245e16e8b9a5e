package dev.cornac.cli;

import dev.cornac.operator.CornacOperator;
import dev.cornac.operator.LiveOperator;
import dev.cornac.operator.config.OperatorEnvironment;
import dev.cornac.operator.kubernetes.KubernetesClients;
import dev.cornac.operator.kubernetes.PortForwardEndpoints;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cornac operator}: run the operator (the container entrypoint). Configuration comes from
 * upstream's environment variables: CONFIG_MAP_NAME or POSTGRES_OPERATOR_CONFIGURATION_OBJECT,
 * OPERATOR_NAMESPACE, WATCHED_NAMESPACE, CONTROLLER_ID.
 */
@Command(
    name = "operator",
    mixinStandardHelpOptions = true,
    description =
        "Run the operator: in-cluster, or against the cluster of a kubeconfig (developer mode).")
final class OperatorCommand implements Callable<Integer> {
  @Option(
      names = {"--kubeconfig", "-kubeconfig"},
      description = "kubeconfig file (developer mode)")
  Path kubeconfig;

  @Option(names = "--context", description = "kubeconfig context")
  String context;

  @Option(
      names = {"--nodatabaseaccess", "-nodatabaseaccess"},
      description = "force enable_database_access=false")
  boolean noDatabaseAccess;

  @Option(
      names = {"--noteamsapi", "-noteamsapi"},
      description = "force enable_teams_api=false")
  boolean noTeamsApi;

  @Option(
      names = {"--kube-qps", "-kubeqps"},
      defaultValue = "200",
      description = "client requests per second for objects (${DEFAULT-VALUE}); 0 = unlimited")
  double kubeQps;

  @Option(
      names = {"--kube-burst", "-kubeburst"},
      defaultValue = "400",
      description = "client burst (${DEFAULT-VALUE})")
  int kubeBurst;

  @Option(
      names = "--listen",
      defaultValue = "0.0.0.0",
      description = "address of the HTTP endpoints (${DEFAULT-VALUE})")
  String listen;

  @Option(
      names = "--member-access",
      defaultValue = "pod-ip",
      description =
          "how Patroni and PostgreSQL are reached: pod-ip (in the cluster) or port-forward (developer mode, "
              + "outside the cluster network); default: ${DEFAULT-VALUE}")
  String memberAccess;

  @Override
  public Integer call() throws Exception {
    if (!memberAccess.equals("pod-ip") && !memberAccess.equals("port-forward")) {
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(this),
          "--member-access " + memberAccess + " is not supported; use pod-ip or port-forward");
    }
    OperatorEnvironment env =
        OperatorEnvironment.fromEnvironment(
            System.getenv(), noDatabaseAccess, noTeamsApi, kubeQps, kubeBurst);
    KubernetesClient client = KubernetesClients.create(kubeconfig, context, kubeQps, kubeBurst);
    CountDownLatch stopped = new CountDownLatch(1);
    PortForwardEndpoints forwards =
        memberAccess.equals("port-forward")
            ? new PortForwardEndpoints(client, client.getNamespace())
            : null;
    LiveOperator operator =
        new LiveOperator(
            client,
            new CornacOperator.Options(
                env,
                listen,
                -1,
                Duration.ofSeconds(25),
                Clock.systemUTC(),
                () -> System.exit(1),
                forwards));
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  operator.close();
                  if (forwards != null) {
                    forwards.close();
                  }
                  client.close();
                  stopped.countDown();
                },
                "cornac-shutdown"));
    operator.start();
    stopped.await();
    return CliErrors.EXIT_OK;
  }
}
