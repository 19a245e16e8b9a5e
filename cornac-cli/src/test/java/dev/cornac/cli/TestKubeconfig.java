package dev.cornac.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A kubeconfig that points a CLI command (or an operator process) at the test's API server. */
final class TestKubeconfig {
  private TestKubeconfig() {}

  static Path write(Path dir, String serverUrl, String namespace) throws IOException {
    Path file = dir.resolve("kubeconfig");
    Files.writeString(file, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster: {server: "%s", insecure-skip-tls-verify: true}
        users:
        - name: tester
          user: {token: test}
        contexts:
        - name: mock
          context: {cluster: mock, user: tester, namespace: %s}
        current-context: mock
        """.formatted(serverUrl, namespace));
    return file;
  }
}
