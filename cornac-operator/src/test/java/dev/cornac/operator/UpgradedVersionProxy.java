package dev.cornac.operator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.cornac.api.model.ManifestMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Stands in front of one real Patroni member's REST API and passes every request through, except
 * that once the file {@code serverVersion} exists its number replaces {@code server_version} in
 * {@code GET /patroni}: what a member reports after Spilo's in-place upgrade, which cannot run here
 * (Debian ships one PostgreSQL major version).
 */
final class UpgradedVersionProxy implements AutoCloseable {
  private final HttpServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  UpgradedVersionProxy(java.util.function.Supplier<URI> patroni, Path serverVersion)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            HttpRequest.Builder forward =
                HttpRequest.newBuilder(patroni.get().resolve(exchange.getRequestURI().toString()))
                    .method(
                        exchange.getRequestMethod(),
                        body.length == 0
                            ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            if (type != null) {
              forward.header("Content-Type", type);
            }
            HttpResponse<byte[]> answer =
                http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
            byte[] out = answer.body();
            if (exchange.getRequestURI().getPath().equals("/patroni")
                && Files.exists(serverVersion)) {
              ObjectNode json = (ObjectNode) ManifestMapper.json().readTree(out);
              json.put("server_version", Integer.parseInt(Files.readString(serverVersion).strip()));
              out = ManifestMapper.json().writeValueAsBytes(json);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.statusCode(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
              try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
              }
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
