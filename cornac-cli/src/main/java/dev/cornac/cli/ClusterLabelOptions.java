package dev.cornac.cli;

import dev.cornac.api.config.OperatorConfig;
import picocli.CommandLine.Option;

/**
 * The labels the operator puts on a cluster's objects, for an operator configured with other ones
 * than upstream's ({@code cluster_name_label}, {@code pod_role_label}): flags, else the
 * environment, else the configuration's defaults.
 */
final class ClusterLabelOptions {
  static final String CLUSTER_NAME_ENV = "CORNAC_CLUSTER_NAME_LABEL";
  static final String POD_ROLE_ENV = "CORNAC_POD_ROLE_LABEL";

  @Option(
      names = "--cluster-name-label",
      description =
          "the operator's cluster_name_label (default: $"
              + CLUSTER_NAME_ENV
              + ", else cluster-name)")
  String clusterNameLabel;

  @Option(
      names = "--pod-role-label",
      description =
          "the operator's pod_role_label (default: $" + POD_ROLE_ENV + ", else spilo-role)")
  String podRoleLabel;

  String clusterName() {
    return first(
        clusterNameLabel,
        System.getenv(CLUSTER_NAME_ENV),
        OperatorConfig.defaults().clusterNameLabel());
  }

  String podRole() {
    return first(
        podRoleLabel, System.getenv(POD_ROLE_ENV), OperatorConfig.defaults().podRoleLabel());
  }

  private static String first(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    throw new IllegalStateException("no default label");
  }
}
