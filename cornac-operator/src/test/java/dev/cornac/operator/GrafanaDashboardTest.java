package dev.cornac.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.testkit.LocalPatroniCluster;
import dev.cornac.testkit.StrictApiServer;
import dev.cornac.testkit.WithStrictApiServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * monitoring/grafana-dashboard.json only charts metrics that exist: every metric its queries name
 * is served by the operator's /metrics or by a real postgres_exporter (Debian) scraping a real
 * two-member cluster.
 */
@WithStrictApiServer
class GrafanaDashboardTest {
  private static final Set<String> PROMQL_WORDS =
      Set.of(
          "sum",
          "by",
          "rate",
          "max",
          "min",
          "avg",
          "count",
          "irate",
          "increase",
          "without",
          "on",
          "ignoring",
          "histogram_quantile",
          "topk",
          "bottomk",
          "and",
          "or",
          "unless",
          "group_left",
          "group_right",
          "offset",
          "bool",
          "abs",
          "delta",
          "deriv",
          "label_replace",
          "sort",
          "sort_desc");

  StrictApiServer api;
  OperatorHarness k8s;
  LocalPatroniCluster patroni;
  RealExporter exporter;

  @AfterEach
  void tearDown() throws Exception {
    Closeables.closeAll(exporter, patroni, k8s);
  }

  static Set<String> metricNames(String exposition) {
    Set<String> names = new TreeSet<>();
    for (String line : exposition.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)").matcher(line);
      if (m.find()) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  /**
   * The metric names a PromQL expression reads (labels, ranges, strings and functions taken out).
   */
  static Set<String> referenced(String expr) {
    String e =
        expr.replaceAll("\"[^\"]*\"", "")
            .replaceAll("\\{[^}]*}", "")
            .replaceAll("\\[[^]]*]", "")
            .replaceAll("(by|without|on|ignoring)\\s*\\([^)]*\\)", "");
    Set<String> out = new TreeSet<>();
    Matcher m = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(e);
    while (m.find()) {
      String token = m.group();
      if (!PROMQL_WORDS.contains(token) && token.contains("_")) {
        out.add(token);
      }
    }
    return out;
  }

  private static String get(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void everyChartedMetricExists() throws Exception {
    JsonNode dashboard =
        ManifestMapper.json()
            .readTree(
                Files.readString(
                    OperatorHarness.repoRoot().resolve("monitoring/grafana-dashboard.json")));
    Set<Integer> ids = new HashSet<>();
    Set<String> wanted = new TreeSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      assertThat(ids.add(panel.path("id").asInt())).as("panel ids are unique").isTrue();
      for (JsonNode target : panel.path("targets")) {
        wanted.addAll(referenced(target.path("expr").asText()));
      }
    }
    assertThat(wanted).contains("cornac_cluster_status", "pg_up");

    // The operator's metrics, after it has reconciled a cluster.
    k8s = OperatorHarness.withExampleConfig(api);
    CornacOperator op = k8s.startOperator(false);
    k8s.create(
        """
        apiVersion: acid.zalan.do/v1
        kind: postgresql
        metadata: {name: acid-dashboard}
        spec: {teamId: acid, numberOfInstances: 2, volume: {size: 1Gi}, postgresql: {version: "17"}}
        """);
    k8s.runPods("acid-dashboard");
    k8s.awaitStatus("acid-dashboard", "Running");
    Set<String> served =
        new TreeSet<>(metricNames(get("http://127.0.0.1:" + op.httpPort() + "/metrics")));

    // A real exporter on the primary of a real cluster with a streaming replica.
    patroni = LocalPatroniCluster.start("cornac-dashboard", 2);
    exporter =
        RealExporter.start(
            Map.of(
                "DATA_SOURCE_NAME",
                "postgresql://postgres:"
                    + LocalPatroniCluster.SUPERUSER_PASSWORD
                    + "@127.0.0.1:"
                    + patroni.leader().pgPort()
                    + "/postgres?sslmode=disable"));
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () ->
                exporter.scrape().contains("pg_up 1")
                    && exporter.scrape().contains("pg_stat_replication_pg_wal_lsn_diff"));
    served.addAll(metricNames(exporter.scrape()));

    List<String> missing = wanted.stream().filter(m -> !served.contains(m)).toList();
    assertThat(missing).as("charted but served by nobody").isEmpty();
  }
}
