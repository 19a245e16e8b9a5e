package dev.cornac.generators.statefulset;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.cornac.api.config.OperatorConfig;
import dev.cornac.api.model.Clone;
import dev.cornac.api.model.Standby;
import dev.cornac.api.model.Tls;
import dev.cornac.generators.Cluster;
import dev.cornac.generators.EnvVars;
import dev.cornac.generators.PodEnvironmentSources;
import dev.cornac.generators.naming.ClusterNames;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The environment of the {@code postgres} container in upstream's exact order (upstream:
 * pkg/cluster/k8sres.go, generateSpiloPodEnvVars). "Dedup" entries are skipped when a variable of
 * the same name, compared case-insensitively, is already there; clone and standby variables are
 * appended without that check, as upstream does.
 */
public final class SpiloEnvironment {
  public static final String PGDATA_MOUNT = "/home/postgres/pgdata";
  public static final String PGROOT = PGDATA_MOUNT + "/pgroot";
  static final String IRSA_TOKEN_FILE = "/var/run/secrets/eks.amazonaws.com/serviceaccount/token";

  private final Cluster c;
  private final OperatorConfig config;
  private final List<EnvVar> env = new ArrayList<>();

  private SpiloEnvironment(Cluster c) {
    this.c = c;
    this.config = c.config();
  }

  public static List<EnvVar> of(Cluster c, PodEnvironmentSources sources) {
    return new SpiloEnvironment(c).build(sources);
  }

  /**
   * The version Spilo runs: the manifest's, or the target version in full upgrade mode below the
   * minimum.
   */
  public static String desiredMajorVersion(Cluster c) {
    String version = c.postgresVersion();
    OperatorConfig config = c.config();
    if ("full".equals(config.string("major_version_upgrade_mode"))) {
      try {
        if (Integer.parseInt(version) < Integer.parseInt(config.string("minimal_major_version"))) {
          return config.string("target_major_version");
        }
      } catch (NumberFormatException e) {
        return version;
      }
    }
    return version;
  }

  private List<EnvVar> build(PodEnvironmentSources sources) {
    String superSecret = ClusterNames.credentialSecret(c, config.superUsername());
    String standbySecret = ClusterNames.credentialSecret(c, config.replicationUsername());
    append(EnvVars.value("SCOPE", c.name()));
    append(EnvVars.value("PGROOT", PGROOT));
    append(EnvVars.field("POD_IP", "status.podIP"));
    append(EnvVars.field("POD_NAMESPACE", "metadata.namespace"));
    append(EnvVars.value("PGUSER_SUPERUSER", config.superUsername()));
    append(EnvVars.value("KUBERNETES_SCOPE_LABEL", config.clusterNameLabel()));
    append(EnvVars.value("KUBERNETES_ROLE_LABEL", config.podRoleLabel()));
    append(EnvVars.secret("PGPASSWORD_SUPERUSER", superSecret, "password"));
    append(EnvVars.value("PGUSER_STANDBY", config.replicationUsername()));
    append(EnvVars.secret("PGPASSWORD_STANDBY", standbySecret, "password"));
    append(EnvVars.value("PAM_OAUTH2", config.string("pam_configuration")));
    append(EnvVars.value("HUMAN_ROLE", config.string("pam_role_name")));
    if (config.bool("enable_spilo_wal_path_compat")) {
      append(EnvVars.value("ENABLE_WAL_PATH_COMPAT", "true"));
    }
    if (config.bool("enable_pgversion_env_var")) {
      append(EnvVars.value("PGVERSION", desiredMajorVersion(c)));
    }
    append(EnvVars.value("KUBERNETES_LABELS", compactJson(config.clusterLabels())));
    append(EnvVars.value("SPILO_CONFIGURATION", SpiloConfiguration.json(c)));
    if (config.kubernetesDcs()) {
      append(EnvVars.value("DCS_ENABLE_KUBERNETES_API", "true"));
      if (config.bool("enable_pod_disruption_budget")) {
        append(EnvVars.value("KUBERNETES_BOOTSTRAP_LABELS", "{\"critical-operation\":\"true\"}"));
      }
      if (config.kubernetesUseConfigMaps()) {
        append(EnvVars.value("KUBERNETES_USE_CONFIGMAPS", "true"));
      }
    } else {
      append(EnvVars.value("ETCD_HOST", config.etcdHost()));
    }
    if (c.spec().env != null) {
      c.spec().env.forEach(this::dedup);
    }
    if (c.spec().clone != null
        && c.spec().clone.cluster != null
        && !c.spec().clone.cluster.isEmpty()) {
      cloneVariables(c.spec().clone).forEach(env::add);
    }
    if (c.spec().standby != null) {
      standbyVariables(c.spec().standby).forEach(env::add);
    }
    String podEnvSecret = config.string("pod_environment_secret");
    if (!podEnvSecret.isEmpty()) {
      sources.secretKeys().forEach(key -> dedup(EnvVars.secret(key, podEnvSecret, key)));
    }
    sources.configMapData().forEach((k, v) -> dedup(EnvVars.value(k, v)));
    walAndLogBuckets();
    tlsVariables();
    return List.copyOf(env);
  }

  private void walAndLogBuckets() {
    String scopeSuffix = c.uid().isEmpty() ? "" : "/" + c.uid();
    if (!config.string("wal_s3_bucket").isEmpty()) {
      dedup(EnvVars.value("WAL_S3_BUCKET", config.string("wal_s3_bucket")));
      dedup(EnvVars.value("WAL_BUCKET_SCOPE_SUFFIX", scopeSuffix));
      dedup(EnvVars.value("WAL_BUCKET_SCOPE_PREFIX", ""));
    }
    if (!config.string("wal_gs_bucket").isEmpty()) {
      dedup(EnvVars.value("WAL_GS_BUCKET", config.string("wal_gs_bucket")));
      dedup(EnvVars.value("WAL_BUCKET_SCOPE_SUFFIX", scopeSuffix));
      dedup(EnvVars.value("WAL_BUCKET_SCOPE_PREFIX", ""));
    }
    if (!config.string("wal_az_storage_account").isEmpty()) {
      dedup(EnvVars.value("AZURE_STORAGE_ACCOUNT", config.string("wal_az_storage_account")));
      dedup(EnvVars.value("WAL_BUCKET_SCOPE_SUFFIX", scopeSuffix));
      dedup(EnvVars.value("WAL_BUCKET_SCOPE_PREFIX", ""));
    }
    if (!config.string("gcp_credentials").isEmpty()) {
      dedup(EnvVars.value("GOOGLE_APPLICATION_CREDENTIALS", config.string("gcp_credentials")));
    }
    if (!config.string("log_s3_bucket").isEmpty()) {
      dedup(EnvVars.value("LOG_S3_BUCKET", config.string("log_s3_bucket")));
      dedup(EnvVars.value("LOG_BUCKET_SCOPE_SUFFIX", scopeSuffix));
      dedup(EnvVars.value("LOG_BUCKET_SCOPE_PREFIX", ""));
    }
  }

  private void tlsVariables() {
    Tls tls = c.spec().tls;
    if (tls == null || tls.secretName == null || tls.secretName.isEmpty()) {
      return;
    }
    TlsPaths paths = TlsPaths.of(tls);
    dedup(EnvVars.value("SSL_CERTIFICATE_FILE", paths.certificate()));
    dedup(EnvVars.value("SSL_PRIVATE_KEY_FILE", paths.privateKey()));
    paths.ca().ifPresent(ca -> dedup(EnvVars.value("SSL_CA_FILE", ca)));
  }

  private List<EnvVar> cloneVariables(Clone clone) {
    List<EnvVar> vars = new ArrayList<>();
    vars.add(EnvVars.value("CLONE_SCOPE", clone.cluster));
    boolean pitr = clone.timestamp != null && !clone.timestamp.isEmpty();
    if (!pitr) {
      vars.add(EnvVars.value("CLONE_METHOD", "CLONE_WITH_BASEBACKUP"));
      vars.add(EnvVars.value("CLONE_HOST", clone.cluster));
      vars.add(EnvVars.value("CLONE_PORT", "5432"));
      vars.add(EnvVars.value("CLONE_USER", config.replicationUsername()));
      vars.add(
          EnvVars.secret(
              "CLONE_PASSWORD",
              ClusterNames.credentialSecretOf(c, clone.cluster, config.replicationUsername()),
              "password"));
    } else {
      if (clone.s3WalPath == null || clone.s3WalPath.isEmpty()) {
        if (!config.string("wal_s3_bucket").isEmpty()) {
          vars.add(EnvVars.value("CLONE_WAL_S3_BUCKET", config.string("wal_s3_bucket")));
        } else if (!config.string("wal_gs_bucket").isEmpty()) {
          vars.add(EnvVars.value("CLONE_WAL_GS_BUCKET", config.string("wal_gs_bucket")));
          if (!config.string("gcp_credentials").isEmpty()) {
            vars.add(
                EnvVars.value(
                    "CLONE_GOOGLE_APPLICATION_CREDENTIALS", config.string("gcp_credentials")));
          }
        } else if (!config.string("wal_az_storage_account").isEmpty()) {
          vars.add(
              EnvVars.value(
                  "CLONE_AZURE_STORAGE_ACCOUNT", config.string("wal_az_storage_account")));
        }
        vars.add(
            EnvVars.value(
                "CLONE_WAL_BUCKET_SCOPE_SUFFIX",
                clone.uid == null || clone.uid.isEmpty() ? "" : "/" + clone.uid));
      } else {
        vars.add(EnvVars.value("CLONE_WALE_S3_PREFIX", clone.s3WalPath));
      }
      vars.add(EnvVars.value("CLONE_METHOD", "CLONE_WITH_WALE"));
      vars.add(EnvVars.value("CLONE_TARGET_TIME", clone.timestamp));
      vars.add(EnvVars.value("CLONE_WAL_BUCKET_SCOPE_PREFIX", ""));
      if (clone.s3Endpoint != null && !clone.s3Endpoint.isEmpty()) {
        vars.add(EnvVars.value("CLONE_AWS_ENDPOINT", clone.s3Endpoint));
        vars.add(EnvVars.value("CLONE_WALE_S3_ENDPOINT", clone.s3Endpoint));
      }
      if (clone.s3AccessKeyId != null && !clone.s3AccessKeyId.isEmpty()) {
        vars.add(EnvVars.value("CLONE_AWS_ACCESS_KEY_ID", clone.s3AccessKeyId));
      }
      if (clone.s3SecretAccessKey != null && !clone.s3SecretAccessKey.isEmpty()) {
        vars.add(EnvVars.value("CLONE_AWS_SECRET_ACCESS_KEY", clone.s3SecretAccessKey));
      }
      if (clone.s3ForcePathStyle != null) {
        vars.add(
            EnvVars.value("CLONE_AWS_S3_FORCE_PATH_STYLE", clone.s3ForcePathStyle ? "1" : "0"));
      }
    }
    if (!config.string("irsa_role_arn").isEmpty()) {
      vars.add(EnvVars.value("CLONE_AWS_ROLE_ARN", config.string("irsa_role_arn")));
      vars.add(EnvVars.value("CLONE_AWS_WEB_IDENTITY_TOKEN_FILE", IRSA_TOKEN_FILE));
    }
    return vars;
  }

  private List<EnvVar> standbyVariables(Standby standby) {
    List<EnvVar> vars = new ArrayList<>();
    if (notEmpty(standby.standbyHost)) {
      vars.add(EnvVars.value("STANDBY_HOST", standby.standbyHost));
      if (notEmpty(standby.standbyPort)) {
        vars.add(EnvVars.value("STANDBY_PORT", standby.standbyPort));
      }
      if (notEmpty(standby.standbyPrimarySlotName)) {
        vars.add(EnvVars.value("STANDBY_PRIMARY_SLOT_NAME", standby.standbyPrimarySlotName));
      }
    }
    if (notEmpty(standby.s3WalPath)) {
      vars.add(EnvVars.value("STANDBY_WALE_S3_PREFIX", standby.s3WalPath));
      vars.add(EnvVars.value("STANDBY_METHOD", "STANDBY_WITH_WALE"));
      vars.add(EnvVars.value("STANDBY_WAL_BUCKET_SCOPE_PREFIX", ""));
    } else if (notEmpty(standby.gsWalPath)) {
      vars.add(EnvVars.value("STANDBY_WALE_GS_PREFIX", standby.gsWalPath));
      vars.add(EnvVars.value("STANDBY_METHOD", "STANDBY_WITH_WALE"));
      vars.add(EnvVars.value("STANDBY_WAL_BUCKET_SCOPE_PREFIX", ""));
    }
    if (!config.string("irsa_role_arn").isEmpty()) {
      vars.add(EnvVars.value("STANDBY_AWS_ROLE_ARN", config.string("irsa_role_arn")));
      vars.add(EnvVars.value("STANDBY_AWS_WEB_IDENTITY_TOKEN_FILE", IRSA_TOKEN_FILE));
    }
    return vars;
  }

  private void append(EnvVar var) {
    env.add(var);
  }

  private void dedup(EnvVar var) {
    String name = var.getName() == null ? "" : var.getName().toLowerCase(Locale.ROOT);
    if (env.stream()
        .noneMatch(e -> e.getName() != null && e.getName().toLowerCase(Locale.ROOT).equals(name))) {
      env.add(var);
    }
  }

  /** Compact JSON with sorted keys, as Go marshals a map: {@code {"application":"spilo"}}. */
  static String compactJson(Map<String, String> map) {
    return new TreeMap<>(map)
        .entrySet().stream()
            .map(e -> quote(e.getKey()) + ":" + quote(e.getValue()))
            .collect(Collectors.joining(",", "{", "}"));
  }

  private static String quote(String s) {
    return SpiloConfiguration.goEscape(TextNode.valueOf(s).toString());
  }

  private static boolean notEmpty(String s) {
    return s != null && !s.isEmpty();
  }
}
