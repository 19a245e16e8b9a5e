package dev.cornac.operator;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real S3-compatible server (s3proxy with its filesystem backend) on 127.0.0.1 over TLS, its
 * certificate made for {@code localhost} by the JDK's keytool; a bucket is a directory of its data
 * directory.
 */
public final class S3ProxyServer implements AutoCloseable {
  public static final String IDENTITY = "cornac-test-identity";
  public static final String CREDENTIAL =
      "cornac-test-credential-" + Long.toHexString(System.nanoTime());

  private final Path dir;
  private final Process process;
  public final int httpPort;
  public final int httpsPort;
  public final Path caFile;

  private S3ProxyServer(Path dir, Process process, int httpPort, int httpsPort, Path caFile) {
    this.dir = dir;
    this.process = process;
    this.httpPort = httpPort;
    this.httpsPort = httpsPort;
    this.caFile = caFile;
  }

  /**
   * Needs target/s3proxy/s3proxy.jar, copied by the module's maven-dependency-plugin (see
   * cornac-cli's pom).
   */
  public static S3ProxyServer start(Path dir) throws Exception {
    Path jar = Path.of("target", "s3proxy", "s3proxy.jar").toAbsolutePath();
    if (!Files.exists(jar)) {
      throw new IllegalStateException(
          jar
              + " is missing; it is copied by the maven-dependency-plugin in "
              + "process-test-resources (mvn test, not the IDE alone)");
    }
    Files.createDirectories(dir.resolve("data"));
    // pgBackRest runs as the runtime user (postgres under root): it must read the CA file.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Path keystore = dir.resolve("keystore.jks");
    run(
        List.of(
            keytool,
            "-genkeypair",
            "-keyalg",
            "RSA",
            "-keysize",
            "2048",
            "-alias",
            "s3proxy",
            "-keystore",
            keystore.toString(),
            "-storepass",
            "password",
            "-keypass",
            "password",
            "-validity",
            "30",
            "-dname",
            "CN=localhost",
            "-ext",
            "SAN=dns:localhost,ip:127.0.0.1"));
    Path ca = dir.resolve("s3proxy-ca.pem");
    run(
        List.of(
            keytool,
            "-exportcert",
            "-rfc",
            "-alias",
            "s3proxy",
            "-keystore",
            keystore.toString(),
            "-storepass",
            "password",
            "-file",
            ca.toString()));
    Files.setPosixFilePermissions(ca, PosixFilePermissions.fromString("rw-r--r--"));
    int http = freePort();
    int https = freePort();
    Path properties = dir.resolve("s3proxy.properties");
    Files.writeString(
        properties,
        String.join(
            "\n",
            "s3proxy.endpoint=http://127.0.0.1:" + http,
            "s3proxy.secure-endpoint=https://127.0.0.1:" + https,
            "s3proxy.keystore-path=" + keystore,
            "s3proxy.keystore-password=password",
            "s3proxy.authorization=aws-v2-or-v4",
            "s3proxy.identity=" + IDENTITY,
            "s3proxy.credential=" + CREDENTIAL,
            "jclouds.provider=filesystem",
            "jclouds.filesystem.basedir=" + dir.resolve("data"),
            ""));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java, "-Xmx256m", "-jar", jar.toString(), "--properties", properties.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("s3proxy.log").toFile())
            .start();
    S3ProxyServer server = new S3ProxyServer(dir, p, http, https, ca);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(deadline)) {
      if (!p.isAlive()) {
        throw new IllegalStateException(
            "s3proxy exited: " + Files.readString(dir.resolve("s3proxy.log")));
      }
      try {
        HttpURLConnection c =
            (HttpURLConnection)
                URI.create("http://127.0.0.1:" + http + "/").toURL().openConnection();
        c.setConnectTimeout(500);
        c.getResponseCode();
        return server;
      } catch (IOException e) {
        Thread.sleep(200);
      }
    }
    server.close();
    throw new IllegalStateException("s3proxy did not answer within 60 s");
  }

  /** A bucket: a directory with the filesystem backend. */
  public void createBucket(String name) throws IOException {
    Files.createDirectories(dir.resolve("data").resolve(name));
  }

  private static void run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
    }
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
