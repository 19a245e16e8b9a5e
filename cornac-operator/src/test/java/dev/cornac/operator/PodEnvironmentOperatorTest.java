package dev.cornac.operator;

import static dev.cornac.operator.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cornac.testkit.StrictApiServer;
import dev.cornac.testkit.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The seed's MinIO setup: WAL archiving settings in {@code pod_environment_configmap} and the S3
 * keys in {@code pod_environment_secret} reach the Spilo container (literal values, secretKeyRefs -
 * never the secret's values), a change of the ConfigMap reaches the StatefulSet, and a missing
 * Secret fails the sync saying what to do.
 */
@WithStrictApiServer
class PodEnvironmentOperatorTest {
  StrictApiServer api;
  OperatorHarness k8s;

  @AfterEach
  void tearDown() {
    if (k8s != null) {
      k8s.close();
    }
  }

  private List<EnvVar> env(String cluster) {
    StatefulSet sts = k8s.client().apps().statefulSets().inNamespace(NS).withName(cluster).get();
    return sts == null
        ? List.of()
        : sts.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
  }

  private static EnvVar find(List<EnvVar> env, String name) {
    return env.stream().filter(e -> e.getName().equals(name)).findFirst().orElse(null);
  }

  @Test
  void minioSettingsFromThePodEnvironmentConfigMapAndSecretReachTheSpiloContainer()
      throws Exception {
    k8s = OperatorHarness.withExampleConfig(api);
    k8s.configMap(
        "manifests/configmap.yaml",
        Map.of(
            "watched_namespace",
            NS,
            "pod_environment_configmap",
            NS + "/postgres-pod-config",
            "pod_environment_secret",
            "postgres-pod-secrets",
            "wal_s3_bucket",
            "postgresql-backups"));
    k8s.client()
        .configMaps()
        .inNamespace(NS)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("postgres-pod-config")
                .endMetadata()
                .withData(
                    Map.of(
                        "AWS_ENDPOINT",
                        "https://minio.minio:443",
                        "AWS_S3_FORCE_PATH_STYLE",
                        "true",
                        "USE_WALG_BACKUP",
                        "true",
                        "USE_WALG_RESTORE",
                        "true",
                        "BACKUP_SCHEDULE",
                        "00 02 * * *"))
                .build())
        .create();
    k8s.client()
        .secrets()
        .inNamespace(NS)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("postgres-pod-secrets")
                .endMetadata()
                .withStringData(
                    Map.of(
                        "AWS_ACCESS_KEY_ID",
                        "minio-user",
                        "AWS_SECRET_ACCESS_KEY",
                        "minio-very-secret"))
                .build())
        .create();
    k8s.startOperator(false);
    k8s.create(
        """
        apiVersion: acid.zalan.do/v1
        kind: postgresql
        metadata: {name: acid-minio}
        spec: {teamId: acid, numberOfInstances: 1, volume: {size: 1Gi}, postgresql: {version: "17"}}
        """);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> find(env("acid-minio"), "AWS_ENDPOINT") != null);
    List<EnvVar> env = env("acid-minio");
    List<String> names = env.stream().map(EnvVar::getName).toList();
    // Upstream's order (upstream: pkg/cluster/k8sres.go, generateSpiloPodEnvVars): Secret keys
    // sorted, then ConfigMap entries sorted, then the bucket.
    assertThat(names.subList(names.indexOf("AWS_ACCESS_KEY_ID"), names.size()))
        .containsExactly(
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_ENDPOINT",
            "AWS_S3_FORCE_PATH_STYLE",
            "BACKUP_SCHEDULE",
            "USE_WALG_BACKUP",
            "USE_WALG_RESTORE",
            "WAL_S3_BUCKET",
            "WAL_BUCKET_SCOPE_SUFFIX",
            "WAL_BUCKET_SCOPE_PREFIX");
    EnvVar secret = find(env, "AWS_SECRET_ACCESS_KEY");
    assertThat(secret.getValue()).as("a reference, never the value").isNull();
    assertThat(secret.getValueFrom().getSecretKeyRef().getName()).isEqualTo("postgres-pod-secrets");
    assertThat(secret.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("AWS_SECRET_ACCESS_KEY");
    assertThat(find(env, "AWS_ENDPOINT").getValue()).isEqualTo("https://minio.minio:443");
    assertThat(find(env, "WAL_S3_BUCKET").getValue()).isEqualTo("postgresql-backups");
    assertThat(find(env, "WAL_BUCKET_SCOPE_SUFFIX").getValue())
        .isEqualTo("/" + k8s.get("acid-minio").getMetadata().getUid());

    k8s.client()
        .configMaps()
        .inNamespace(NS)
        .withName("postgres-pod-config")
        .edit(
            cm ->
                new ConfigMapBuilder(cm)
                    .addToData("AWS_ENDPOINT", "https://minio.storage:9000")
                    .build());
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(find(env("acid-minio"), "AWS_ENDPOINT").getValue())
                    .isEqualTo("https://minio.storage:9000"));

    k8s.client().secrets().inNamespace(NS).withName("postgres-pod-secrets").delete();
    k8s.annotate("acid-minio", "cornac.dev/sync", "now");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              var status = k8s.get("acid-minio").getStatus();
              // No pod ever ran here, so upstream's status for a failure is CreateFailed.
              assertThat(status.postgresClusterStatus).isEqualTo("CreateFailed");
              assertThat(status.conditions)
                  .anySatisfy(
                      c ->
                          assertThat(c.getMessage())
                              .contains(
                                  "pod_environment_secret postgres-pod-secrets does not exist in namespace "
                                      + NS));
            });
  }

  @Test
  void theLogicalBackupJobGetsTheKeysOfItsEnvironmentSecretAsReferences() throws Exception {
    k8s = OperatorHarness.withExampleConfig(api);
    k8s.configMap(
        "manifests/configmap.yaml",
        Map.of(
            "watched_namespace",
            NS,
            "logical_backup_cronjob_environment_secret",
            "backup-env",
            "logical_backup_s3_bucket",
            "logical-dumps"));
    k8s.client()
        .secrets()
        .inNamespace(NS)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("backup-env")
                .endMetadata()
                .withStringData(
                    Map.of("AWS_ACCESS_KEY_ID", "dumper", "AWS_SECRET_ACCESS_KEY", "dump-secret"))
                .build())
        .create();
    k8s.startOperator(false);
    k8s.create(
        """
        apiVersion: acid.zalan.do/v1
        kind: postgresql
        metadata: {name: acid-dumps}
        spec: {teamId: acid, numberOfInstances: 1, volume: {size: 1Gi}, postgresql: {version: "17"},
          enableLogicalBackup: true}
        """);
    var job =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    k8s.client()
                        .batch()
                        .v1()
                        .cronjobs()
                        .inNamespace(NS)
                        .withName("logical-backup-acid-dumps")
                        .get(),
                j -> j != null);
    List<EnvVar> env =
        job.getSpec()
            .getJobTemplate()
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0)
            .getEnv();
    EnvVar secret = find(env, "AWS_SECRET_ACCESS_KEY");
    assertThat(secret).isNotNull();
    assertThat(secret.getValue()).isNull();
    assertThat(secret.getValueFrom().getSecretKeyRef().getName()).isEqualTo("backup-env");
    assertThat(find(env, "LOGICAL_BACKUP_S3_BUCKET").getValue()).isEqualTo("logical-dumps");
  }

  @Test
  void theLogicalBackupJobFollowsAnEditedSchedule() throws Exception {
    k8s = OperatorHarness.withExampleConfig(api);
    k8s.startOperator(false);
    k8s.create(
        """
        apiVersion: acid.zalan.do/v1
        kind: postgresql
        metadata: {name: acid-dumps}
        spec: {teamId: acid, numberOfInstances: 1, volume: {size: 1Gi}, postgresql: {version: "17"},
          enableLogicalBackup: true}
        """);
    var cronjobs = k8s.client().batch().v1().cronjobs().inNamespace(NS);
    // Without a schedule in the manifest, logical_backup_schedule of the example ConfigMap applies.
    var job =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> cronjobs.withName("logical-backup-acid-dumps").get(), j -> j != null);
    assertThat(job.getSpec().getSchedule()).isEqualTo("30 00 * * *");

    k8s.editSpec("acid-dumps", spec -> spec.logicalBackupSchedule = "15 3 * * 0");
    var edited =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> cronjobs.withName("logical-backup-acid-dumps").get(),
                j -> "15 3 * * 0".equals(j.getSpec().getSchedule()));
    assertThat(edited.getMetadata().getUid())
        .as("updated in place")
        .isEqualTo(job.getMetadata().getUid());
  }
}
