package dev.cornac.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cornac.api.config.OperatorConfigReader;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.api.model.Postgresql;
import dev.cornac.generators.Cluster;
import dev.cornac.generators.DesiredState;
import dev.cornac.generators.DesiredStateGenerator;
import dev.cornac.generators.secrets.Credentials;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spec.tls} with a real certificate: the files the Spilo and pooler containers are told to
 * use ({@code SSL_*}, {@code CONNECTION_POOLER_CLIENT_TLS_*}) are exactly the files their volumes
 * mount from the secrets, as the kubelet would lay them out; a real PgBouncer given the pooler's
 * files serves TLS that a client verifies against the CA (hostname included), and a client trusting
 * another CA is refused.
 */
class TlsFilesTest {
  @TempDir Path dir;

  static final String MANIFEST =
      """
      apiVersion: acid.zalan.do/v1
      kind: postgresql
      metadata: {name: acid-tls, namespace: default}
      spec:
        teamId: acid
        numberOfInstances: 1
        volume: {size: 1Gi}
        postgresql: {version: "15"}
        enableConnectionPooler: true
        tls: {secretName: pg-tls, caSecretName: pg-ca, caFile: ca.crt}
      """;

  private void openssl(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as("openssl " + String.join(" ", args) + ": " + out).isZero();
  }

  /**
   * A CA and a certificate for localhost signed by it; the key and certificate as a tls Secret
   * would hold them.
   */
  private void certificates(String ca) throws Exception {
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        ca + ".key",
        "-out",
        ca + ".crt",
        "-days",
        "2",
        "-subj",
        "/CN=" + ca);
  }

  private void serverCertificate() throws Exception {
    openssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=localhost");
    Files.writeString(dir.resolve("san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
    openssl(
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.crt",
        "-days",
        "2",
        "-extfile",
        "san.ext");
  }

  /** What the kubelet puts where: every key of a mounted Secret as a file under the mount path. */
  private static Map<String, String> mountedFiles(
      PodSpec pod, Container container, Map<String, Map<String, String>> secrets) {
    Map<String, String> files = new HashMap<>();
    for (VolumeMount m : container.getVolumeMounts()) {
      Optional<Volume> volume =
          pod.getVolumes().stream().filter(v -> v.getName().equals(m.getName())).findFirst();
      if (volume.isEmpty() || volume.get().getSecret() == null) {
        continue;
      }
      Map<String, String> data =
          secrets.getOrDefault(volume.get().getSecret().getSecretName(), Map.of());
      data.forEach(
          (key, value) -> {
            if (m.getSubPath() == null) {
              files.put(m.getMountPath() + "/" + key, value);
            } else if (m.getSubPath().equals(key)) {
              files.put(m.getMountPath(), value);
            }
          });
    }
    return files;
  }

  /** psql's exit code and output for SHOW VERSION on PgBouncer's console, as "code:output". */
  private static String psql(RealPgBouncer pgbouncer, String ssl) throws Exception {
    Process p =
        new ProcessBuilder(
                "psql",
                "host=localhost port="
                    + pgbouncer.port()
                    + " dbname=pgbouncer "
                    + "user=tls_admin connect_timeout=5 "
                    + ssl,
                "-AtXc",
                "SHOW VERSION")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    return p.waitFor() + ":" + out;
  }

  private static Map<String, String> env(Container c) {
    Map<String, String> env = new HashMap<>();
    for (EnvVar e : c.getEnv()) {
      if (e.getValue() != null) {
        env.put(e.getName(), e.getValue());
      }
    }
    return env;
  }

  @Test
  void theContainersAreToldAboutExactlyTheFilesTheirVolumesMountAndPgBouncerServesVerifiedTls()
      throws Exception {
    certificates("ca");
    certificates("other-ca");
    serverCertificate();
    String crt = Files.readString(dir.resolve("server.crt"));
    String key = Files.readString(dir.resolve("server.key"));
    String caCrt = Files.readString(dir.resolve("ca.crt"));
    Map<String, Map<String, String>> secrets =
        Map.of("pg-tls", Map.of("tls.crt", crt, "tls.key", key), "pg-ca", Map.of("ca.crt", caCrt));
    Cluster cluster =
        new Cluster(
            ManifestMapper.yaml().readValue(MANIFEST, Postgresql.class),
            OperatorConfigReader.fromConfigMap(new HashMap<>()));
    DesiredState desired = DesiredStateGenerator.generate(cluster, Credentials.placeholder());

    PodSpec spilo = desired.statefulSet().getSpec().getTemplate().getSpec();
    Container postgres = spilo.getContainers().get(0);
    Map<String, String> spiloFiles = mountedFiles(spilo, postgres, secrets);
    Map<String, String> spiloEnv = env(postgres);
    assertThat(spiloFiles.get(spiloEnv.get("SSL_CERTIFICATE_FILE"))).isEqualTo(crt);
    assertThat(spiloFiles.get(spiloEnv.get("SSL_PRIVATE_KEY_FILE"))).isEqualTo(key);
    assertThat(spiloFiles.get(spiloEnv.get("SSL_CA_FILE")))
        .as("the CA from its own secret")
        .isEqualTo(caCrt);

    PodSpec pooler = desired.poolers().get(0).deployment().getSpec().getTemplate().getSpec();
    Container bouncer = pooler.getContainers().get(0);
    Map<String, String> poolerFiles = mountedFiles(pooler, bouncer, secrets);
    Map<String, String> poolerEnv = env(bouncer);
    assertThat(poolerFiles.get(poolerEnv.get("CONNECTION_POOLER_CLIENT_TLS_CRT"))).isEqualTo(crt);
    assertThat(poolerFiles.get(poolerEnv.get("CONNECTION_POOLER_CLIENT_TLS_KEY"))).isEqualTo(key);
    assertThat(poolerFiles.get(poolerEnv.get("CONNECTION_POOLER_CLIENT_CA_FILE"))).isEqualTo(caCrt);

    // The pooler image's part, from those files: PgBouncer with client TLS required.
    Path root = Files.createDirectories(dir.resolve("pooler-root"));
    for (var f : poolerFiles.entrySet()) {
      Path file = root.resolve(f.getKey().substring(1));
      Files.createDirectories(file.getParent());
      Files.writeString(file, f.getValue());
    }
    Files.writeString(root.resolve("userlist.txt"), "\"tls_admin\" \"x\"\n");
    try (RealPgBouncer pgbouncer =
        RealPgBouncer.start(
            dir,
            "",
            """
        auth_type = trust
        auth_file = %s
        admin_users = tls_admin
        client_tls_sslmode = require
        client_tls_cert_file = %s
        client_tls_key_file = %s
        client_tls_ca_file = %s
        """
                .formatted(
                    root.resolve("userlist.txt"),
                    root.resolve(poolerEnv.get("CONNECTION_POOLER_CLIENT_TLS_CRT").substring(1)),
                    root.resolve(poolerEnv.get("CONNECTION_POOLER_CLIENT_TLS_KEY").substring(1)),
                    root.resolve(
                        poolerEnv.get("CONNECTION_POOLER_CLIENT_CA_FILE").substring(1))))) {
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                assertThat(pgbouncer.log()).doesNotContain("FATAL");
                assertThat(
                        psql(pgbouncer, "sslmode=verify-full sslrootcert=" + dir.resolve("ca.crt")))
                    .startsWith("0:PgBouncer");
              });
      assertThat(psql(pgbouncer, "sslmode=verify-full sslrootcert=" + dir.resolve("other-ca.crt")))
          .as("a client trusting another CA")
          .startsWith("2:")
          .contains("certificate verify failed");
      assertThat(psql(pgbouncer, "sslmode=disable"))
          .as("TLS is required")
          .startsWith("2:")
          .contains("SSL required");
    }
  }
}
