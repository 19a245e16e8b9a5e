package dev.cornac.cli;

import dev.cornac.operator.kubernetes.KubernetesClients;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * kubectl's way of choosing a cluster and namespace, shared by the commands that act on a running
 * cluster.
 */
final class KubeOptions {
  @Option(
      names = "--kubeconfig",
      description = "kubeconfig file (default: $KUBECONFIG or ~/.kube/config)")
  Path kubeconfig;

  @Option(names = "--context", description = "kubeconfig context (default: the current one)")
  String context;

  @Option(
      names = {"-n", "--namespace"},
      description = "namespace (default: the context's, else default)")
  String namespace;

  KubernetesClient client() {
    return KubernetesClients.create(kubeconfig, context, 0, 0);
  }

  String namespace(KubernetesClient client) {
    if (namespace != null && !namespace.isEmpty()) {
      return namespace;
    }
    String fromContext = client.getNamespace();
    return fromContext == null || fromContext.isEmpty() ? "default" : fromContext;
  }
}
