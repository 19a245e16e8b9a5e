package dev.cornac.operator;

import static dev.cornac.operator.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cornac.generators.plan.RollingUpdateMark;
import dev.cornac.testkit.StrictApiServer;
import dev.cornac.testkit.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The seed's Rook Ceph class allows expansion: a larger volume.size grows the PVCs in place, no pod
 * recreated; a class that does not allow it leaves the PVCs alone and the status says why; volumes
 * never shrink.
 */
@WithStrictApiServer
class VolumeResizeTest {
  StrictApiServer api;
  OperatorHarness k8s;

  @AfterEach
  void tearDown() {
    if (k8s != null) {
      k8s.close();
    }
  }

  private void storageClass(String name, boolean expandable) {
    k8s.client()
        .storage()
        .v1()
        .storageClasses()
        .resource(
            new StorageClassBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withProvisioner("rook-ceph.rbd.csi.ceph.com")
                .withAllowVolumeExpansion(expandable)
                .build())
        .create();
  }

  /** What the StatefulSet controller would have created for the cluster's pods. */
  private void volumes(String cluster, String storageClass, int count) {
    for (int i = 0; i < count; i++) {
      k8s.client()
          .persistentVolumeClaims()
          .inNamespace(NS)
          .resource(
              new PersistentVolumeClaimBuilder()
                  .withNewMetadata()
                  .withName("pgdata-" + cluster + "-" + i)
                  .withLabels(
                      Map.of("application", "spilo", "cluster-name", cluster, "team", "acid"))
                  .endMetadata()
                  .withNewSpec()
                  .withStorageClassName(storageClass)
                  .withAccessModes("ReadWriteOnce")
                  .withNewResources()
                  .withRequests(Map.of("storage", new Quantity("1Gi")))
                  .endResources()
                  .endSpec()
                  .build())
          .create();
    }
  }

  private String requested(String pvc) {
    PersistentVolumeClaim p =
        k8s.client().persistentVolumeClaims().inNamespace(NS).withName(pvc).get();
    return p.getSpec().getResources().getRequests().get("storage").toString();
  }

  private String reconciled(String cluster) {
    var status = k8s.get(cluster).getStatus();
    return status == null || status.conditions == null
        ? ""
        : status.conditions.stream()
            .filter(c -> "Reconciled".equals(c.getType()))
            .map(c -> c.getMessage())
            .findFirst()
            .orElse("");
  }

  private static String manifest(String name, String storageClass) {
    return """
        apiVersion: acid.zalan.do/v1
        kind: postgresql
        metadata: {name: %s}
        spec: {teamId: acid, numberOfInstances: 2, volume: {size: 1Gi, storageClass: %s}, postgresql: {version: "17"}}
        """
        .formatted(name, storageClass);
  }

  @Test
  void volumesGrowInPlaceWhereTheClassAllowsItAndNeverShrink() throws Exception {
    k8s = OperatorHarness.withExampleConfig(api);
    storageClass("rook-ceph-block", true);
    storageClass("fixed", false);
    k8s.startOperator(false);
    k8s.create(manifest("acid-grow", "rook-ceph-block"));
    k8s.create(manifest("acid-fixed", "fixed"));
    volumes("acid-grow", "rook-ceph-block", 2);
    volumes("acid-fixed", "fixed", 2);
    k8s.runPods("acid-grow");
    k8s.runPods("acid-fixed");
    k8s.awaitStatus("acid-grow", "Running");
    k8s.awaitStatus("acid-fixed", "Running");
    List<String> uids =
        k8s
            .client()
            .pods()
            .inNamespace(NS)
            .withLabel("cluster-name", "acid-grow")
            .list()
            .getItems()
            .stream()
            .map(p -> p.getMetadata().getUid())
            .toList();

    k8s.editSpec("acid-grow", spec -> spec.volume.size = "5Gi");
    k8s.editSpec("acid-fixed", spec -> spec.volume.size = "5Gi");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(requested("pgdata-acid-grow-0")).isEqualTo("5Gi");
              assertThat(requested("pgdata-acid-grow-1")).isEqualTo("5Gi");
            });
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(k8s.client().v1().events().inNamespace(NS).list().getItems())
                    .anySatisfy(
                        e ->
                            assertThat(e.getMessage())
                                .isEqualTo("resized volume pgdata-acid-grow-0 from 1Gi to 5Gi")));
    var pods =
        k8s.client()
            .pods()
            .inNamespace(NS)
            .withLabel("cluster-name", "acid-grow")
            .list()
            .getItems();
    assertThat(pods)
        .extracting(p -> p.getMetadata().getUid())
        .as("no pod recreated")
        .containsExactlyInAnyOrderElementsOf(uids);
    assertThat(pods).noneMatch(RollingUpdateMark::isMarked);

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(reconciled("acid-fixed"))
                    .contains(
                        "volume pgdata-acid-fixed-0 stays 1Gi: its storage class fixed does not allow expansion"));
    assertThat(requested("pgdata-acid-fixed-0")).isEqualTo("1Gi");

    k8s.editSpec("acid-grow", spec -> spec.volume.size = "2Gi");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(reconciled("acid-grow"))
                    .contains("volume pgdata-acid-grow-0 is 5Gi; volumes do not shrink"));
    assertThat(requested("pgdata-acid-grow-0")).isEqualTo("5Gi");
  }
}
