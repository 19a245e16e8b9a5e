package dev.cornac.testkit;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * What the kubelet does for the tests' pods: the pod is created as the StatefulSet controller would, then its
 * status says it runs — through the status subresource, the only way the API server takes a pod's status.
 */
public final class Kubelet {
  private Kubelet() {}

  /** Creates the pod and reports it Running at {@code podIp} (null: no address yet). */
  public static Pod run(KubernetesClient client, Pod pod, String podIp) {
    Pod created = client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).create();
    created.setStatus(new PodStatusBuilder().withPhase("Running").withPodIP(podIp).build());
    return client.pods().inNamespace(created.getMetadata().getNamespace()).resource(created).updateStatus();
  }
}
