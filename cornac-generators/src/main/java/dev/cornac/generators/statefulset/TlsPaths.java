package dev.cornac.generators.statefulset;

import dev.cornac.api.model.Tls;
import java.util.Optional;

/**
 * Where the TLS files of {@code spec.tls} end up in the pods (upstream: pkg/cluster/k8sres.go,
 * generateTlsMounts).
 */
public record TlsPaths(String certificate, String privateKey, Optional<String> ca) {
  public static final String TLS_MOUNT = "/tls";
  public static final String TLS_CA_MOUNT = "/tlsca";

  public static TlsPaths of(Tls tls) {
    String cert =
        resolve(
            TLS_MOUNT,
            tls.certificateFile == null || tls.certificateFile.isEmpty()
                ? "tls.crt"
                : tls.certificateFile);
    String key =
        resolve(
            TLS_MOUNT,
            tls.privateKeyFile == null || tls.privateKeyFile.isEmpty()
                ? "tls.key"
                : tls.privateKeyFile);
    Optional<String> ca = Optional.empty();
    if (tls.caFile != null && !tls.caFile.isEmpty()) {
      boolean separate = tls.caSecretName != null && !tls.caSecretName.isEmpty();
      ca = Optional.of(resolve(separate ? TLS_CA_MOUNT : TLS_MOUNT, tls.caFile));
    }
    return new TlsPaths(cert, key, ca);
  }

  private static String resolve(String dir, String file) {
    return file.startsWith("/") ? file : dir + "/" + file;
  }
}
