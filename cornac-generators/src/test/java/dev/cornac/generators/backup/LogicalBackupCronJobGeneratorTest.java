package dev.cornac.generators.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cornac.generators.Cluster;
import dev.cornac.generators.Fixtures;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class LogicalBackupCronJobGeneratorTest {
  @Test
  void noCronJobUnlessEnabled() {
    assertThat(
            LogicalBackupCronJobGenerator.generate(
                Fixtures.cluster(Fixtures.MINIMAL, Map.of()), new TreeSet<>()))
        .isEmpty();
  }

  @Test
  void cronJobWithUpstreamsScheduleLabelsAndEnvironment() {
    Cluster c =
        Fixtures.cluster(
            Fixtures.minimalWith("enableLogicalBackup: true\nlogicalBackupRetention: 3 months\n"),
            Map.of(
                "logical_backup_s3_bucket",
                "my-bucket",
                "logical_backup_s3_sse",
                "AES256",
                "logical_backup_cronjob_environment_secret",
                "backup-env"));
    CronJob job =
        LogicalBackupCronJobGenerator.generate(c, new TreeSet<>(java.util.Set.of("EXTRA")))
            .orElseThrow();
    assertThat(job.getMetadata().getName()).isEqualTo("logical-backup-acid-test");
    assertThat(job.getMetadata().getLabels()).containsEntry("application", "spilo-logical-backup");
    assertThat(job.getSpec().getSchedule()).isEqualTo("30 00 * * *");
    assertThat(job.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
    assertThat(job.getSpec().getJobTemplate().getSpec().getTtlSecondsAfterFinished())
        .isEqualTo(86400);
    var pod = job.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    assertThat(
            pod.getAffinity().getPodAffinity().getPreferredDuringSchedulingIgnoredDuringExecution())
        .singleElement()
        .satisfies(w -> assertThat(w.getWeight()).isEqualTo(1));
    var container = pod.getContainers().get(0);
    assertThat(container.getName()).isEqualTo("logical-backup");
    assertThat(container.getEnv())
        .extracting(EnvVar::getName)
        .containsExactly(
            "SCOPE",
            "CLUSTER_NAME_LABEL",
            "POD_NAMESPACE",
            "PG_VERSION",
            "PGPORT",
            "PGUSER",
            "PGDATABASE",
            "PGSSLMODE",
            "PGPASSWORD",
            "LOGICAL_BACKUP_PROVIDER",
            "LOGICAL_BACKUP_S3_BUCKET",
            "LOGICAL_BACKUP_S3_BUCKET_PREFIX",
            "LOGICAL_BACKUP_S3_BUCKET_SCOPE_SUFFIX",
            "LOGICAL_BACKUP_S3_REGION",
            "LOGICAL_BACKUP_S3_ENDPOINT",
            "LOGICAL_BACKUP_S3_SSE",
            "LOGICAL_BACKUP_S3_RETENTION_TIME",
            "EXTRA");
    assertThat(container.getEnv().get(16).getValue()).isEqualTo("3 months");
    assertThat(container.getEnv().get(6).getValue()).isEqualTo("postgres");
  }

  @Test
  void longNamesAreCutToFiftyTwoCharactersWithoutTrailingDash() {
    String name = "acid-" + "a".repeat(31) + "-bbbbbb";
    Cluster c =
        Fixtures.cluster(
            Fixtures.minimalWith("enableLogicalBackup: true\n")
                .replace("name: acid-test", "name: " + name),
            Map.of());
    String jobName =
        LogicalBackupCronJobGenerator.generate(c, new TreeSet<>())
            .orElseThrow()
            .getMetadata()
            .getName();
    assertThat(jobName).isEqualTo("logical-backup-acid-" + "a".repeat(31));
  }
}
