package dev.cornac.operator.backups;

import dev.cornac.api.config.OperatorConfig;
import dev.cornac.generators.Cluster;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where a cluster's pods put their WAL archive and base backups (WAL-G's layout under Spilo), from
 * the same sources the pods read: {@code wal_s3_bucket} and {@code aws_region} of the operator
 * configuration, the pod-environment ConfigMap and Secret, and the manifest's env — later sources
 * win, as in the pod.
 */
public record S3Location(
    String bucket,
    String prefix,
    Optional<String> endpoint,
    String region,
    boolean pathStyle,
    String accessKey,
    String secretKey) {

  /** Empty when the cluster archives nowhere Cornac can read (no bucket, or no credentials). */
  public static Optional<S3Location> of(
      OperatorConfig config,
      Cluster c,
      Map<String, String> configMapData,
      Map<String, String> secretData) {
    Map<String, String> vars = new LinkedHashMap<>();
    put(vars, "WAL_S3_BUCKET", config.string("wal_s3_bucket"));
    put(vars, "AWS_REGION", config.string("aws_region"));
    configMapData.forEach((k, v) -> put(vars, k, v));
    secretData.forEach((k, v) -> put(vars, k, v));
    List<EnvVar> env = c.spec().env == null ? List.of() : c.spec().env;
    env.stream()
        .filter(e -> e.getValue() != null)
        .forEach(e -> put(vars, e.getName(), e.getValue()));
    String bucket = vars.getOrDefault("WAL_S3_BUCKET", "");
    String key = vars.getOrDefault("AWS_ACCESS_KEY_ID", "");
    String secret = vars.getOrDefault("AWS_SECRET_ACCESS_KEY", "");
    if (bucket.isEmpty() || key.isEmpty() || secret.isEmpty()) {
      return Optional.empty();
    }
    // Spilo: s3://<bucket>/spilo/<scope><WAL_BUCKET_SCOPE_SUFFIX>/wal/<major version>/
    String suffix = c.uid().isEmpty() ? "" : "/" + c.uid();
    String prefix = "spilo/" + c.name() + suffix + "/wal/" + c.postgresVersion() + "/";
    Optional<String> endpoint =
        Optional.ofNullable(vars.get("AWS_ENDPOINT")).filter(s -> !s.isEmpty());
    boolean pathStyle =
        Boolean.parseBoolean(
            vars.getOrDefault("AWS_S3_FORCE_PATH_STYLE", Boolean.toString(endpoint.isPresent())));
    return Optional.of(
        new S3Location(
            bucket,
            prefix,
            endpoint,
            vars.getOrDefault("AWS_REGION", "us-east-1"),
            pathStyle,
            key,
            secret));
  }

  private static void put(Map<String, String> vars, String key, String value) {
    if (value != null && !value.isBlank()) {
      vars.put(key.toUpperCase(Locale.ROOT), value.strip());
    }
  }

  /** Never the keys: this record's text goes into logs and errors. */
  @Override
  public String toString() {
    return "s3://" + bucket + "/" + prefix + endpoint.map(e -> " at " + e).orElse("");
  }
}
