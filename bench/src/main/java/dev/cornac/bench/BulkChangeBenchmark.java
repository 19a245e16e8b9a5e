package dev.cornac.bench;

import dev.cornac.api.model.Postgresql;
import dev.cornac.dataplane.wait.Poll;
import dev.cornac.generators.plan.RollingUpdateMark;
import dev.cornac.testkit.SimulatedPatroniFleet;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bulk change (issue 16): N clusters running on simulated pods that answer Patroni's REST API
 * as Patroni 3 does, every cluster's image changed at once (the seed's minor upgrade), a new
 * cluster created right after. The operator runs as shipped, in its own process, reaching Patroni
 * by pod IP on port 8008 (each simulated pod has its own loopback address). Reports how soon the
 * new cluster is served, how long the whole fleet takes to roll, switchovers per cluster, worker
 * time per pass and the operator's CPU.
 */
public final class BulkChangeBenchmark {
  static final String NEW_IMAGE = "ghcr.io/zalando/spilo-17:4.0-p3";

  private final int clusters;
  private final Path repo;
  private final Duration podStart;
  private final BenchReport report = new BenchReport();
  private final boolean viaConfiguration;

  /**
   * @param viaConfiguration the change is the seed's: {@code docker_image} patched in the
   *     operator's ConfigMap, applied live and rolled out as a canary; otherwise every cluster's
   *     own {@code dockerImage} is patched
   */
  BulkChangeBenchmark(int clusters, Path repo, Duration podStart, boolean viaConfiguration) {
    this.clusters = clusters;
    this.repo = repo;
    this.podStart = podStart;
    this.viaConfiguration = viaConfiguration;
  }

  public static void main(String[] args) throws Exception {
    LogManager.getLogManager().getLogger("").setLevel(Level.WARNING);
    int clusters = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    Path repo = Path.of(args.length > 1 ? args[1] : ".").toAbsolutePath().normalize();
    Duration podStart = Duration.ofMillis(args.length > 2 ? Long.parseLong(args[2]) : 2500);
    boolean viaConfiguration = args.length > 3 && args[3].equals("config");
    new BulkChangeBenchmark(clusters, repo, podStart, viaConfiguration).run();
    System.exit(0);
  }

  void run() throws Exception {
    try (BenchApiServer api = new BenchApiServer()) {
      api.install();
      int httpPort = OperatorScaleBenchmark.freePort();
      // Roles and databases need PostgreSQL, which simulated pods do not run; Patroni's REST API is
      // what a roll uses.
      api.configure(repo, httpPort, Map.of("enable_database_access", "false"));
      try (SimulatedPatroniFleet fleet =
          SimulatedPatroniFleet.start(
              api.client, SimulatedPatroniFleet.Options.of(BenchApiServer.NS, 8008, podStart))) {
        BenchReport.progress(
            "creating "
                + clusters
                + " clusters on simulated pods (a pod starts in "
                + podStart.toMillis()
                + " ms)");
        api.createClusters(clusters);
        OperatorProcess operator = OperatorProcess.start(repo, api.server, httpPort);
        try {
          operator.awaitReady(Duration.ofMinutes(5));
          api.awaitRunning(clusters, Duration.ofMinutes(30));
          measure(api, fleet, operator, httpPort);
        } finally {
          operator.stop();
        }
      }
    }
    report.print(
        "clusters: "
            + clusters
            + "; simulated pod start: "
            + podStart.toMillis()
            + " ms; "
            + OperatorProcess.placement());
  }

  private void measure(
      BenchApiServer api, SimulatedPatroniFleet fleet, OperatorProcess operator, int httpPort)
      throws Exception {
    String maxRolling = "10 (the default of max_concurrent_rolling_updates)";
    SharedIndexInformer<Pod> pods = api.client.pods().inNamespace(BenchApiServer.NS).inform();
    SharedIndexInformer<StatefulSet> statefulSets =
        api.client.apps().statefulSets().inNamespace(BenchApiServer.NS).inform();
    SharedIndexInformer<Postgresql> resources =
        api.client.resources(Postgresql.class).inNamespace(BenchApiServer.NS).inform();
    try {
      double cpuBefore = operator.cpuSeconds();
      Instant changed = Instant.now();
      if (viaConfiguration) {
        BenchReport.progress(
            "patching docker_image in the operator's ConfigMap (the seed's minor upgrade)");
        String revision =
            api.client
                .configMaps()
                .inNamespace(BenchApiServer.NS)
                .withName("postgres-operator")
                .patch(
                    PatchContext.of(PatchType.JSON_MERGE),
                    "{\"data\":{\"docker_image\":\"" + NEW_IMAGE + "\"}}")
                .getMetadata()
                .getResourceVersion();
        // The operator rebuilds its controller on the new revision; a cluster created before that
        // is served by the
        // old one, so the new cluster below is created once the new revision runs (and its passes
        // are queued).
        Poll.within(
            Duration.ofMinutes(10),
            Duration.ofMillis(50),
            () -> runs(httpPort, revision) ? Optional.of(true) : Optional.empty(),
            e -> false);
        report.line(
            "seconds until the new revision runs (the controller rebuilt; its caches are listed after)",
            String.format("%.2f s", seconds(changed)));
      } else {
        BenchReport.progress("changing the image of every cluster");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int i = 0; i < clusters; i++) {
          String name = BenchApiServer.name(i);
          pool.submit(
              () ->
                  api.client
                      .resources(Postgresql.class)
                      .inNamespace(BenchApiServer.NS)
                      .withName(name)
                      .patch(
                          PatchContext.of(PatchType.JSON_MERGE),
                          "{\"spec\":{\"dockerImage\":\"" + NEW_IMAGE + "\"}}"));
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.MINUTES);
      }
      double patching = seconds(changed);
      Instant created = Instant.now();
      api.createCluster("acid-bench-new");
      while (statefulSets.getStore().getByKey(BenchApiServer.NS + "/acid-bench-new") == null) {
        Thread.sleep(10);
      }
      double newCluster = seconds(created);
      report.line(
          viaConfiguration
              ? "docker_image patched in the ConfigMap (one merge patch; applied live)"
              : "image changed on every cluster (" + clusters + " merge patches, 8 writers)",
          String.format("%.1f s", patching));
      report.line(
          "a cluster created right after: seconds until its StatefulSet exists (goal < 2 s, "
              + "independent of N)",
          String.format("%.2f s", newCluster));
      Instant deadline = Instant.now().plus(Duration.ofHours(2));
      long rolled = 0;
      long lastReport = 0;
      boolean duringMeasured = false;
      while (Instant.now().isBefore(deadline)) {
        rolled = rolledClusters(pods, resources);
        if (rolled == clusters) {
          break;
        }
        if (!duringMeasured && rolled >= Math.max(1, clusters / 10)) {
          // The change burst has been worked off; rolls go on. A roll must not delay anyone else.
          duringMeasured = true;
          Instant during = Instant.now();
          api.createCluster("acid-bench-during");
          while (statefulSets.getStore().getByKey(BenchApiServer.NS + "/acid-bench-during")
              == null) {
            Thread.sleep(10);
          }
          report.line(
              "a cluster created while the fleet rolls ("
                  + rolled
                  + " rolled): seconds until its StatefulSet "
                  + "exists",
              String.format("%.2f s", seconds(during)));
        }
        if (System.nanoTime() - lastReport > 30_000_000_000L) {
          BenchReport.progress(
              rolled
                  + " of "
                  + clusters
                  + " clusters rolled after "
                  + (long) seconds(changed)
                  + " s");
          lastReport = System.nanoTime();
        }
        Thread.sleep(200);
      }
      double all = seconds(changed);
      report.line(
          "every cluster rolled ("
              + (viaConfiguration ? "ConfigMap change" : "image change")
              + " → last cluster Running on the new image), "
              + (viaConfiguration ? "1 canary cluster first, then " : "")
              + maxRolling
              + " at once",
          String.format(
              "%.0f s for %d of %d clusters (%.1f clusters/s; one roll = 2 pods × %.1f s start + steps)",
              all, rolled, clusters, rolled / all, podStart.toMillis() / 1000.0));
      Map<Integer, Integer> histogram = new TreeMap<>();
      for (int i = 0; i < clusters; i++) {
        histogram.merge(fleet.switchovers(BenchApiServer.name(i)), 1, Integer::sum);
      }
      long failovers = 0;
      for (int i = 0; i < clusters; i++) {
        failovers += fleet.failovers(BenchApiServer.name(i));
      }
      report.line(
          "switchovers per cluster (goal: exactly 1)",
          "clusters by switchover count " + histogram + ", failovers " + failovers);
      report.line(
          "most clusters with a pod down at once", String.valueOf(fleet.peakDisruptedClusters()));
      String metrics = get(httpPort, "/metrics");
      report.line(
          "worker time per pass (whole run, every pass of every cluster)",
          String.format(
              "p50 %.1f ms, p99 %.1f ms, max %.1f ms over %.0f passes",
              1000 * metric(metrics, "quantile=\"0.5\""),
              1000 * metric(metrics, "quantile=\"0.99\""),
              1000 * metric(metrics, "_max"),
              metric(metrics, "_count")));
      report.line(
          "operator CPU during the rollout",
          String.format("%.0f CPU-s over %.0f s wall", operator.cpuSeconds() - cpuBefore, all));
    } finally {
      pods.close();
      statefulSets.close();
      resources.close();
    }
  }

  /** Clusters Running with both pods on the new image. */
  private long rolledClusters(
      SharedIndexInformer<Pod> pods, SharedIndexInformer<Postgresql> resources) {
    Map<String, Integer> onNewImage = new TreeMap<>();
    for (Pod pod : pods.getStore().list()) {
      String cluster =
          pod.getMetadata().getLabels() == null
              ? null
              : pod.getMetadata().getLabels().get("cluster-name");
      if (cluster != null
          && NEW_IMAGE.equals(pod.getSpec().getContainers().get(0).getImage())
          && (pod.getMetadata().getAnnotations() == null
              || !pod.getMetadata().getAnnotations().containsKey(RollingUpdateMark.ANNOTATION))) {
        onNewImage.merge(cluster, 1, Integer::sum);
      }
    }
    return resources.getStore().list().stream()
        .filter(p -> p.getMetadata().getName().matches("acid-bench-\\d+"))
        .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().postgresClusterStatus))
        .filter(p -> onNewImage.getOrDefault(p.getMetadata().getName(), 0) == 2)
        .count();
  }

  private static double metric(String text, String selector) {
    Matcher m =
        Pattern.compile(
                "^cornac_reconcile_pass_seconds\\S*" + Pattern.quote(selector) + "\\S* (\\S+)$",
                Pattern.MULTILINE)
            .matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  /**
   * Whether the operator runs the configuration revision (its HTTP endpoints are down a moment
   * while it rebuilds).
   */
  private static boolean runs(int port, String revision) {
    try {
      return get(port, "/config/").contains("\"ConfigRevision\":\"" + revision + "\"");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String get(int port, String path) throws IOException, InterruptedException {
    return OperatorScaleBenchmark.http()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static double seconds(Instant since) {
    return Duration.between(since, Instant.now()).toMillis() / 1000.0;
  }
}
