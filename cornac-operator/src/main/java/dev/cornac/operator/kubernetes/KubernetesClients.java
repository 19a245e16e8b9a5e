package dev.cornac.operator.kubernetes;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.api.model.UnreadablePostgresql;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds the one Kubernetes client of the process: in-cluster or from a kubeconfig, rate-limited.
 */
public final class KubernetesClients {
  private KubernetesClients() {}

  /**
   * In-cluster when the service account is mounted, else the kubeconfig (or $KUBECONFIG /
   * ~/.kube/config).
   */
  public static KubernetesClient create(Path kubeconfig, String context, double qps, int burst) {
    Config config;
    if (kubeconfig != null) {
      try {
        config =
            Config.fromKubeconfig(context, Files.readString(kubeconfig), kubeconfig.toString());
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "cannot read kubeconfig " + kubeconfig + ": " + e.getMessage());
      }
    } else {
      config = context == null ? Config.autoConfigure(null) : Config.autoConfigure(context);
    }
    return builder(new ConfigBuilder(config).build(), qps, burst).build();
  }

  public static KubernetesClientBuilder builder(Config config, double qps, int burst) {
    return new KubernetesClientBuilder()
        .withConfig(config)
        .withKubernetesSerialization(serialization())
        .withHttpClientBuilderConsumer(
            b ->
                b.addOrReplaceInterceptor("cornac-rate-limit", new RequestRateLimiter(qps, burst)));
  }

  /**
   * fabric8's serialization with our manifest mapper, so that our types keep their unknown fields;
   * each {@code postgresql} object is read on its own, so that one the model cannot hold does not
   * stop the informer.
   */
  public static KubernetesSerialization serialization() {
    ObjectMapper mapper =
        ManifestMapper.json().copy().registerModule(UnreadablePostgresql.module());
    return new KubernetesSerialization(mapper, true);
  }
}
