package dev.cornac.bench;

import dev.cornac.api.crd.CrdManifests;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.api.model.Postgresql;
import dev.cornac.testkit.IndexedCrudDispatcher;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The benchmarks' API server: fabric8's mock in CRUD mode in the benchmark's JVM (it stores, lists
 * and watches what it is sent), with the postgresql CRD, the namespace, the operator's ConfigMap
 * and N clusters. Its store is the test kit's {@link IndexedCrudDispatcher}: fabric8's own compares
 * every request with every stored object, so the API server, not the operator, set the pace of
 * every run past 1000 clusters.
 */
final class BenchApiServer implements AutoCloseable {
  static final String NS = "default";

  final KubernetesMockServer server;
  final KubernetesClient client;

  BenchApiServer() {
    this.server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), new IndexedCrudDispatcher(), true);
    server.init();
    this.client = server.createClient();
  }

  void install() {
    var crd =
        ManifestMapper.convert(
            CrdManifests.finished(CrdManifests.POSTGRESQL), CustomResourceDefinition.class);
    crd = client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    // A real API server reports the CRD Established at once; the mock does not, so the benchmark
    // says it.
    crd.setStatus(
        new CustomResourceDefinitionStatusBuilder()
            .addNewCondition()
            .withType("Established")
            .withStatus("True")
            .endCondition()
            .build());
    client.apiextensions().v1().customResourceDefinitions().resource(crd).updateStatus();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
  }

  /**
   * The example ConfigMap as shipped, watching the benchmark's namespace, with some keys
   * overridden.
   */
  void configure(Path repo, int httpPort, Map<String, String> overrides) throws Exception {
    ConfigMap cm =
        ManifestMapper.yaml()
            .readValue(Files.readString(repo.resolve("manifests/configmap.yaml")), ConfigMap.class);
    Map<String, String> data = new LinkedHashMap<>(cm.getData());
    data.put("watched_namespace", NS);
    data.put("api_port", String.valueOf(httpPort));
    data.putAll(overrides);
    cm.setData(data);
    cm.getMetadata().setNamespace(NS);
    client.configMaps().inNamespace(NS).resource(cm).create();
  }

  /**
   * The minimal example (2 instances, one user, one database) under {@link #name(int)}, 8 writers.
   */
  void createClusters(int clusters) throws Exception {
    createClusters(0, clusters);
  }

  /** Clusters numbered {@code from} (inclusive) to {@code to} (exclusive). */
  void createClusters(int from, int to) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    for (int i = from; i < to; i++) {
      String name = name(i);
      pool.submit(() -> createCluster(name));
    }
    pool.shutdown();
    pool.awaitTermination(10, TimeUnit.MINUTES);
  }

  Postgresql createCluster(String name) throws Exception {
    String yaml =
        """
        apiVersion: acid.zalan.do/v1
        kind: postgresql
        metadata: {name: NAME, namespace: default}
        spec:
          teamId: acid
          numberOfInstances: 2
          volume: {size: 1Gi}
          postgresql: {version: "18"}
          users: {app: []}
          databases: {app: app}
        """
            .replace("NAME", name);
    Postgresql pg = ManifestMapper.yaml().readValue(yaml, Postgresql.class);
    return client.resources(Postgresql.class).inNamespace(NS).resource(pg).create();
  }

  static String name(int i) {
    return String.format("acid-bench-%04d", i);
  }

  /** Waits until every one of {@code clusters} reports Running. */
  void awaitRunning(int clusters, Duration timeout) throws InterruptedException {
    awaitRunning(0, clusters, timeout);
  }

  /** Waits until the clusters numbered {@code from} (inclusive) to {@code to} report Running. */
  void awaitRunning(int from, int to, Duration timeout) throws InterruptedException {
    var informer = client.resources(Postgresql.class).inNamespace(NS).inform();
    try {
      Instant deadline = Instant.now().plus(timeout);
      while (Instant.now().isBefore(deadline)) {
        long running =
            informer.getStore().list().stream()
                .filter(p -> p.getMetadata().getName().compareTo(name(from)) >= 0)
                .filter(p -> p.getMetadata().getName().compareTo(name(to)) < 0)
                .filter(
                    p ->
                        p.getStatus() != null
                            && "Running".equals(p.getStatus().postgresClusterStatus))
                .count();
        if (running >= to - from) {
          return;
        }
        Thread.sleep(250);
      }
      throw new IllegalStateException("not every cluster reached Running within " + timeout);
    } finally {
      informer.close();
    }
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
