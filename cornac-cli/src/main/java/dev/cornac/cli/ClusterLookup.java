package dev.cornac.cli;

import dev.cornac.api.model.Postgresql;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** Finds a postgresql resource, or says how to find the right one. */
final class ClusterLookup {
  static final class NotFound extends RuntimeException {
    NotFound(String message) {
      super(message);
    }
  }

  private ClusterLookup() {}

  static Postgresql find(KubernetesClient client, String namespace, String name) {
    Postgresql pg;
    try {
      pg = client.resources(Postgresql.class).inNamespace(namespace).withName(name).get();
    } catch (KubernetesClientException e) {
      throw new NotFound(
          "cannot read postgresql "
              + name
              + " in namespace "
              + namespace
              + " from "
              + client.getMasterUrl()
              + " ("
              + (e.getCode() == 0 ? e.getMessage() : "HTTP " + e.getCode())
              + "); check "
              + "--kubeconfig, --context and your access");
    }
    if (pg == null) {
      throw new NotFound(
          "there is no postgresql "
              + name
              + " in namespace "
              + namespace
              + "; list them with "
              + "`kubectl get postgresql -n "
              + namespace
              + "`, or choose the namespace with -n");
    }
    return pg;
  }
}
