package dev.cornac.operator.config;

import dev.cornac.api.config.ConfigMapValues;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * How the operator process was started: upstream's environment variables (upstream: cmd/main.go,
 * pkg/controller/controller.go and docs/reference/command_line_and_environment.md) plus Cornac's
 * own switches. Read once; nothing else reads the environment.
 */
public record OperatorEnvironment(
    Optional<String> configMapName,
    Optional<String> operatorConfigurationObject,
    String operatorNamespace,
    Optional<String> watchedNamespace,
    String controllerId,
    boolean noDatabaseAccess,
    boolean noTeamsApi,
    double kubeQps,
    int kubeBurst,
    boolean leaderElection,
    String leaseName,
    Duration crdReadyWaitInterval,
    Duration crdReadyWaitTimeout) {

  static final Path SERVICE_ACCOUNT_NAMESPACE =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");
  public static final String DEFAULT_LEASE = "cornac-postgres-operator";

  public static OperatorEnvironment fromEnvironment(
      Map<String, String> env,
      boolean noDatabaseAccess,
      boolean noTeamsApi,
      double kubeQps,
      int kubeBurst) {
    return new OperatorEnvironment(
        nonEmpty(env.get("CONFIG_MAP_NAME")),
        nonEmpty(env.get("POSTGRES_OPERATOR_CONFIGURATION_OBJECT")),
        nonEmpty(env.get("OPERATOR_NAMESPACE"))
            .orElseGet(OperatorEnvironment::serviceAccountNamespace),
        nonEmpty(env.get("WATCHED_NAMESPACE")),
        env.getOrDefault("CONTROLLER_ID", ""),
        noDatabaseAccess,
        noTeamsApi,
        kubeQps,
        kubeBurst,
        !"false".equalsIgnoreCase(env.getOrDefault("CORNAC_LEADER_ELECTION", "true")),
        nonEmpty(env.get("CORNAC_LEADER_ELECTION_LEASE")).orElse(DEFAULT_LEASE),
        duration(env, "CRD_READY_WAIT_INTERVAL", "4s"),
        duration(env, "CRD_READY_WAIT_TIMEOUT", "30s"));
  }

  private static Duration duration(Map<String, String> env, String name, String fallback) {
    return ConfigMapValues.parseDuration(name, nonEmpty(env.get(name)).orElse(fallback));
  }

  private static String serviceAccountNamespace() {
    try {
      return Files.exists(SERVICE_ACCOUNT_NAMESPACE)
          ? Files.readString(SERVICE_ACCOUNT_NAMESPACE).strip()
          : "default";
    } catch (IOException e) {
      return "default";
    }
  }

  private static Optional<String> nonEmpty(String s) {
    return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.strip());
  }
}
