package dev.cornac.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeanItemStoreTest {
  @Test
  void keepsWhatTheReconcilerReadsAndDropsTheRest() {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("acid-x-0")
            .withNamespace("default")
            .withLabels(Map.of("spilo-role", "master"))
            .withAnnotations(Map.of("zalando-postgres-operator-rolling-update-required", "true"))
            .withManagedFields(List.of(new ManagedFieldsEntry()))
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("postgres")
            .withImage("spilo:1")
            .addNewEnv()
            .withName("A")
            .withValue("b")
            .endEnv()
            .endContainer()
            .addNewVolume()
            .withName("v")
            .endVolume()
            .endSpec()
            .withNewStatus()
            .withPhase("Running")
            .withPodIP("10.0.0.1")
            .withHostIP("10.1.1.1")
            .endStatus()
            .build();
    LeanItemStore<Pod> store = new LeanItemStore<>();
    store.put(store.getKey(pod), pod);
    Pod kept = store.get("default/acid-x-0");
    assertThat(kept.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(kept.getMetadata().getLabels()).containsEntry("spilo-role", "master");
    assertThat(kept.getMetadata().getAnnotations())
        .containsKey("zalando-postgres-operator-rolling-update-required");
    assertThat(kept.getSpec().getContainers())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getImage()).isEqualTo("spilo:1");
              assertThat(c.getEnv()).isNullOrEmpty();
            });
    assertThat(kept.getSpec().getVolumes()).isNullOrEmpty();
    assertThat(kept.getStatus().getPhase()).isEqualTo("Running");
    assertThat(kept.getStatus().getPodIP()).isEqualTo("10.0.0.1");
    assertThat(kept.getStatus().getHostIP()).isNull();
  }
}
