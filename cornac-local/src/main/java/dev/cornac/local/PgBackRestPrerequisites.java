package dev.cornac.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code up} and {@code apply} check before PostgreSQL's {@code archive_command} runs
 * pgBackRest, because pgBackRest's own errors for these say nothing useful: pgBackRest is
 * installed, the runtime user (who runs PostgreSQL and so pgBackRest) can read {@code
 * AWS_CA_BUNDLE}, and the endpoint is named so that pgBackRest can match it against the server's
 * certificate.
 */
final class PgBackRestPrerequisites {
  /**
   * pgBackRest matches IP addresses against a certificate's IP SANs from 2.53 on (its release
   * notes).
   */
  static final int[] MATCHES_IP_SANS_FROM = {2, 53};

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)");
  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "[::1]");

  private PgBackRestPrerequisites() {}

  static void check(BackupSettings settings, RuntimeUser user) {
    PgBackRest.check();
    if (settings.caFile() != null && !user.canRead(settings.caFile())) {
      throw unreadableCaBundle(settings.caFile(), user);
    }
    if (isIpAddress(settings.endpointHost())) {
      String version = installedVersion();
      if (olderThan(version, MATCHES_IP_SANS_FROM)) {
        throw ipEndpoint(settings, version);
      }
    }
  }

  /*
   * pgBackRest, run by PostgreSQL as the runtime user, cannot open the file and says only "unable to set
   * user-defined CA certificate location: [2147483661] no details available" (OpenSSL's error without a reason).
   */
  private static LocalRuntimeException unreadableCaBundle(Path ca, RuntimeUser user) {
    String fix =
        user.dropsPrivileges()
            ? "let "
                + user.name()
                + " read it (chgrp "
                + user.name()
                + " "
                + ca
                + " && chmod g+r "
                + ca
                + ", or chmod "
                + "o+r "
                + ca
                + "; every directory above it must be searchable by "
                + user.name()
                + "), or copy it to a "
                + "place "
                + user.name()
                + " can read (cp "
                + ca
                + " /etc/ssl/certs/s3-ca.pem && chmod 644 "
                + "/etc/ssl/certs/s3-ca.pem) and point AWS_CA_BUNDLE there"
            : "make it readable (chmod u+r " + ca + ") or point AWS_CA_BUNDLE to a readable copy";
    return new LocalRuntimeException(
        "AWS_CA_BUNDLE "
            + ca
            + " is not readable by the user "
            + user.name()
            + ", who runs PostgreSQL and so pgBackRest (which would fail with \"unable to set user-defined CA certificate "
            + "location\"): a permission problem; "
            + fix);
  }

  private static LocalRuntimeException ipEndpoint(BackupSettings s, String version) {
    String example =
        LOOPBACK.contains(s.endpointHost())
            ? "https://localhost:" + s.endpointPort()
            : "https://<host name>:" + s.endpointPort();
    return new LocalRuntimeException(
        "AWS_ENDPOINT names the S3 server by its IP address "
            + s.endpointHost()
            + ", but pgBackRest "
            + version
            + " matches the server's certificate against host names only (IP addresses "
            + "from "
            + MATCHES_IP_SANS_FROM[0]
            + "."
            + MATCHES_IP_SANS_FROM[1]
            + " on), so TLS would fail with \"unable "
            + "to find hostname '"
            + s.endpointHost()
            + "' in certificate\"; a host name is needed: give one that the "
            + "certificate names ("
            + example
            + ")");
  }

  static boolean isIpAddress(String host) {
    return IPV4.matcher(host).matches() || host.startsWith("[") || host.contains(":");
  }

  static boolean olderThan(String version, int[] reference) {
    Matcher m = VERSION.matcher(version);
    if (!m.find()) {
      return true;
    }
    int major = Integer.parseInt(m.group(1));
    int minor = Integer.parseInt(m.group(2));
    return major < reference[0] || major == reference[0] && minor < reference[1];
  }

  /** "2.45", from what {@code pgbackrest version} prints ("pgBackRest 2.45"). */
  private static String installedVersion() {
    try {
      Process p =
          new ProcessBuilder(List.of(PgBackRest.BINARY, "version"))
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      p.waitFor();
      return out.replaceFirst("^pgBackRest ", "");
    } catch (IOException e) {
      throw new LocalRuntimeException("cannot run " + PgBackRest.BINARY + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LocalRuntimeException("interrupted", e);
    }
  }
}
