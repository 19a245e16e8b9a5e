package dev.cornac.operator;

import static dev.cornac.operator.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cornac.api.config.OperatorConfigReader;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.api.model.Postgresql;
import dev.cornac.generators.Cluster;
import dev.cornac.generators.DesiredState;
import dev.cornac.generators.DesiredStateGenerator;
import dev.cornac.generators.plan.ObjectMatcher;
import dev.cornac.generators.plan.RollingUpdateMark;
import dev.cornac.generators.secrets.Credentials;
import dev.cornac.testkit.StrictApiServer;
import dev.cornac.testkit.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@WithStrictApiServer
class ClusterLifecycleTest {
  StrictApiServer api;
  OperatorHarness k8s;

  static final String MINIMAL =
      """
      apiVersion: acid.zalan.do/v1
      kind: postgresql
      metadata: {name: acid-minimal-cluster}
      spec:
        teamId: acid
        numberOfInstances: 2
        volume: {size: 1Gi}
        postgresql: {version: "18"}
        users: {zalando: [superuser, createdb], foo_user: []}
        databases: {foo: zalando}
      """;

  /**
   * The minimal cluster with the master's connection pooler; no PgBouncer runs, the Deployment is
   * what counts.
   */
  static final String WITH_POOLER =
      MINIMAL
          + """
        enableConnectionPooler: true
        connectionPooler: {numberOfInstances: 2}
      """;

  @BeforeEach
  void setUp() throws Exception {
    k8s = OperatorHarness.withExampleConfig(api);
  }

  @AfterEach
  void tearDown() {
    k8s.close();
  }

  private List<Event> events(String reason) {
    return k8s.client().v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> reason == null || reason.equals(e.getReason()))
        .toList();
  }

  @Test
  void completeExampleBecomesItsObjectsAndReachesRunning() throws Exception {
    CornacOperator operator = k8s.startOperator(false);
    String yaml =
        Files.readString(
            OperatorHarness.repoRoot()
                .resolve(
                    "../shared/upstream-examples/manifests/" + "complete-postgres-manifest.yaml"));
    Postgresql created = k8s.create(yaml);
    k8s.awaitStatus("acid-test-cluster", "Creating");

    var config =
        OperatorConfigReader.fromConfigMap(
            k8s.client()
                .configMaps()
                .inNamespace(NS)
                .withName("postgres-operator")
                .get()
                .getData());
    DesiredState expected =
        DesiredStateGenerator.generate(
            new Cluster(k8s.get("acid-test-cluster"), config), Credentials.placeholder());
    for (HasMetadata object : expected.inCreationOrder()) {
      HasMetadata live =
          await()
              .atMost(Duration.ofSeconds(20))
              .until(
                  () ->
                      k8s.client()
                          .resources(object.getClass())
                          .inNamespace(NS)
                          .withName(object.getMetadata().getName())
                          .get(),
                  o -> o != null);
      if (object instanceof Secret) {
        assertThat(live.getMetadata().getLabels()).isEqualTo(object.getMetadata().getLabels());
        continue;
      }
      assertThat(ObjectMatcher.covers(object, live))
          .as(object.getKind() + " " + object.getMetadata().getName())
          .isTrue();
    }
    Secret superuser =
        k8s.client()
            .secrets()
            .inNamespace(NS)
            .withName("postgres.acid-test-cluster.credentials.postgresql.acid.zalan.do")
            .get();
    String password =
        new String(java.util.Base64.getDecoder().decode(superuser.getData().get("password")));
    assertThat(password).matches("[a-zA-Z0-9]{64}");
    assertThat(k8s.client().endpoints().inNamespace(NS).withName("acid-test-cluster").get())
        .as("endpoints mode in the example ConfigMap")
        .isNotNull();

    k8s.runPods("acid-test-cluster");
    k8s.awaitStatus("acid-test-cluster", "Running");
    Postgresql running = k8s.get("acid-test-cluster");
    assertThat(running.getStatus().observedGeneration)
        .isEqualTo(created.getMetadata().getGeneration());
    assertThat(running.getStatus().conditions)
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Ready");
              assertThat(c.getStatus()).isEqualTo("True");
            });
    assertThat(running.getSpec().teamId).as("spec untouched").isEqualTo("acid");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(events("StatefulSet"))
                    .extracting(Event::getMessage)
                    .contains("Pods are ready"));
    assertThat(events("Services"))
        .isNotEmpty()
        .allSatisfy(
            e -> {
              assertThat(e.getSource().getComponent()).isEqualTo("postgres-operator");
              assertThat(e.getInvolvedObject().getKind()).isEqualTo("postgresql");
            });
    // JOSDK's queued passes are readable (a JOSDK upgrade that moves the field would turn this
    // red), and the
    // passes of the cluster being created were ranked ahead of the queue.
    assertThat(operator.workers().unidentified()).isZero();
    assertThat(operator.workers().servedFirst()).isPositive();
  }

  @Test
  void editsPropagateAndOutdatedPodsAreMarked() throws Exception {
    k8s.startOperator(false);
    k8s.create(MINIMAL);
    k8s.runPods("acid-minimal-cluster");
    k8s.awaitStatus("acid-minimal-cluster", "Running");

    var resources =
        ManifestMapper.yaml()
            .readValue("requests: {cpu: 500m, memory: 1Gi}", dev.cornac.api.model.Resources.class);
    k8s.editSpec(
        "acid-minimal-cluster",
        spec -> {
          spec.numberOfInstances = 3;
          spec.dockerImage = "ghcr.io/zalando/spilo-18:4.1-p3";
          spec.postgresql.parameters = Map.of("max_connections", "200", "shared_buffers", "256MB");
          spec.resources = resources;
          spec.enableMasterLoadBalancer = true;
        });

    StatefulSet sts =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    k8s.client()
                        .apps()
                        .statefulSets()
                        .inNamespace(NS)
                        .withName("acid-minimal-cluster")
                        .get(),
                s -> s.getSpec().getReplicas() == 3);
    var postgres = sts.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(postgres.getImage()).isEqualTo("ghcr.io/zalando/spilo-18:4.1-p3");
    assertThat(postgres.getResources().getRequests().get("cpu").toString()).isEqualTo("500m");
    assertThat(
            postgres.getEnv().stream()
                .filter(e -> e.getName().equals("SPILO_CONFIGURATION"))
                .findFirst()
                .orElseThrow()
                .getValue())
        .contains("\"shared_buffers\":\"256MB\"")
        .contains("\"max_connections\":\"200\"");
    // The existing master Service is updated in place into a load balancer; the replicas' stays
    // internal.
    Service master =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    k8s.client().services().inNamespace(NS).withName("acid-minimal-cluster").get(),
                svc -> "LoadBalancer".equals(svc.getSpec().getType()));
    assertThat(master.getSpec().getLoadBalancerSourceRanges()).isNotEmpty();
    assertThat(
            k8s.client()
                .services()
                .inNamespace(NS)
                .withName("acid-minimal-cluster-repl")
                .get()
                .getSpec()
                .getType())
        .isEqualTo("ClusterIP");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        k8s.client()
                            .pods()
                            .inNamespace(NS)
                            .withLabel("cluster-name", "acid-minimal-cluster")
                            .list()
                            .getItems())
                    .hasSize(2)
                    .allSatisfy(p -> assertThat(RollingUpdateMark.isMarked(p)).isTrue()));
    await().atMost(Duration.ofSeconds(10)).until(() -> !events("Update").isEmpty());
    k8s.awaitStatus("acid-minimal-cluster", "Updating");
    k8s.runPods("acid-minimal-cluster");
    // The new pod runs, but the marked ones are not recreated yet (no Patroni answers here): still
    // Updating, and why.
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(k8s.get("acid-minimal-cluster").getStatus().conditions)
                    .anySatisfy(
                        c -> {
                          assertThat(c.getType()).isEqualTo("Reconciled");
                          assertThat(c.getReason()).isEqualTo("RollingUpdate");
                          assertThat(c.getMessage()).contains("rolling update: ");
                        }));
    assertThat(k8s.get("acid-minimal-cluster").getStatus().postgresClusterStatus)
        .isEqualTo("Updating");
  }

  @Test
  void changesKubernetesRefusesInPlaceReplaceTheStatefulSetKeepingItsPods() throws Exception {
    k8s.startOperator(false);
    k8s.create(MINIMAL);
    k8s.runPods("acid-minimal-cluster");
    k8s.awaitStatus("acid-minimal-cluster", "Running");
    String uidBefore =
        k8s.client()
            .apps()
            .statefulSets()
            .inNamespace(NS)
            .withName("acid-minimal-cluster")
            .get()
            .getMetadata()
            .getUid();
    k8s.editSpec("acid-minimal-cluster", spec -> spec.volume.storageClass = "rook-ceph-block");
    StatefulSet replaced =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    k8s.client()
                        .apps()
                        .statefulSets()
                        .inNamespace(NS)
                        .withName("acid-minimal-cluster")
                        .get(),
                s ->
                    s != null
                        && "rook-ceph-block"
                            .equals(
                                s.getSpec()
                                    .getVolumeClaimTemplates()
                                    .get(0)
                                    .getSpec()
                                    .getStorageClassName()));
    assertThat(replaced.getMetadata().getUid()).isNotEqualTo(uidBefore);
    assertThat(
            k8s.client()
                .pods()
                .inNamespace(NS)
                .withLabel("cluster-name", "acid-minimal-cluster")
                .list()
                .getItems())
        .hasSize(2);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                events("StatefulSet").stream()
                    .anyMatch(e -> e.getMessage().startsWith("replaced statefulset")));
  }

  @Test
  void failuresAreReportedAsCreateFailedWithTheReason() throws Exception {
    k8s.configMap(
        "manifests/configmap.yaml",
        Map.of("watched_namespace", NS, "pod_management_policy", "random"));
    k8s.startOperator(false);
    k8s.create(MINIMAL);
    k8s.awaitStatus("acid-minimal-cluster", "CreateFailed");
    assertThat(k8s.get("acid-minimal-cluster").getStatus().conditions)
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Reconciled");
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getMessage())
                  .contains("pod_management_policy 'random' is not supported");
            });
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> events("Sync").stream().anyMatch(e -> "Warning".equals(e.getType())));
  }

  @Test
  void invalidManifestGetsInvalidStatusAndAnEventAndOthersKeepReconciling() throws Exception {
    k8s.startOperator(false);
    k8s.create(
        MINIMAL
            .replace("acid-minimal-cluster", "acid-broken")
            .replace("size: 1Gi", "size: 1Gi")
            .replace(
                "numberOfInstances: 2",
                "numberOfInstances: 2\n  maintenanceWindows: [\"10:00-09:00\"]"));
    k8s.create(MINIMAL.replace("acid-minimal-cluster", "acid-fine"));
    k8s.awaitStatus("acid-broken", "Invalid");
    k8s.runPods("acid-fine");
    k8s.awaitStatus("acid-fine", "Running");
    assertThat(k8s.client().apps().statefulSets().inNamespace(NS).withName("acid-broken").get())
        .isNull();
    assertThat(k8s.client().services().inNamespace(NS).withName("acid-broken").get()).isNull();
    await().atMost(Duration.ofSeconds(10)).until(() -> !events("Invalid").isEmpty());
    assertThat(events("Invalid"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getMessage())
                  .contains("spec.maintenanceWindows[0]")
                  .contains("ends before it starts");
            });
    assertThat(k8s.get("acid-broken").getStatus().conditions)
        .anySatisfy(c -> assertThat(c.getMessage()).contains("spec.maintenanceWindows[0]"));
  }

  @Test
  void deletionRemovesObjectsButKeepsVolumes() throws Exception {
    k8s.startOperator(false);
    k8s.create(MINIMAL);
    k8s.runPods("acid-minimal-cluster");
    k8s.awaitStatus("acid-minimal-cluster", "Running");
    k8s.client()
        .persistentVolumeClaims()
        .inNamespace(NS)
        .resource(
            new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName("pgdata-acid-minimal-cluster-0")
                .withNamespace(NS)
                .withLabels(Map.of("application", "spilo", "cluster-name", "acid-minimal-cluster"))
                .endMetadata()
                .build())
        .create();

    k8s.client()
        .resources(Postgresql.class)
        .inNamespace(NS)
        .withName("acid-minimal-cluster")
        .delete();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(
                      k8s.client()
                          .apps()
                          .statefulSets()
                          .inNamespace(NS)
                          .withName("acid-minimal-cluster")
                          .get())
                  .isNull();
              assertThat(
                      k8s.client()
                          .services()
                          .inNamespace(NS)
                          .withName("acid-minimal-cluster-repl")
                          .get())
                  .isNull();
              assertThat(
                      k8s.client()
                          .pods()
                          .inNamespace(NS)
                          .withLabel("cluster-name", "acid-minimal-cluster")
                          .list()
                          .getItems())
                  .isEmpty();
              assertThat(
                      k8s.client()
                          .policy()
                          .v1()
                          .podDisruptionBudget()
                          .inNamespace(NS)
                          .list()
                          .getItems())
                  .isEmpty();
            });
    assertThat(
            k8s.client()
                .persistentVolumeClaims()
                .inNamespace(NS)
                .withName("pgdata-acid-minimal-cluster-0")
                .get())
        .as("volumes are kept")
        .isNotNull();
    assertThat(
            k8s.client()
                .secrets()
                .inNamespace(NS)
                .withName("postgres.acid-minimal-cluster.credentials.postgresql.acid.zalan.do")
                .get())
        .as("credentials of kept volumes are kept")
        .isNotNull();
  }

  @Test
  void deletionRemovesTheVolumesWhenConfiguredTo() throws Exception {
    k8s.configMap(
        "manifests/configmap.yaml",
        Map.of("watched_namespace", NS, "enable_persistent_volume_claim_deletion", "true"));
    k8s.startOperator(false);
    k8s.create(MINIMAL);
    k8s.runPods("acid-minimal-cluster");
    k8s.awaitStatus("acid-minimal-cluster", "Running");
    // The StatefulSet controller would create these from the claim template, with the cluster's
    // labels.
    for (String pvc : List.of("pgdata-acid-minimal-cluster-0", "pgdata-acid-minimal-cluster-1")) {
      k8s.client()
          .persistentVolumeClaims()
          .inNamespace(NS)
          .resource(
              new PersistentVolumeClaimBuilder()
                  .withNewMetadata()
                  .withName(pvc)
                  .withNamespace(NS)
                  .withLabels(
                      Map.of("application", "spilo", "cluster-name", "acid-minimal-cluster"))
                  .endMetadata()
                  .build())
          .create();
    }
    // Another cluster's volume carries another cluster-name and must survive.
    k8s.client()
        .persistentVolumeClaims()
        .inNamespace(NS)
        .resource(
            new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName("pgdata-acid-other-0")
                .withNamespace(NS)
                .withLabels(Map.of("application", "spilo", "cluster-name", "acid-other"))
                .endMetadata()
                .build())
        .create();

    k8s.client()
        .resources(Postgresql.class)
        .inNamespace(NS)
        .withName("acid-minimal-cluster")
        .delete();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(k8s.get("acid-minimal-cluster")).isNull();
              assertThat(
                      k8s.client()
                          .persistentVolumeClaims()
                          .inNamespace(NS)
                          .withLabel("cluster-name", "acid-minimal-cluster")
                          .list()
                          .getItems())
                  .as("the cluster's volumes")
                  .isEmpty();
            });
    assertThat(
            k8s.client()
                .persistentVolumeClaims()
                .inNamespace(NS)
                .withName("pgdata-acid-other-0")
                .get())
        .as("another cluster's volume")
        .isNotNull();
  }

  @Test
  void thePoolerDeploymentFollowsTheNumberOfInstancesInTheManifest() throws Exception {
    k8s.startOperator(false);
    k8s.create(WITH_POOLER);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                k8s.client()
                    .apps()
                    .deployments()
                    .inNamespace(NS)
                    .withName("acid-minimal-cluster-pooler")
                    .get(),
            d -> d != null && d.getSpec().getReplicas() == 2);
    String uidBefore =
        k8s.client()
            .apps()
            .deployments()
            .inNamespace(NS)
            .withName("acid-minimal-cluster-pooler")
            .get()
            .getMetadata()
            .getUid();

    k8s.editSpec("acid-minimal-cluster", spec -> spec.connectionPooler.numberOfInstances = 3);
    Deployment scaled =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    k8s.client()
                        .apps()
                        .deployments()
                        .inNamespace(NS)
                        .withName("acid-minimal-cluster-pooler")
                        .get(),
                d -> d.getSpec().getReplicas() == 3);
    assertThat(scaled.getMetadata().getUid()).as("updated in place").isEqualTo(uidBefore);
  }

  @Test
  void aTamperedPoolerUserListIsRestored() throws Exception {
    k8s.startOperator(false);
    k8s.create(WITH_POOLER);
    var secrets = k8s.client().secrets().inNamespace(NS);
    String userlist =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> {
                  Secret s = secrets.withName("acid-minimal-cluster-pooler-u").get();
                  return s == null ? null : s.getData().get("userlist.txt");
                },
                v -> v != null);

    // Someone edits PgBouncer's password list by hand: PgBouncer would then refuse the pooler user.
    String tampered =
        Base64.getEncoder()
            .encodeToString("\"pooler\" \"guessed\"\n".getBytes(StandardCharsets.UTF_8));
    secrets
        .withName("acid-minimal-cluster-pooler-u")
        .edit(s -> new SecretBuilder(s).addToData("userlist.txt", tampered).build());
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(secrets.withName("acid-minimal-cluster-pooler-u").get().getData())
                    .containsEntry("userlist.txt", userlist));
    assertThat(new String(Base64.getDecoder().decode(userlist), StandardCharsets.UTF_8))
        .startsWith("\"pooler\" ");
  }

  @Test
  void deleteProtectionHoldsTheClusterUntilAnnotated() throws Exception {
    k8s.configMap(
        "manifests/configmap.yaml",
        Map.of("watched_namespace", NS, "delete_annotation_name_key", "delete-clustername"));
    k8s.startOperator(false);
    k8s.create(MINIMAL);
    k8s.runPods("acid-minimal-cluster");
    k8s.awaitStatus("acid-minimal-cluster", "Running");
    assertThat(k8s.get("acid-minimal-cluster").getMetadata().getFinalizers())
        .contains("postgres-operator.acid.zalan.do");

    k8s.client()
        .resources(Postgresql.class)
        .inNamespace(NS)
        .withName("acid-minimal-cluster")
        .delete();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                events("Delete").stream()
                    .anyMatch(
                        e -> e.getMessage().contains("delete-clustername=acid-minimal-cluster")));
    assertThat(k8s.get("acid-minimal-cluster")).as("still there").isNotNull();
    assertThat(
            k8s.client()
                .apps()
                .statefulSets()
                .inNamespace(NS)
                .withName("acid-minimal-cluster")
                .get())
        .isNotNull();

    k8s.annotate("acid-minimal-cluster", "delete-clustername", "acid-minimal-cluster");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(k8s.get("acid-minimal-cluster")).isNull();
              assertThat(
                      k8s.client()
                          .apps()
                          .statefulSets()
                          .inNamespace(NS)
                          .withName("acid-minimal-cluster")
                          .get())
                  .isNull();
            });
  }

  @Test
  void restartedOperatorConvergesAndAnIdleResyncWritesNothing() throws Exception {
    CornacOperator first = k8s.startOperator(false);
    k8s.create(MINIMAL);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> k8s.client().secrets().inNamespace(NS).list().getItems().size() >= 2);
    k8s.stop(first);
    k8s.client().services().inNamespace(NS).withName("acid-minimal-cluster-repl").delete();

    k8s.startOperator(false);
    k8s.runPods("acid-minimal-cluster");
    k8s.awaitStatus("acid-minimal-cluster", "Running");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                k8s.client().services().inNamespace(NS).withName("acid-minimal-cluster-repl").get()
                    != null);
    k8s.awaitQuiet("acid-minimal-cluster");

    k8s.close();
    k8s.forgetRequests();
    OperatorHarness again = OperatorHarness.attach(api);
    again.startOperator(false);
    again.awaitQuiet("acid-minimal-cluster");
    List<String> writes = OperatorHarness.writes(again.requests());
    assertThat(writes).as("an idle resync writes nothing").isEmpty();
    again.close();
  }
}
