package dev.cornac.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cornac.api.model.ManifestMapper;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
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

  private static final String STATEFUL_SET =
      """
      {"apiVersion": "apps/v1", "kind": "StatefulSet",
       "metadata": {"name": "NAME", "namespace": "default", "labels": {"cluster-name": "NAME"}},
       "spec": {"replicas": 2, "serviceName": "NAME",
         "template": {"metadata": {"labels": {"application": "spilo"}},
           "spec": {"containers": [{"name": "postgres", "image": "spilo:1",
             "env": [{"name": "PGROOT", "value": "/home/postgres/pgdata/pgroot"},
                     {"name": "SCOPE", "value": "NAME"}],
             "resources": {"requests": {"cpu": "100m", "memory": "100Mi"}},
             "volumeMounts": [{"name": "pgdata", "mountPath": "/home/postgres/pgdata"}]}],
             "tolerations": []}}}}
      """;

  private static StatefulSet statefulSet(String name) throws Exception {
    return ManifestMapper.json().readValue(STATEFUL_SET.replace("NAME", name), StatefulSet.class);
  }

  @Test
  void aCachedObjectStaysEqualToWhatWasRead() throws Exception {
    LeanItemStore<StatefulSet> store = new LeanItemStore<>();
    store.put("default/acid-a", statefulSet("acid-a"));

    StatefulSet kept = store.get("default/acid-a");
    assertThat(kept).isEqualTo(statefulSet("acid-a"));
    assertThat(ManifestMapper.json().writeValueAsString(kept))
        .isEqualTo(ManifestMapper.json().writeValueAsString(statefulSet("acid-a")));
  }

  @Test
  void whatObjectsHaveInCommonIsHeldOnce() throws Exception {
    LeanItemStore<StatefulSet> store = new LeanItemStore<>();
    store.put("default/acid-a", statefulSet("acid-a"));
    store.put("default/acid-b", statefulSet("acid-b"));

    var a = store.get("default/acid-a").getSpec().getTemplate().getSpec();
    var b = store.get("default/acid-b").getSpec().getTemplate().getSpec();
    assertThat(a.getContainers().get(0).getEnv().get(0).getValue())
        .isSameAs(b.getContainers().get(0).getEnv().get(0).getValue());
    assertThat(a.getContainers().get(0).getImage()).isSameAs(b.getContainers().get(0).getImage());
    assertThat(a.getAdditionalProperties()).isEmpty();
    assertThat(a.getAdditionalProperties()).isSameAs(b.getAdditionalProperties());
    assertThat(a.getTolerations()).isEmpty();
    assertThat(a.getTolerations()).isSameAs(b.getTolerations());
  }
}
