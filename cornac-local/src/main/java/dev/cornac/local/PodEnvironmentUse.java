package dev.cornac.local;

import dev.cornac.generators.Cluster;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the local runtime does with each pod-environment variable (the manifest's {@code env} and
 * the {@code --env-file}): translated into pgBackRest's settings, used as it is, or ignored with
 * the reason. Spilo's backups are WAL-G's; here they are pgBackRest's, so WAL-G's own variables
 * have no meaning and are said to have none.
 */
final class PodEnvironmentUse {
  private static final Map<String, String> KNOWN = new LinkedHashMap<>();

  static {
    translated("WAL_S3_BUCKET", "repo1-s3-bucket");
    translated("AWS_ENDPOINT", "repo1-s3-endpoint and repo1-storage-port");
    translated("AWS_REGION", "repo1-s3-region");
    translated("AWS_ACCESS_KEY_ID", "repo1-s3-key");
    translated("AWS_SECRET_ACCESS_KEY", "repo1-s3-key-secret");
    translated("AWS_S3_FORCE_PATH_STYLE", "repo1-s3-uri-style");
    translated("AWS_CA_BUNDLE", "repo1-storage-ca-file");
    translated("BACKUP_NUM_TO_RETAIN", "repo1-retention-full");
    KNOWN.put(
        "BACKUP_SCHEDULE", "used: the supervisor takes a full backup on this cron schedule (UTC)");
    String pgBackRest = "backups here are pgBackRest's, not WAL-G's";
    ignored("USE_WALG_BACKUP", pgBackRest);
    ignored("USE_WALG_RESTORE", pgBackRest);
    ignored(
        "WALG_DISABLE_S3_SSE",
        "pgBackRest asks S3 for no server-side encryption, so there is none to turn off");
    ignored(
        "WAL_BUCKET_SCOPE_PREFIX",
        "the local repository is s3://<bucket>"
            + BackupSettings.REPO_PATH
            + " with a stanza per cluster");
    ignored(
        "WAL_BUCKET_SCOPE_SUFFIX",
        "the local repository is s3://<bucket>"
            + BackupSettings.REPO_PATH
            + " with a stanza per cluster");
    for (String other :
        List.of(
            "WAL_GS_BUCKET",
            "GOOGLE_APPLICATION_CREDENTIALS",
            "WAL_AZ_STORAGE_ACCOUNT",
            "AZURE_STORAGE_ACCOUNT",
            "AZURE_STORAGE_ACCESS_KEY")) {
      ignored(other, "local backups go to S3 only");
    }
    ignored(
        "AWS_ROLE_ARN",
        "give AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; no role is assumed locally");
    ignored(
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "give AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; no role is assumed " + "locally");
  }

  private PodEnvironmentUse() {}

  private static void translated(String name, String option) {
    KNOWN.put(name, "translated to pgBackRest " + option);
  }

  private static void ignored(String name, String reason) {
    KNOWN.put(name, "ignored (" + reason + ")");
  }

  /**
   * "NAME: what happens to it" for each variable of the manifest's env and of the file, in that
   * order.
   */
  static List<String> of(Cluster c, Map<String, String> envFile) {
    Map<String, String> uses = new LinkedHashMap<>();
    List<EnvVar> env = c.spec().env == null ? List.of() : c.spec().env;
    for (EnvVar e : env) {
      uses.put(
          e.getName(),
          e.getValue() == null
              ? "ignored (spec.env valueFrom: a Kubernetes reference, not read on one machine)"
              : use(e.getName()));
    }
    envFile.keySet().forEach(name -> uses.put(name, use(name)));
    List<String> lines = new ArrayList<>();
    uses.forEach((name, use) -> lines.add(name + ": " + use));
    return lines;
  }

  static String use(String name) {
    String known = KNOWN.get(name);
    if (known != null) {
      return known;
    }
    if (name.startsWith("WALG_") || name.startsWith("WALE_") || name.startsWith("USE_WALG")) {
      return "ignored (a WAL-G setting; backups here are pgBackRest's)";
    }
    if (name.startsWith("CLONE_") || name.startsWith("STANDBY_")) {
      return "ignored (a copy of a local cluster is `cornac local restore`; standbys do not run locally)";
    }
    return "ignored (not read by the local runtime)";
  }
}
