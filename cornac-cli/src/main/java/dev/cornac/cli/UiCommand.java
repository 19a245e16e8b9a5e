package dev.cornac.cli;

import dev.cornac.operator.kubernetes.KubernetesClients;
import dev.cornac.ui.UiServer;
import dev.cornac.ui.UiSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cornac ui}: the web UI, a process of its own (its own Deployment and ServiceAccount in the
 * cluster). Configured by upstream's environment variables; see {@link UiSettings}.
 */
@Command(
    name = "ui",
    mixinStandardHelpOptions = true,
    description =
        "Run the web UI (list, create, edit, delete clusters; operator status). Configured by environment "
            + "variables: TARGET_NAMESPACE, TEAMS, OPERATOR_API_URL, OPERATOR_UI_CONFIG, READ_ONLY_MODE, SUPERUSER_TEAM, "
            + "SERVER_PORT, CORNAC_UI_AUTH (basic|token), CORNAC_UI_USERNAME, CORNAC_UI_PASSWORD, CORNAC_UI_ANONYMOUS_READ.")
final class UiCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--kubeconfig", description = "kubeconfig file (outside the cluster)")
  Path kubeconfig;

  @Option(names = "--context", description = "kubeconfig context")
  String context;

  @Option(
      names = "--listen",
      defaultValue = "0.0.0.0",
      description = "address to listen on (${DEFAULT-VALUE})")
  String listen;

  @Option(names = "--port", description = "port (default: SERVER_PORT, else 8081)")
  Integer port;

  @Override
  public Integer call() throws Exception {
    Map<String, String> env = new HashMap<>(System.getenv());
    if (port != null) {
      env.put("SERVER_PORT", Integer.toString(port));
    }
    UiSettings settings;
    try {
      settings = UiSettings.fromEnvironment(env);
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return CliErrors.EXIT_INVALID;
    }
    KubernetesClient client = KubernetesClients.create(kubeconfig, context, 0, 0);
    UiServer server = new UiServer(settings, client, listen);
    spec.commandLine()
        .getOut()
        .println(
            "cornac ui listening on http://"
                + listen
                + ":"
                + server.port()
                + "/ ("
                + settings.auth().name().toLowerCase(Locale.ROOT)
                + " authentication"
                + (settings.confinedNamespace() == null
                    ? ", all namespaces"
                    : ", namespace " + settings.confinedNamespace())
                + ")");
    spec.commandLine().getOut().flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  client.close();
                  stopped.countDown();
                },
                "cornac-ui-shutdown"));
    stopped.await();
    return CliErrors.EXIT_OK;
  }
}
