package dev.cornac.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;

/** A second harness on the same mock server, without installing anything again: a restarted operator process. */
record OperatorHarnessRestart(KubernetesMockServer server, KubernetesClient mockClient) {
  OperatorHarness harness() {
    return OperatorHarness.attach(server, mockClient);
  }
}
