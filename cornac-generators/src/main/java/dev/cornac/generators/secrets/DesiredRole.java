package dev.cornac.generators.secrets;

import java.util.List;
import java.util.Map;

/**
 * A PostgreSQL role the cluster should have (upstream: pkg/cluster/cluster.go, initUsers): its
 * flags, memberships, admin role and parameters, and where its credential secret goes when it can
 * log in.
 */
public record DesiredRole(
    String name,
    Origin origin,
    List<String> flags,
    List<String> memberOf,
    String adminRole,
    Map<String, String> parameters,
    String secretNamespace) {

  public enum Origin {
    SYSTEM,
    MANIFEST,
    PREPARED_DATABASE,
    POOLER,
    STREAM,
    INFRASTRUCTURE,
    TEAM,
    MONITORING
  }

  public boolean canLogin() {
    return flags.contains("LOGIN");
  }
}
