package dev.cornac.bench;

import dev.cornac.api.model.Postgresql;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * Cornac at scale (issue 9): the fabric8 mock API server in this JVM, the operator as a separate
 * process started exactly as shipped (bin/cornac, the Dockerfile's JVM flags, the Deployment's
 * memory limit), and N clusters. Prints one report; every rate is also given as a ratio to the API
 * server's own write rate measured first.
 */
public final class OperatorScaleBenchmark {
  static final String NS = BenchApiServer.NS;

  /**
   * The shipped resync_period (manifests/configmap.yaml): each cluster's idle pass comes this
   * often.
   */
  private static final Duration RESYNC_PERIOD = Duration.ofMinutes(30);

  /**
   * How long the idle operator's own background (leases, metrics, informer watches) is measured.
   */
  private static final Duration IDLE_WINDOW = Duration.ofSeconds(60);

  private final int clusters;
  private final int growTo;
  private final Path repo;
  private final BenchApiServer api;
  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final RequestCounter requests;
  private final BenchReport report = new BenchReport();

  OperatorScaleBenchmark(int clusters, Path repo, int growTo) {
    this.clusters = clusters;
    this.growTo = growTo;
    this.repo = repo;
    this.api = new BenchApiServer();
    this.server = api.server;
    this.client = api.client;
    this.requests = new RequestCounter(server);
  }

  public static void main(String[] args) throws Exception {
    Logger.getLogger("io.fabric8.mockwebserver").setLevel(Level.WARNING);
    LogManager.getLogManager().getLogger("").setLevel(Level.WARNING);
    int clusters = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    Path repo = Path.of(args.length > 1 ? args[1] : ".").toAbsolutePath().normalize();
    int growTo = args.length > 2 ? Integer.parseInt(args[2]) : 0;
    OperatorScaleBenchmark b = new OperatorScaleBenchmark(clusters, repo, growTo);
    try {
      b.run();
    } finally {
      b.close();
    }
    System.exit(0);
  }

  void run() throws Exception {
    api.install();
    double rawWriteRate = rawWriteRate(3000);
    report.line(
        "API server raw write rate (8 writers, ConfigMaps)",
        String.format("%.0f writes/s (the limit)", rawWriteRate));

    BenchReport.progress("creating " + clusters + " postgresql resources");
    api.createClusters(clusters);
    int httpPort = freePort();
    api.configure(repo, httpPort, Map.of());
    requests.reset();

    OperatorProcess operator = OperatorProcess.start(repo, server, httpPort);
    Instant started = Instant.now();
    double ready = operator.awaitReady(Duration.ofMinutes(5)).toMillis() / 1000.0;
    report.line(
        "cold start: process start → ready (caches synced)", String.format("%.1f s", ready));
    long expectedObjects = awaitChildren(clusters, Duration.ofMinutes(30));
    double cold = Duration.between(started, Instant.now()).toMillis() / 1000.0;
    long coldWrites = requests.writes.get();
    double objectRate = expectedObjects / cold;
    report.line(
        "cold start: every child object exists",
        String.format(
            "%.1f s for %d objects (%.0f objects/s, %d API "
                + "writes in all incl. events and status)",
            cold, expectedObjects, objectRate, coldWrites));
    double coldCpu = operator.cpuSeconds();
    report.line(
        "operator CPU during the cold start",
        String.format(
            "%.1f CPU-s of %.0f s wall: %.2f ms per created object",
            coldCpu, cold, coldCpu * 1000 / expectedObjects));
    report.line(
        "cold start ratio to the limit (objects/s ÷ raw writes/s; goal ≥ 0.5)",
        String.format(
            "%.2f (all writes: %.2f)",
            objectRate / rawWriteRate, coldWrites / cold / rawWriteRate));

    BenchReport.progress("playing the StatefulSet controller: " + 2 * clusters + " pods");
    runPods(0);
    api.awaitRunning(clusters, Duration.ofMinutes(10));
    Thread.sleep(3000);
    report.line(
        "operator memory after convergence (goal RSS ≤ "
            + OperatorFootprint.RSS_GOAL_MIB_AT_1000
            + " MiB at 1000)",
        operator.footprint().describe());
    // Events are sent at a bounded rate and trail the convergence: the idle window starts once
    // the API server has seen nothing for a while.
    waitQuiet();
    double idleFrom = operator.cpuSeconds();
    long passesFrom = operator.passes();
    Thread.sleep(IDLE_WINDOW.toMillis());
    double idleRate = (operator.cpuSeconds() - idleFrom) / IDLE_WINDOW.toSeconds();
    long idlePasses = operator.passes() - passesFrom;

    BenchReport.progress(
        "idle resync: restarting the operator over " + clusters + " converged clusters");
    operator.stop();
    requests.reset();
    Instant restart = Instant.now();
    OperatorProcess second = OperatorProcess.start(repo, server, httpPort);
    double warmReady = second.awaitReady(Duration.ofMinutes(5)).toMillis() / 1000.0;
    double cpuAtReady = second.cpuSeconds();
    waitQuiet();
    double resyncCpu = second.cpuSeconds() - cpuAtReady;
    report.line(
        "restart with " + clusters + " existing clusters: process start → ready",
        String.format("%.1f s", warmReady));
    report.line(
        "idle resync of all clusters: API writes (goal 0)", String.valueOf(requests.writes.get()));
    report.line(
        "idle resync: reads bypassing the informers (goal 0)",
        requests.bypassReads.get()
            + " (plus "
            + requests.startupReads.get()
            + " start-up reads of the ConfigMap, CRD and namespace)");
    requests.bypassSamples().forEach(p -> BenchReport.progress("bypass read: " + p));
    requests
        .writeSamples()
        .forEach(p -> BenchReport.progress("write during the idle resync: " + p));
    report.line(
        "idle resync duration (restart → quiet)",
        String.format("%.1f s", Duration.between(restart, Instant.now()).toMillis() / 1000.0));
    double passesPerHour = clusters * 3600.0 / RESYNC_PERIOD.toSeconds();
    report.line(
        "operator CPU for an hour idle (background × 3600 s + passes per hour × CPU per pass)",
        String.format(
            "%.0f CPU-s: background %.3f CPU-s/s (measured over %d s, %d passes in it), a full"
                + " resync pass of %d"
                + " clusters %.1f CPU-s (ready → quiet after a restart, an upper bound), %.0f passes"
                + " an hour with resync_period %d min",
            idleRate * 3600 + passesPerHour * resyncCpu / clusters,
            idleRate,
            IDLE_WINDOW.toSeconds(),
            idlePasses,
            clusters,
            resyncCpu,
            passesPerHour,
            RESYNC_PERIOD.toMinutes()));

    List<Long> latencies = specChangeLatencies(Math.min(50, clusters));
    Collections.sort(latencies);
    BenchReport.progress(
        "slowest changes (ms): "
            + latencies.subList(Math.max(0, latencies.size() - 5), latencies.size()));
    report.line(
        "spec change → StatefulSet updated, with " + clusters + " loaded (goal p99 < 1 s)",
        String.format(
            "p50 %d ms, p99 %d ms, max %d ms (%d changes)",
            pct(latencies, 50),
            pct(latencies, 99),
            latencies.get(latencies.size() - 1),
            latencies.size()));
    OperatorFootprint atEnd = second.footprint();
    report.line("operator memory at the end (" + clusters + " clusters)", atEnd.describe());
    if (growTo > clusters) {
      grow(second, atEnd);
    }
    second.stop();
    report.print(
        "clusters: "
            + clusters
            + (growTo > clusters ? ", grown to " + growTo : "")
            + "; "
            + OperatorProcess.placement());
  }

  /**
   * Memory per cluster: more clusters created while the operator runs, converged, measured on the
   * same process.
   */
  private void grow(OperatorProcess operator, OperatorFootprint before) throws Exception {
    BenchReport.progress("growing to " + growTo + " clusters");
    double cpuBefore = operator.cpuSeconds();
    Instant started = Instant.now();
    api.createClusters(clusters, growTo);
    long objects = awaitChildren(growTo, Duration.ofMinutes(60)) - awaitedChildren(clusters);
    double took = Duration.between(started, Instant.now()).toMillis() / 1000.0;
    double cpu = operator.cpuSeconds() - cpuBefore;
    report.line(
        "growing from " + clusters + " to " + growTo + " clusters while running",
        String.format(
            "%.0f s for %d objects, operator %.1f CPU-s: %.2f ms per created object",
            took, objects, cpu, cpu * 1000 / objects));
    runPods(clusters);
    // The clusters whose spec was changed above wait for a third pod nobody plays: only the new
    // ones are awaited.
    api.awaitRunning(clusters, growTo, Duration.ofMinutes(30));
    Thread.sleep(3000);
    OperatorFootprint after = operator.footprint();
    report.line("operator memory at " + growTo + " clusters", after.describe());
    report.line(
        "memory each further 1000 clusters cost", after.perThousandSince(before, clusters, growTo));
  }

  private double rawWriteRate(int writes) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    AtomicInteger next = new AtomicInteger();
    long start = System.nanoTime();
    for (int t = 0; t < 8; t++) {
      pool.submit(
          () -> {
            int i;
            while ((i = next.getAndIncrement()) < writes) {
              client
                  .configMaps()
                  .inNamespace(NS)
                  .resource(
                      new ConfigMapBuilder()
                          .withNewMetadata()
                          .withName("probe-" + i)
                          .endMetadata()
                          .addToData("k", "v")
                          .build())
                  .create();
            }
          });
    }
    pool.shutdown();
    pool.awaitTermination(10, TimeUnit.MINUTES);
    return writes / ((System.nanoTime() - start) / 1e9);
  }

  static String name(int i) {
    return BenchApiServer.name(i);
  }

  /**
   * Child objects per cluster: 2 Services, 1 Endpoints, 3 Secrets, 2 PDBs, 1 StatefulSet; plus SA
   * and RB. Counted with watches (informers), not repeated LISTs, so that counting does not load
   * the API server being measured.
   */
  private long awaitChildren(int clusters, Duration timeout) throws InterruptedException {
    long expected = awaitedChildren(clusters);
    List<SharedIndexInformer<?>> informers =
        List.of(
            client.apps().statefulSets().inNamespace(NS).inform(),
            client.services().inNamespace(NS).inform(),
            client.endpoints().inNamespace(NS).inform(),
            client.secrets().inNamespace(NS).inform(),
            client.policy().v1().podDisruptionBudget().inNamespace(NS).inform(),
            client.serviceAccounts().inNamespace(NS).inform(),
            client.rbac().roleBindings().inNamespace(NS).inform());
    try {
      Instant deadline = Instant.now().plus(timeout);
      while (Instant.now().isBefore(deadline)) {
        long have = informers.stream().mapToLong(i -> i.getStore().list().size()).sum();
        if (have >= expected) {
          return expected;
        }
        Thread.sleep(100);
      }
      throw new IllegalStateException("child objects did not all appear within " + timeout);
    } finally {
      informers.forEach(SharedIndexInformer::close);
    }
  }

  private static long awaitedChildren(int clusters) {
    return clusters * 9L + 2;
  }

  /** Pods for every StatefulSet of the clusters numbered {@code from} and up. */
  private void runPods(int from) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    requests.pause(true);
    for (StatefulSet sts : client.apps().statefulSets().inNamespace(NS).list().getItems()) {
      if (sts.getMetadata().getName().compareTo(name(from)) < 0) {
        continue;
      }
      for (int i = 0; i < sts.getSpec().getReplicas(); i++) {
        int ordinal = i;
        pool.submit(
            () -> {
              Map<String, String> labels =
                  new LinkedHashMap<>(sts.getSpec().getTemplate().getMetadata().getLabels());
              labels.put("spilo-role", ordinal == 0 ? "master" : "replica");
              return client
                  .pods()
                  .inNamespace(NS)
                  .resource(
                      new PodBuilder()
                          .withNewMetadata()
                          .withName(sts.getMetadata().getName() + "-" + ordinal)
                          .withLabels(labels)
                          .endMetadata()
                          .withNewSpec()
                          .withContainers(
                              new ContainerBuilder()
                                  .withName("postgres")
                                  .withImage(
                                      sts.getSpec()
                                          .getTemplate()
                                          .getSpec()
                                          .getContainers()
                                          .get(0)
                                          .getImage())
                                  .build())
                          .endSpec()
                          .withNewStatus()
                          .withPhase("Running")
                          .endStatus()
                          .build())
                  .create();
            });
      }
    }
    pool.shutdown();
    pool.awaitTermination(10, TimeUnit.MINUTES);
    requests.pause(false);
  }

  /**
   * Waits until the API server saw no request for 3 s (the resync has passed over every cluster).
   */
  private void waitQuiet() throws InterruptedException {
    long last = -1;
    int quiet = 0;
    while (quiet < 6) {
      long now = requests.writes.get() + requests.bypassReads.get() + requests.informerReads.get();
      quiet = now == last ? quiet + 1 : 0;
      last = now;
      Thread.sleep(500);
    }
  }

  private List<Long> specChangeLatencies(int changes) throws Exception {
    Map<String, Long> changedAt = new ConcurrentHashMap<>();
    Map<String, Long> observed = new ConcurrentHashMap<>();
    Watch watch =
        client
            .apps()
            .statefulSets()
            .inNamespace(NS)
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, StatefulSet sts) {
                    Long t0 = changedAt.get(sts.getMetadata().getName());
                    if (t0 != null && sts.getSpec().getReplicas() == 3) {
                      observed.putIfAbsent(sts.getMetadata().getName(), System.nanoTime() - t0);
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
    List<Long> latencies = new ArrayList<>();
    for (int i = 0; i < changes; i++) {
      String name = name((i * 7919) % clusters);
      // A JSON merge patch, as `kubectl patch` would send: it never conflicts with the operator's
      // status writes.
      changedAt.put(name, System.nanoTime());
      client
          .resources(Postgresql.class)
          .inNamespace(NS)
          .withName(name)
          .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"numberOfInstances\":3}}");
      Instant deadline = Instant.now().plusSeconds(30);
      while (!observed.containsKey(name) && Instant.now().isBefore(deadline)) {
        Thread.sleep(2);
      }
      Long ns = observed.get(name);
      latencies.add(ns == null ? 30_000 : ns / 1_000_000);
      Thread.sleep(100);
    }
    watch.close();
    return latencies;
  }

  private static long pct(List<Long> sorted, int p) {
    int idx = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, idx)));
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private void close() {
    requests.close();
    api.close();
  }

  static HttpClient http() {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  }

  static boolean ok(int port, String path) {
    try {
      return http()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
