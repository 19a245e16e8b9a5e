package dev.cornac.ui;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cornac.api.model.ManifestMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * GETs on the operator's API ({@code OPERATOR_API_URL}) for the operator page and the cluster logs.
 */
public final class OperatorProxy {
  private final String base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  public OperatorProxy(String base) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  /**
   * The answer, or an IllegalStateException that says the operator could not be reached and where.
   */
  public JsonNode get(String path) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(base + path))
                  .timeout(Duration.ofSeconds(5))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode body = ManifestMapper.json().readTree(r.body());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(
            "the operator answered "
                + r.statusCode()
                + " for "
                + path
                + ": "
                + body.path("error").asText(r.body()));
      }
      return body;
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot reach the operator at "
              + base
              + " (OPERATOR_API_URL): "
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }
}
