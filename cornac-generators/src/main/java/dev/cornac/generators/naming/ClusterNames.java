package dev.cornac.generators.naming;

import dev.cornac.api.cluster.ClusterNameRule;
import dev.cornac.generators.Cluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every object name derived from a cluster, in one place (upstream: pkg/cluster/k8sres.go,
 * serviceName, PrimaryPodDisruptionBudgetName, getLogicalBackupJobName; pkg/cluster/util.go,
 * credentialSecretName).
 */
public final class ClusterNames {
  public static final String TPR_KIND = "postgresql";
  public static final String TPR_GROUP = "acid.zalan.do";
  public static final String PGDATA_VOLUME = "pgdata";
  public static final String CRITICAL_OP_PDB_FORMAT = "postgres-%s-critical-op-pdb";
  private static final int CRONJOB_NAME_LIMIT = 52;

  private ClusterNames() {}

  public static String service(Cluster c, Role role) {
    return role == Role.MASTER ? c.name() : c.name() + ClusterNameRule.REPLICA_SUFFIX;
  }

  public static String patroniConfigService(Cluster c) {
    return c.name() + "-config";
  }

  /**
   * Patroni's DCS objects: {@code <cluster>-leader}, {@code -config}, {@code -sync}, {@code
   * -failover}.
   */
  public static List<String> patroniObjects(Cluster c) {
    return List.of(
        c.name() + "-leader", c.name() + "-config", c.name() + "-sync", c.name() + "-failover");
  }

  /**
   * {@code secret_name_template} with every '_' of the user name replaced by '-' (upstream:
   * pkg/cluster/util.go, credentialSecretNameForCluster).
   */
  public static String credentialSecret(Cluster c, String username) {
    return credentialSecretOf(c, c.name(), username);
  }

  /** The credential secret of a user of another cluster (the clone source's replication user). */
  public static String credentialSecretOf(Cluster c, String clusterName, String username) {
    return credentialSecret(c.config().string("secret_name_template"), clusterName, username);
  }

  /** {@code secret_name_template} filled in, for callers without a whole cluster (the UI). */
  public static String credentialSecret(String template, String clusterName, String username) {
    return template
        .replace("{username}", username.replace('_', '-'))
        .replace("{cluster}", clusterName)
        .replace("{tprkind}", TPR_KIND)
        .replace("{tprgroup}", TPR_GROUP);
  }

  public static String primaryPdb(Cluster c) {
    return c.config().string("pdb_name_format").replace("{cluster}", c.name());
  }

  public static String criticalOpPdb(Cluster c) {
    return String.format(CRITICAL_OP_PDB_FORMAT, c.name());
  }

  public static String pooler(Cluster c, Role role) {
    return c.name()
        + (role == Role.MASTER
            ? ClusterNameRule.POOLER_SUFFIX
            : ClusterNameRule.REPLICA_POOLER_SUFFIX);
  }

  public static String poolerAuthSecret(Cluster c, Role role) {
    return pooler(c, role) + "-u";
  }

  /**
   * {@code logical_backup_job_prefix} + cluster, cut to 52 characters, a trailing '-' removed after
   * the cut.
   */
  public static String logicalBackupJob(Cluster c) {
    String name = c.config().string("logical_backup_job_prefix") + c.name();
    if (name.length() > CRONJOB_NAME_LIMIT) {
      name = name.substring(0, CRONJOB_NAME_LIMIT);
    }
    while (name.endsWith("-")) {
      name = name.substring(0, name.length() - 1);
    }
    return name;
  }

  /**
   * The external-dns host names of a database Service: the current format, then the legacy one
   * (upstream: pkg/cluster/util.go, dnsName).
   */
  public static String serviceDnsNames(Cluster c, Role role) {
    String format =
        c.config()
            .string(role == Role.MASTER ? "master_dns_name_format" : "replica_dns_name_format");
    List<String> names = new ArrayList<>();
    names.add(
        dnsName(format, c.name(), c.namespace(), c.teamId(), c.config().string("db_hosted_zone")));
    ClusterNameRule.shortName(c.name(), c.teamId())
        .ifPresent(
            shortName ->
                names.add(
                    legacyDnsName(
                        c.config()
                            .string(
                                role == Role.MASTER
                                    ? "master_legacy_dns_name_format"
                                    : "replica_legacy_dns_name_format"),
                        shortName,
                        c.teamId(),
                        c.config().string("db_hosted_zone"))));
    return String.join(",", names);
  }

  /**
   * The pooler's host name uses {@code <cluster>-pooler} as {cluster}, and no legacy name
   * (upstream: pkg/cluster/connection_pooler.go, generatePoolerServiceAnnotations).
   */
  public static String poolerDnsName(Cluster c, Role role) {
    String format =
        c.config()
            .string(role == Role.MASTER ? "master_dns_name_format" : "replica_dns_name_format");
    return dnsName(
        format,
        c.name() + ClusterNameRule.POOLER_SUFFIX,
        c.namespace(),
        c.teamId(),
        c.config().string("db_hosted_zone"));
  }

  private static String dnsName(
      String format, String cluster, String namespace, String team, String zone) {
    return format
        .replace("{cluster}", cluster)
        .replace("{namespace}", namespace)
        .replace("{team}", team)
        .replace("{hostedzone}", zone)
        .toLowerCase(Locale.ROOT);
  }

  private static String legacyDnsName(String format, String cluster, String team, String zone) {
    return format
        .replace("{cluster}", cluster)
        .replace("{team}", team)
        .replace("{hostedzone}", zone)
        .toLowerCase(Locale.ROOT);
  }
}
