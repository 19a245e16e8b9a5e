package dev.cornac.local;

import dev.cornac.api.config.OperatorConfig;
import dev.cornac.generators.Cluster;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a local cluster keeps its WAL archive and base backups: an S3 bucket, from the same
 * settings a Spilo pod gets — the operator configuration ({@code wal_s3_bucket}, {@code
 * aws_region}), the manifest's {@code env}, and the variables the seed puts in its {@code
 * pod_environment_configmap}/{@code pod_environment_secret} ({@code WAL_S3_BUCKET}, {@code
 * AWS_ENDPOINT}, {@code AWS_REGION}, {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY},
 * {@code AWS_S3_FORCE_PATH_STYLE}, {@code BACKUP_SCHEDULE}, {@code BACKUP_NUM_TO_RETAIN}), given to
 * {@code local up --env-file}; plus {@code AWS_CA_BUNDLE} for a private CA.
 */
public record BackupSettings(
    String bucket,
    String endpointHost,
    int endpointPort,
    String region,
    String accessKey,
    String secretKey,
    boolean pathStyle,
    Path caFile,
    String schedule,
    int retainFull) {

  /** Spilo's defaults. */
  static final String DEFAULT_SCHEDULE = "00 01 * * *";

  static final int DEFAULT_RETAIN = 5;

  /** Where in the bucket: one pgBackRest repository, a stanza per cluster name. */
  public static final String REPO_PATH = "/cornac-local";

  /**
   * The settings, or empty when no bucket is configured (backups off); a LocalRuntimeException
   * names what is wrong.
   */
  public static Optional<BackupSettings> resolve(
      OperatorConfig config, Cluster c, Map<String, String> envFile) {
    Map<String, String> vars = new LinkedHashMap<>();
    put(vars, "WAL_S3_BUCKET", config.string("wal_s3_bucket"));
    put(vars, "AWS_REGION", config.string("aws_region"));
    List<EnvVar> env = c.spec().env == null ? List.of() : c.spec().env;
    env.stream()
        .filter(e -> e.getValue() != null)
        .forEach(e -> put(vars, e.getName(), e.getValue()));
    envFile.forEach((k, v) -> put(vars, k, v));
    String bucket = vars.getOrDefault("WAL_S3_BUCKET", "");
    if (bucket.isEmpty()) {
      return Optional.empty();
    }
    String region = vars.getOrDefault("AWS_REGION", "us-east-1");
    String endpoint = vars.getOrDefault("AWS_ENDPOINT", "https://s3." + region + ".amazonaws.com");
    URI uri;
    try {
      uri = URI.create(endpoint.contains("://") ? endpoint : "https://" + endpoint);
    } catch (IllegalArgumentException e) {
      throw new LocalRuntimeException(
          "AWS_ENDPOINT " + endpoint + " is not a URL; give it as https://host:port");
    }
    if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new LocalRuntimeException(
          "AWS_ENDPOINT "
              + endpoint
              + ": the local runtime's backups (pgBackRest) reach "
              + "S3 over HTTPS only; serve the endpoint over TLS (MinIO: --certs-dir) and give its CA in AWS_CA_BUNDLE");
    }
    String key = vars.getOrDefault("AWS_ACCESS_KEY_ID", "");
    String secret = vars.getOrDefault("AWS_SECRET_ACCESS_KEY", "");
    if (key.isEmpty() || secret.isEmpty()) {
      throw new LocalRuntimeException(
          "WAL_S3_BUCKET is "
              + bucket
              + " but AWS_ACCESS_KEY_ID and "
              + "AWS_SECRET_ACCESS_KEY are not set; put them in the file given to --env-file (as in the seed's "
              + "pod_environment_secret)");
    }
    Path ca = null;
    if (!vars.getOrDefault("AWS_CA_BUNDLE", "").isEmpty()) {
      ca = Path.of(vars.get("AWS_CA_BUNDLE")).toAbsolutePath();
      if (!Files.isReadable(ca)) {
        throw new LocalRuntimeException(
            "AWS_CA_BUNDLE "
                + ca
                + " cannot be read; give the PEM file of the CA that "
                + "signed the S3 endpoint's certificate");
      }
    }
    boolean custom = vars.containsKey("AWS_ENDPOINT");
    boolean pathStyle =
        Boolean.parseBoolean(
            vars.getOrDefault("AWS_S3_FORCE_PATH_STYLE", Boolean.toString(custom)));
    int retain;
    try {
      retain =
          Integer.parseInt(
              vars.getOrDefault("BACKUP_NUM_TO_RETAIN", Integer.toString(DEFAULT_RETAIN)));
    } catch (NumberFormatException e) {
      throw new LocalRuntimeException(
          "BACKUP_NUM_TO_RETAIN must be a number; got " + vars.get("BACKUP_NUM_TO_RETAIN"));
    }
    String schedule = vars.getOrDefault("BACKUP_SCHEDULE", DEFAULT_SCHEDULE);
    CronSchedule.parse(schedule);
    return Optional.of(
        new BackupSettings(
            bucket,
            uri.getHost(),
            uri.getPort() > 0 ? uri.getPort() : 443,
            region,
            key,
            secret,
            pathStyle,
            ca,
            schedule,
            Math.max(1, retain)));
  }

  /**
   * Fails at once, naming AWS_ENDPOINT, when nothing listens there: pgBackRest would retry for tens
   * of seconds before saying the same.
   */
  public void probe() {
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(new java.net.InetSocketAddress(endpointHost, endpointPort), 3000);
    } catch (IOException e) {
      throw new LocalRuntimeException(
          "cannot connect to the S3 endpoint "
              + endpointHost
              + ":"
              + endpointPort
              + " ("
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
              + "); check AWS_ENDPOINT (is "
              + "the S3 server up and reachable?)");
    }
  }

  private static void put(Map<String, String> vars, String key, String value) {
    if (value != null && !value.isBlank()) {
      vars.put(key, value.strip());
    }
  }

  /**
   * {@code KEY=VALUE} lines (blank lines and {@code #} comments skipped, optional quotes removed).
   */
  public static Map<String, String> readEnvFile(Path file) {
    Map<String, String> vars = new LinkedHashMap<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new LocalRuntimeException("cannot read " + file + ": " + e.getMessage());
    }
    int n = 0;
    for (String line : lines) {
      n++;
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      if (l.startsWith("export ")) {
        l = l.substring(7).strip();
      }
      int eq = l.indexOf('=');
      if (eq <= 0) {
        throw new LocalRuntimeException(file + " line " + n + " is not KEY=VALUE");
      }
      String value = l.substring(eq + 1).strip();
      if (value.length() >= 2
          && (value.startsWith("\"") && value.endsWith("\"")
              || value.startsWith("'") && value.endsWith("'"))) {
        value = value.substring(1, value.length() - 1);
      }
      vars.put(l.substring(0, eq).strip(), value);
    }
    return vars;
  }
}
