package dev.cornac.operator.backups;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cornac.api.model.ManifestMapper;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A cluster's base backups and recoverable time range, read from its WAL-G archive in S3 (upstream:
 * ui/operator_ui/spiloutils.py, read_basebackups): every {@code
 * basebackups_005/*_backup_stop_sentinel.json} is a base backup; the range runs from the end of the
 * earliest one to the newest archived WAL segment. Bounded in time: a wrong key, a missing bucket
 * or an unreachable endpoint is an error within seconds.
 */
public final class BackupCatalog {
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  public record BaseBackup(
      String name, Instant finished, long size, String startLsn, String finishLsn) {}

  public record Catalog(
      String location,
      List<BaseBackup> backups,
      Optional<Instant> earliest,
      Optional<Instant> latest) {
    /** Whether a clone can recover to {@code t}. */
    public boolean covers(Instant t) {
      return earliest.isPresent()
          && latest.isPresent()
          && !t.isBefore(earliest.get())
          && !t.isAfter(latest.get());
    }
  }

  /** An error the user can act on, with no key in it. */
  public static final class BackupListingException extends RuntimeException {
    public BackupListingException(String message) {
      super(message);
    }
  }

  private BackupCatalog() {}

  public static Catalog list(S3Location location) {
    try (S3Client s3 = client(location)) {
      List<BaseBackup> backups = new ArrayList<>();
      Instant latestWal = null;
      for (S3Object o : objects(s3, location.bucket(), location.prefix() + "basebackups_005/")) {
        if (o.key().endsWith("_backup_stop_sentinel.json")) {
          backups.add(backup(s3, location.bucket(), o));
        }
      }
      for (S3Object o : objects(s3, location.bucket(), location.prefix() + "wal_005/")) {
        if (latestWal == null || o.lastModified().isAfter(latestWal)) {
          latestWal = o.lastModified();
        }
      }
      backups.sort(Comparator.comparing(BaseBackup::finished));
      Optional<Instant> earliest = backups.stream().map(BaseBackup::finished).findFirst();
      Optional<Instant> latest =
          Optional.ofNullable(latestWal)
              .or(
                  () ->
                      backups.isEmpty()
                          ? Optional.empty()
                          : Optional.of(backups.get(backups.size() - 1).finished()));
      return new Catalog(location.toString(), backups, earliest, latest);
    } catch (S3Exception e) {
      throw new BackupListingException(
          explain(
              location,
              e.statusCode(),
              e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode()));
    } catch (SdkException e) {
      throw new BackupListingException(
          "cannot reach "
              + location
              + " ("
              + e.getMessage()
              + "); check AWS_ENDPOINT "
              + "in the pod environment");
    }
  }

  static String explain(S3Location location, int status, String code) {
    if ("NoSuchBucket".equals(code) || status == 404) {
      return "the bucket "
          + location.bucket()
          + " does not exist at "
          + location.endpoint().orElse("AWS S3")
          + "; check WAL_S3_BUCKET / wal_s3_bucket";
    }
    if (status == 403
        || "InvalidAccessKeyId".equals(code)
        || "SignatureDoesNotMatch".equals(code)) {
      return "S3 refused the credentials for "
          + location
          + " ("
          + code
          + "); check AWS_ACCESS_KEY_ID and "
          + "AWS_SECRET_ACCESS_KEY in pod_environment_secret";
    }
    return "S3 answered " + status + " " + code + " for " + location;
  }

  private static List<S3Object> objects(S3Client s3, String bucket, String prefix) {
    List<S3Object> out = new ArrayList<>();
    String token = null;
    do {
      ListObjectsV2Response r =
          s3.listObjectsV2(
              ListObjectsV2Request.builder()
                  .bucket(bucket)
                  .prefix(prefix)
                  .continuationToken(token)
                  .build());
      out.addAll(r.contents());
      token = Boolean.TRUE.equals(r.isTruncated()) ? r.nextContinuationToken() : null;
    } while (token != null);
    return out;
  }

  /**
   * WAL-G's sentinel: FinishTime, UncompressedSize, LSN and FinishLSN; the object's time when it
   * has none.
   */
  private static BaseBackup backup(S3Client s3, String bucket, S3Object o) {
    String file = o.key().substring(o.key().lastIndexOf('/') + 1);
    String name = file.substring(0, file.length() - "_backup_stop_sentinel.json".length());
    JsonNode sentinel;
    try {
      sentinel =
          ManifestMapper.json()
              .readTree(
                  s3.getObjectAsBytes(
                          GetObjectRequest.builder().bucket(bucket).key(o.key()).build())
                      .asByteArray());
    } catch (IOException e) {
      sentinel = ManifestMapper.json().createObjectNode();
    }
    Instant finished = o.lastModified();
    if (sentinel.hasNonNull("FinishTime")) {
      try {
        finished = OffsetDateTime.parse(sentinel.path("FinishTime").asText()).toInstant();
      } catch (DateTimeParseException e) {
        // keep the object's time
      }
    }
    return new BaseBackup(
        name,
        finished,
        sentinel.path("UncompressedSize").asLong(o.size()),
        sentinel.path("LSN").asText(""),
        sentinel.path("FinishLSN").asText(""));
  }

  private static S3Client client(S3Location l) {
    var builder =
        S3Client.builder()
            .httpClient(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(TIMEOUT)
                    .socketTimeout(TIMEOUT)
                    .build())
            .region(Region.of(l.region()))
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(l.accessKey(), l.secretKey())))
            .forcePathStyle(l.pathStyle())
            .overrideConfiguration(
                o ->
                    o.apiCallTimeout(TIMEOUT.multipliedBy(3)).retryStrategy(r -> r.maxAttempts(1)));
    l.endpoint().ifPresent(e -> builder.endpointOverride(URI.create(e)));
    return builder.build();
  }
}
