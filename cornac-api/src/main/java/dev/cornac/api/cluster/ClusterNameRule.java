package dev.cornac.api.cluster;

import dev.cornac.api.model.Patterns;
import java.util.Optional;

/**
 * Upstream's {@code {TEAM}-{NAME}} rule (upstream: pkg/apis/acid.zalan.do/v1/util.go,
 * ExtractClusterName). It is enforced only with {@code enable_team_id_clustername_prefix}, but the
 * short name always feeds the legacy DNS names.
 */
public final class ClusterNameRule {
  public static final int MAX_NAME_LENGTH = 58;

  /**
   * The suffixes of the Services a cluster's name is the stem of; the longest one bounds the name.
   */
  public static final String REPLICA_SUFFIX = "-repl";

  public static final String POOLER_SUFFIX = "-pooler";
  public static final String REPLICA_POOLER_SUFFIX = "-pooler-repl";

  private ClusterNameRule() {}

  /**
   * The error upstream reports, with upstream's exact wording, or empty when the name has the team
   * prefix.
   */
  public static Optional<String> prefixError(String name, String teamId) {
    if (teamId == null || teamId.isEmpty()) {
      return Optional.of("team name is empty");
    }
    if (name.length() < teamId.length() + 2) {
      return Optional.of(
          "cluster name must match {TEAM}-{NAME} format. Got cluster name '"
              + name
              + "', team name '"
              + teamId
              + "'");
    }
    if (!name.substring(0, teamId.length() + 1).equalsIgnoreCase(teamId + "-")) {
      return Optional.of("name must match {TEAM}-{NAME} format");
    }
    if (name.length() > MAX_NAME_LENGTH) {
      return Optional.of("name cannot be longer than 58 characters");
    }
    if (!name.matches(Patterns.DNS_1035)) {
      return Optional.of(
          "name must confirm to DNS-1035, regex used for validation is \""
              + Patterns.DNS_1035
              + "\"");
    }
    return Optional.empty();
  }

  /** The part after {@code teamId-}, when the name has that prefix. */
  public static Optional<String> shortName(String name, String teamId) {
    return prefixError(name, teamId).isEmpty()
        ? Optional.of(name.substring(teamId.length() + 1))
        : Optional.empty();
  }
}
