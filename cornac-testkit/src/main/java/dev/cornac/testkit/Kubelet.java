package dev.cornac.testkit;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * What the kubelet does for the tests' pods: the pod is created as the StatefulSet controller
 * would, then its status says it runs — through the status subresource, the only way the API server
 * takes a pod's status.
 */
public final class Kubelet {
  private Kubelet() {}

  /**
   * Creates the pod and reports it Running at {@code podIp} (null: no address yet). The status is a
   * merge patch, as the kubelet's: a label written meanwhile (Patroni's role) does not make it
   * conflict.
   */
  public static Pod run(KubernetesClient client, Pod pod, String podIp) {
    Pod created =
        client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).create();
    Pod status = new Pod();
    status.setStatus(new PodStatusBuilder().withPhase("Running").withPodIP(podIp).build());
    return client
        .pods()
        .inNamespace(created.getMetadata().getNamespace())
        .withName(created.getMetadata().getName())
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), status);
  }
}
