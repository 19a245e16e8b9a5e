package dev.cornac.operator.http;

import static dev.cornac.operator.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.api.model.Postgresql;
import dev.cornac.operator.CornacOperator;
import dev.cornac.operator.OperatorHarness;
import dev.cornac.testkit.StrictApiServer;
import dev.cornac.testkit.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.Secret;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upstream's operator API and Cornac's {@code /metrics}, over HTTP, against an operator running on
 * the mock API server: paths, shapes and errors as upstream answers them, no secret in any answer,
 * metrics accepted by promtool.
 */
@WithStrictApiServer
class OperatorApiTest {
  StrictApiServer api;
  OperatorHarness k8s;
  @TempDir Path dir;
  final HttpClient http = HttpClient.newHttpClient();
  final List<String> bodies = new ArrayList<>();
  int port;

  static final String CLUSTER =
      """
      apiVersion: acid.zalan.do/v1
      kind: postgresql
      metadata: {name: %s}
      spec:
        teamId: %s
        numberOfInstances: 2
        volume: {size: 1Gi}
        postgresql: {version: "17"}
        users: {zalando: [superuser, createdb]}
        databases: {foo: zalando}
      """;

  @AfterEach
  void tearDown() {
    if (k8s != null) {
      k8s.close();
    }
  }

  @Test
  void upstreamPathsShapesAndErrorsWithoutSecrets() throws Exception {
    k8s = OperatorHarness.withExampleConfig(api);
    k8s.configMap(
        "manifests/configmap.yaml",
        Map.of("watched_namespace", NS, "logical_backup_s3_secret_access_key", "s3-very-secret"));
    CornacOperator op = k8s.startOperator(false);
    port = op.httpPort();
    k8s.create(CLUSTER.formatted("acid-api", "acid"));
    k8s.create(CLUSTER.formatted("bar-api", "bar"));
    k8s.runPods("acid-api");
    k8s.runPods("bar-api");
    k8s.awaitStatus("acid-api", "Running");
    k8s.awaitStatus("bar-api", "Running");

    JsonNode status = get("/status/", 200);
    assertThat(status.path("Clusters").asInt()).isEqualTo(2);
    assertThat(status.path("LastSyncTime").asLong())
        .isGreaterThan(System.currentTimeMillis() / 1000 - 120);
    assertThat(status.path("WorkerQueueSize").size()).isEqualTo(8);
    assertThat(get("/status", 200)).as("the trailing slash is optional").isEqualTo(status);

    assertThat(get("/clusters/", 200))
        .isEqualTo(
            ManifestMapper.json().readTree("{\"acid\": [\"acid-api\"], \"bar\": [\"bar-api\"]}"));
    assertThat(get("/clusters/ACID/", 200).toString()).isEqualTo("[\"acid-api\"]");
    assertThat(get("/clusters/nope/", 500).path("error").asText())
        .isEqualTo("could not find clusters for the team");

    JsonNode cluster = get("/clusters/default/acid-api/", 200);
    assertThat(cluster.path("Team").asText()).isEqualTo("acid");
    assertThat(cluster.path("Namespace").asText()).isEqualTo(NS);
    assertThat(cluster.path("Status").path("PostgresClusterStatus").asText()).isEqualTo("Running");
    assertThat(cluster.path("StatefulSet").path("spec").path("replicas").asInt()).isEqualTo(2);
    assertThat(cluster.path("MasterService").path("metadata").path("name").asText())
        .isEqualTo("acid-api");
    assertThat(cluster.path("ReplicaService").path("metadata").path("name").asText())
        .isEqualTo("acid-api-repl");
    assertThat(cluster.path("CriticalOpPodDisruptionBudget").path("metadata").path("name").asText())
        .isEqualTo("postgres-acid-api-critical-op-pdb");
    assertThat(cluster.path("Spec").path("databases").path("foo").asText()).isEqualTo("zalando");
    assertThat(cluster.path("Worker").asInt()).isBetween(0, 7);
    assertThat(get("/clusters/default/nope/", 500).path("error").asText())
        .isEqualTo("could not find cluster");

    JsonNode logs = get("/clusters/default/acid-api/logs/", 200);
    assertThat(logs)
        .anySatisfy(
            l -> {
              assertThat(l.path("Level").asText()).isEqualTo("info");
              assertThat(l.path("Message").asText()).contains("created statefulset acid-api");
            });
    assertThat(logs).noneSatisfy(l -> assertThat(l.path("Message").asText()).contains("bar-api"));
    int worker = cluster.path("Worker").asInt();
    assertThat(get("/workers/" + worker + "/logs/", 200))
        .anySatisfy(l -> assertThat(l.path("ClusterName").asText()).isEqualTo("default/acid-api"));

    k8s.editSpec(
        "acid-api",
        spec -> {
          spec.numberOfInstances = 3;
          spec.databases = new java.util.LinkedHashMap<>(spec.databases);
          spec.databases.put("bar", "zalando");
        });
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(get("/clusters/default/acid-api/history/", 200))
                    .singleElement()
                    .satisfies(
                        h -> {
                          assertThat(h.path("Diff").toString())
                              .contains(
                                  "databases.bar: (none) -> zalando", "numberOfInstances: 2 -> 3");
                          assertThat(h.path("ProcessTime").asText()).isNotEmpty();
                        }));
    assertThat(get("/databases/", 200))
        .isEqualTo(
            ManifestMapper.json()
                .readTree("{\"acid-api\": [\"bar\", \"foo\"], \"bar-api\": [\"foo\"]}"));

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              JsonNode workers = get("/workers/all/status/", 200);
              assertThat(workers.size()).isEqualTo(8);
              workers.forEach(w -> assertThat(w.asText()).isEqualTo("idle"));
            });
    JsonNode queues = get("/workers/all/queue/", 200);
    assertThat(queues.size()).isEqualTo(8);
    queues.forEach(q -> assertThat(q.path("Keys")).isEmpty());
    assertThat(get("/workers/8/queue/", 500).path("error").asText()).contains("between 0 and 7");
    assertThat(get("/workers/" + worker + "/status/", 200).asText()).isEqualTo("idle");

    JsonNode config = get("/config/", 200);
    assertThat(config.path("operator").path("workers").asInt()).isEqualTo(8);
    assertThat(config.path("operator").path("resync_period").asText())
        .as("Go's duration format")
        .isEqualTo("30m0s");
    assertThat(config.path("operator").path("logical_backup_s3_secret_access_key").asText())
        .isEqualTo("(redacted)");
    assertThat(config.path("controller").path("Workers").asInt()).isEqualTo(8);

    HttpResponse<String> unknown = raw("/nothing-here");
    assertThat(unknown.statusCode()).isEqualTo(404);

    // Nothing secret in any answer: neither the configured key nor any generated password.
    List<String> secrets = new ArrayList<>(List.of("s3-very-secret"));
    for (Secret s : k8s.client().secrets().inNamespace(NS).list().getItems()) {
      if (s.getData() != null && s.getData().get("password") != null) {
        secrets.add(
            new String(
                Base64.getDecoder().decode(s.getData().get("password")), StandardCharsets.UTF_8));
      }
    }
    assertThat(secrets).hasSizeGreaterThan(4);
    for (String body : bodies) {
      for (String secret : secrets) {
        assertThat(body).doesNotContain(secret);
      }
    }
  }

  @Test
  void metricsCoverClustersFailuresAndTheJvmAndPassPromtool() throws Exception {
    k8s = OperatorHarness.withExampleConfig(api);
    CornacOperator op = k8s.startOperator(false);
    port = op.httpPort();
    k8s.create(CLUSTER.formatted("acid-metrics", "acid"));
    k8s.runPods("acid-metrics");
    k8s.awaitStatus("acid-metrics", "Running");
    // A maintenance window that ends before it starts passes the CRD's schema but not Cornac's
    // rules: every pass
    // fails. (A volume size that is no quantity, used here before, never reaches the operator: the
    // schema refuses it.)
    k8s.create(
        CLUSTER
            .formatted("acid-broken", "acid")
            .replace(
                "numberOfInstances: 2",
                "numberOfInstances: 2\n  maintenanceWindows: [\"10:00-09:00\"]"));
    await().atMost(Duration.ofSeconds(20)).until(() -> k8s.status("acid-broken") != null);

    String text = metrics();
    assertThat(text)
        .contains(
            "cornac_cluster_status{cluster=\"acid-metrics\",namespace=\"default\",status=\"Running\"} 1.0")
        .contains("cornac_cluster_instances{cluster=\"acid-metrics\",namespace=\"default\"} 2.0")
        .contains(
            "cornac_cluster_ready_instances{cluster=\"acid-metrics\",namespace=\"default\"} 2.0")
        .contains(
            "cornac_cluster_rolling_update_pending_pods{cluster=\"acid-metrics\",namespace=\"default\"} 0.0")
        .contains("cornac_cluster_seconds_since_last_successful_sync{cluster=\"acid-metrics\"")
        .contains(
            "cornac_cluster_sync_failures_total{cluster=\"acid-metrics\",namespace=\"default\"} 0.0")
        .containsPattern(
            "cornac_cluster_sync_failures_total\\{cluster=\"acid-broken\",namespace=\"default\"} [1-9]")
        .contains("operator_sdk_")
        .contains("jvm_memory_used_bytes")
        .contains("process_uptime_seconds");
    assertThat(text)
        .doesNotContainPattern(
            "cornac_cluster_seconds_since_last_successful_sync\\{cluster=\"acid-broken\"");
    promtoolAccepts(text);

    k8s.client().resources(Postgresql.class).inNamespace(NS).withName("acid-broken").delete();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(metrics())
                    .as("a deleted cluster's series end")
                    .doesNotContain("acid-broken"));
  }

  private void promtoolAccepts(String text) throws Exception {
    Path file = dir.resolve("metrics.txt");
    Files.writeString(file, text);
    Path promtool = Path.of("/usr/bin/promtool");
    assertThat(promtool)
        .as("promtool (Debian package prometheus; scripts/test.sh installs it)")
        .isExecutable();
    Process p =
        new ProcessBuilder(promtool.toString(), "check", "metrics")
            .redirectInput(file.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("promtool check metrics:\n" + out).isZero();
  }

  private String metrics() throws Exception {
    HttpResponse<String> r = raw("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    return r.body();
  }

  private JsonNode get(String path, int expectedStatus) throws Exception {
    HttpResponse<String> r = raw(path);
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(expectedStatus);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    return ManifestMapper.json().readTree(r.body());
  }

  private HttpResponse<String> raw(String path) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    bodies.add(r.body());
    return r;
  }
}
