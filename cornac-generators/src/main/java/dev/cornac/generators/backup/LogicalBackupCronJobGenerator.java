package dev.cornac.generators.backup;

import dev.cornac.api.config.OperatorConfig;
import dev.cornac.generators.Cluster;
import dev.cornac.generators.EnvVars;
import dev.cornac.generators.naming.ClusterLabels;
import dev.cornac.generators.naming.ClusterNames;
import dev.cornac.generators.resources.ResourceDefaults;
import dev.cornac.generators.resources.ResourceRequirementsResolver;
import dev.cornac.generators.statefulset.Scheduling;
import dev.cornac.generators.statefulset.StatefulSetGenerator;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The logical backup CronJob (upstream: pkg/cluster/k8sres.go, generateLogicalBackupJob), when
 * {@code enableLogicalBackup} is true.
 */
public final class LogicalBackupCronJobGenerator {
  public static final String CONTAINER = "logical-backup";
  static final long DEFAULT_TTL_SECONDS = 86400;

  private LogicalBackupCronJobGenerator() {}

  /**
   * @param environmentSecretKeys keys of {@code logical_backup_cronjob_environment_secret}; the
   *     operator reads them from its cache, offline rendering passes none
   */
  public static Optional<CronJob> generate(Cluster c, SortedSet<String> environmentSecretKeys) {
    if (!Boolean.TRUE.equals(c.spec().enableLogicalBackup)) {
      return Optional.empty();
    }
    OperatorConfig config = c.config();
    Map<String, String> labels = ClusterLabels.logicalBackup(c);
    Map<String, String> annotations = ClusterLabels.podAnnotations(c);
    Map<String, String> podAnnotations = new LinkedHashMap<>(annotations);
    if (!config.string("kube_iam_role").isEmpty()) {
      podAnnotations.put("iam.amazonaws.com/role", config.string("kube_iam_role"));
    }
    String schedule =
        c.spec().logicalBackupSchedule != null && !c.spec().logicalBackupSchedule.isEmpty()
            ? c.spec().logicalBackupSchedule
            : config.string("logical_backup_schedule");
    List<Volume> volumes = new ArrayList<>();
    List<VolumeMount> mounts = new ArrayList<>();
    String secretMount = config.string("additional_secret_mount");
    if (!secretMount.isEmpty()) {
      volumes.add(
          new VolumeBuilder()
              .withName(secretMount)
              .withNewSecret()
              .withSecretName(secretMount)
              .endSecret()
              .build());
      mounts.add(
          new VolumeMountBuilder()
              .withName(secretMount)
              .withMountPath(config.string("additional_secret_mount_path"))
              .build());
    }
    return Optional.of(
        new CronJobBuilder()
            .withNewMetadata()
            .withName(ClusterNames.logicalBackupJob(c))
            .withNamespace(c.namespace())
            .withLabels(labels)
            .withAnnotations(ClusterLabels.orNull(annotations))
            .withOwnerReferences(c.ownerReferences())
            .endMetadata()
            .withNewSpec()
            .withSchedule(schedule)
            .withConcurrencyPolicy("Forbid")
            .withSuccessfulJobsHistoryLimit(
                (int) config.integerOr("logical_backup_successful_jobs_history_limit", 3))
            .withFailedJobsHistoryLimit(
                (int) config.integerOr("logical_backup_failed_jobs_history_limit", 3))
            .withNewJobTemplate()
            .withNewMetadata()
            .withLabels(labels)
            .withAnnotations(ClusterLabels.orNull(annotations))
            .endMetadata()
            .withNewSpec()
            .withTtlSecondsAfterFinished(
                (int)
                    config.integerOr(
                        "logical_backup_ttl_seconds_after_finished", DEFAULT_TTL_SECONDS))
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(labels)
            .withAnnotations(ClusterLabels.orNull(podAnnotations))
            .endMetadata()
            .withNewSpec()
            .withRestartPolicy("Never")
            .withServiceAccountName(config.podServiceAccountName())
            .withTerminationGracePeriodSeconds(
                config.duration("pod_terminate_grace_period").toSeconds())
            .withSecurityContext(StatefulSetGenerator.podSecurityContext(c))
            .withTolerations(Scheduling.tolerations(c))
            .withAffinity(affinity(c, labels))
            .withTopologySpreadConstraints(c.spec().topologySpreadConstraints)
            .addNewContainer()
            .withName(CONTAINER)
            .withImage(config.string("logical_backup_docker_image"))
            .withImagePullPolicy("IfNotPresent")
            .withPorts(StatefulSetGenerator.databasePorts())
            .withSecurityContext(StatefulSetGenerator.postgresSecurityContext(c, false))
            .withResources(
                ResourceRequirementsResolver.other(
                    null, ResourceDefaults.logicalBackup(config), config))
            .withEnv(environment(c, environmentSecretKeys))
            .withVolumeMounts(mounts.isEmpty() ? null : mounts)
            .endContainer()
            .withVolumes(volumes.isEmpty() ? null : volumes)
            .endSpec()
            .endTemplate()
            .endSpec()
            .endJobTemplate()
            .endSpec()
            .build());
  }

  /**
   * Preferred pod affinity towards other backup pods, plus readiness-label node affinity only
   * (upstream: pkg/cluster/k8sres.go, generateLogicalBackupJob).
   */
  private static Affinity affinity(Cluster c, Map<String, String> labels) {
    var term =
        new PodAffinityTermBuilder()
            .withNewLabelSelector()
            .withMatchLabels(labels)
            .endLabelSelector()
            .withTopologyKey("kubernetes.io/hostname")
            .build();
    return new AffinityBuilder()
        .withNewPodAffinity()
        .withPreferredDuringSchedulingIgnoredDuringExecution(new WeightedPodAffinityTerm(term, 1))
        .endPodAffinity()
        .withNodeAffinity(Scheduling.nodeAffinity(c, null))
        .build();
  }

  private static List<EnvVar> environment(Cluster c, SortedSet<String> secretKeys) {
    OperatorConfig config = c.config();
    String provider = config.string("logical_backup_provider");
    List<EnvVar> env = new ArrayList<>();
    env.add(EnvVars.value("SCOPE", c.name()));
    env.add(EnvVars.value("CLUSTER_NAME_LABEL", config.clusterNameLabel()));
    env.add(EnvVars.field("POD_NAMESPACE", "metadata.namespace"));
    env.add(EnvVars.value("PG_VERSION", c.postgresVersion()));
    env.add(EnvVars.value("PGPORT", "5432"));
    env.add(EnvVars.value("PGUSER", config.superUsername()));
    env.add(EnvVars.value("PGDATABASE", config.superUsername()));
    env.add(EnvVars.value("PGSSLMODE", "require"));
    env.add(
        EnvVars.secret(
            "PGPASSWORD", ClusterNames.credentialSecret(c, config.superUsername()), "password"));
    env.add(EnvVars.value("LOGICAL_BACKUP_PROVIDER", provider));
    env.add(EnvVars.value("LOGICAL_BACKUP_S3_BUCKET", config.string("logical_backup_s3_bucket")));
    env.add(
        EnvVars.value(
            "LOGICAL_BACKUP_S3_BUCKET_PREFIX", config.string("logical_backup_s3_bucket_prefix")));
    env.add(EnvVars.value("LOGICAL_BACKUP_S3_BUCKET_SCOPE_SUFFIX", "/" + c.uid()));
    switch (provider) {
      case "s3" -> {
        env.add(
            EnvVars.value("LOGICAL_BACKUP_S3_REGION", config.string("logical_backup_s3_region")));
        env.add(
            EnvVars.value(
                "LOGICAL_BACKUP_S3_ENDPOINT", config.string("logical_backup_s3_endpoint")));
        env.add(EnvVars.value("LOGICAL_BACKUP_S3_SSE", config.string("logical_backup_s3_sse")));
        String retention =
            c.spec().logicalBackupRetention != null && !c.spec().logicalBackupRetention.isEmpty()
                ? c.spec().logicalBackupRetention
                : config.string("logical_backup_s3_retention_time");
        env.add(EnvVars.value("LOGICAL_BACKUP_S3_RETENTION_TIME", retention));
        addIfSet(env, "AWS_ACCESS_KEY_ID", config.string("logical_backup_s3_access_key_id"));
        addIfSet(
            env, "AWS_SECRET_ACCESS_KEY", config.string("logical_backup_s3_secret_access_key"));
      }
      case "gcs" ->
          addIfSet(
              env,
              "LOGICAL_BACKUP_GOOGLE_APPLICATION_CREDENTIALS",
              config.string("logical_backup_google_application_credentials"));
      case "az" -> {
        env.add(
            EnvVars.value(
                "LOGICAL_BACKUP_AZURE_STORAGE_ACCOUNT_NAME",
                config.string("logical_backup_azure_storage_account_name")));
        env.add(
            EnvVars.value(
                "LOGICAL_BACKUP_AZURE_STORAGE_CONTAINER",
                config.string("logical_backup_azure_storage_container")));
        addIfSet(
            env,
            "LOGICAL_BACKUP_AZURE_STORAGE_ACCOUNT_KEY",
            config.string("logical_backup_azure_storage_account_key"));
      }
      default -> {}
    }
    String envSecret = config.string("logical_backup_cronjob_environment_secret");
    if (!envSecret.isEmpty()) {
      new TreeSet<>(secretKeys).forEach(key -> env.add(EnvVars.secret(key, envSecret, key)));
    }
    return env;
  }

  private static void addIfSet(List<EnvVar> env, String name, String value) {
    if (!value.isEmpty()) {
      env.add(EnvVars.value(name, value));
    }
  }
}
