package dev.cornac.dataplane.patroni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cornac.api.model.ManifestMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Patroni's REST API (port 8008) of one member (upstream: pkg/util/patroni/patroni.go): typed
 * answers, Patroni's plain-text replies to restart/switchover kept as messages, reads retried every
 * {@code retryInterval} up to {@code retryTimeout} (upstream's patroni_api_check_interval/timeout),
 * writes never retried, every failure a {@link PatroniException} that says which member, what call
 * and what Patroni answered.
 */
public final class PatroniClient {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /**
   * One HTTP client for every member: a client holds a selector thread and a connection pool, and
   * the operator talks to thousands of members. Each request carries its own timeout.
   */
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final URI base;
  private final Duration requestTimeout;
  private final Duration retryInterval;
  private final Duration retryTimeout;

  public PatroniClient(
      URI base, Duration requestTimeout, Duration retryInterval, Duration retryTimeout) {
    this.base = base;
    this.requestTimeout = requestTimeout;
    this.retryInterval = retryInterval;
    this.retryTimeout = retryTimeout;
  }

  /** A client with upstream's defaults: 5 s per request, reads retried every 1 s for up to 5 s. */
  public static PatroniClient of(String host, int port) {
    return new PatroniClient(
        URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port),
        Duration.ofSeconds(5),
        Duration.ofSeconds(1),
        Duration.ofSeconds(5));
  }

  /**
   * The same member, each read tried once: for a reconcile pass, which must not wait on a member
   * that is down (it looks again at its next pass).
   */
  public PatroniClient once() {
    return new PatroniClient(base, requestTimeout, retryInterval, Duration.ZERO);
  }

  public URI base() {
    return base;
  }

  public List<ClusterMember> cluster() {
    JsonNode root = getJson("/cluster");
    List<ClusterMember> members = new ArrayList<>();
    for (JsonNode m : root.path("members")) {
      JsonNode lag = m.path("lag");
      members.add(
          new ClusterMember(
              m.path("name").asText(),
              PatroniRole.parse(m.path("role").asText(null)),
              m.path("state").asText(""),
              m.path("host").asText(""),
              m.path("port").asInt(0),
              m.path("api_url").asText(""),
              m.has("timeline") ? OptionalInt.of(m.path("timeline").asInt()) : OptionalInt.empty(),
              lag.isNumber() ? OptionalLong.of(lag.asLong()) : OptionalLong.empty(),
              m.path("pending_restart").asBoolean(false)));
    }
    return members;
  }

  public MemberStatus patroni() {
    JsonNode p = getJson("/patroni");
    return new MemberStatus(
        p.path("state").asText(""),
        PatroniRole.parse(p.path("role").asText(null)),
        p.path("server_version").asInt(0),
        p.path("pending_restart").asBoolean(false),
        p.path("timeline").asInt(0),
        p.path("patroni").path("version").asText(""),
        p.path("patroni").path("scope").asText(""));
  }

  /** The dynamic configuration stored in the DCS. */
  public JsonNode config() {
    return getJson("/config");
  }

  /** {@code [[timeline, lsn, reason, time, new leader], ...]}, empty before the first promotion. */
  public JsonNode history() {
    return getJson("/history");
  }

  /**
   * Patches the dynamic configuration with only the given keys; answers the whole new
   * configuration.
   */
  public JsonNode patchConfig(ObjectNode changes) {
    HttpResponse<String> r = send("PATCH", "/config", changes.toString());
    return parse("/config", r.body());
  }

  /**
   * Restarts PostgreSQL on this member if it has a pending restart; Patroni's message on success.
   */
  public String restartPending() {
    ObjectNode body = F.objectNode().put("restart_pending", true);
    return send("POST", "/restart", body.toString()).body();
  }

  /** Restarts PostgreSQL on this member now; Patroni answers once it is back. */
  public String restart() {
    return send("POST", "/restart", "{}").body();
  }

  public String reload() {
    return send("POST", "/reload", "").body();
  }

  /**
   * A planned switchover sent to the current leader; immediate without {@code at}, else scheduled
   * (Patroni answers 202). Patroni refuses with 412 when the candidate is not a healthy replica or
   * the leader name is wrong.
   */
  public String switchover(String leader, String candidate, Optional<OffsetDateTime> at) {
    ObjectNode body = F.objectNode().put("leader", leader).put("candidate", candidate);
    at.ifPresent(t -> body.put("scheduled_at", t.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)));
    return send("POST", "/switchover", body.toString()).body();
  }

  private JsonNode getJson(String path) {
    long deadline = System.nanoTime() + retryTimeout.toNanos();
    while (true) {
      try {
        return parse(path, send("GET", path, null).body());
      } catch (PatroniException e) {
        if ((e.status() >= 400 && e.status() < 500)
            || System.nanoTime() + retryInterval.toNanos() > deadline) {
          throw e;
        }
      }
      sleep(retryInterval);
    }
  }

  private HttpResponse<String> send(String method, String path, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(requestTimeout);
    if (body == null) {
      b.GET();
    } else {
      b.method(method, HttpRequest.BodyPublishers.ofString(body))
          .header("Content-Type", "application/json");
    }
    HttpResponse<String> r;
    try {
      r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new PatroniException(
          "Patroni at "
              + base
              + " did not answer "
              + method
              + " "
              + path
              + " within "
              + requestTimeout.toSeconds()
              + " s",
          e);
    } catch (ConnectException e) {
      throw new PatroniException(
          "Patroni at "
              + base
              + " is not reachable ("
              + method
              + " "
              + path
              + "): is the member running?",
          e);
    } catch (IOException e) {
      throw new PatroniException(
          "Patroni at " + base + " failed on " + method + " " + path + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PatroniException("interrupted while calling Patroni at " + base, e);
    }
    if (r.statusCode() >= 300) {
      throw new PatroniException(
          "Patroni at "
              + base
              + " refused "
              + method
              + " "
              + path
              + " (HTTP "
              + r.statusCode()
              + "): "
              + r.body().strip(),
          r.statusCode());
    }
    return r;
  }

  private JsonNode parse(String path, String body) {
    try {
      return ManifestMapper.json().readTree(body);
    } catch (IOException e) {
      throw new PatroniException(
          "Patroni at "
              + base
              + " answered "
              + path
              + " with something that is not JSON: "
              + body.strip(),
          0);
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
