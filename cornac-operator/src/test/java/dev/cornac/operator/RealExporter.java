package dev.cornac.operator;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/**
 * The Debian postgres_exporter on 127.0.0.1 and a free port, configured by its environment
 * variables.
 */
final class RealExporter implements AutoCloseable {
  private final Process process;
  final String url;

  private RealExporter(Process process, int port) {
    this.process = process;
    this.url = "http://127.0.0.1:" + port + "/metrics";
  }

  static RealExporter start(Map<String, String> env) throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ProcessBuilder pb =
        new ProcessBuilder(
                "/usr/bin/prometheus-postgres-exporter", "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().remove("DATA_SOURCE_NAME");
    pb.environment().putAll(env);
    return new RealExporter(pb.start(), port);
  }

  String scrape() throws Exception {
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }
}
