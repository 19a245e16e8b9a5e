package dev.cornac.operator;

import static dev.cornac.operator.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cornac.testkit.StrictApiServer;
import dev.cornac.testkit.WithStrictApiServer;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The memory regression check (issue 20) at 100 clusters: what the operator retains per cluster
 * (informer caches, per-cluster state) once every cluster has had a pass. Measured as the heap that
 * stays after a full GC with the operator running, less the heap after it stopped, so that the test
 * API server's own copy of the objects does not count. The benchmark (bench/run.sh, docs/
 * performance.md) measures the shipped process; this check only catches a regression that doubles
 * the figure, such as caching whole objects where the lean store keeps a few fields.
 */
@WithStrictApiServer
class OperatorMemoryRegressionTest {
  /**
   * About twice what a cluster costs today: 95 KiB measured on this test's JVM (G1), the operator's
   * fixed heap (thread pools, HTTP server, metrics) spread over the 100 clusters included; 113 KiB
   * before cached objects shared their strings and empty collections ({@code SharedObjectParts}).
   * Generous, so that it does not flake; it fails if what is kept per cluster doubles.
   */
  static final long BOUND_PER_CLUSTER_KIB = 200;

  StrictApiServer api;
  OperatorHarness k8s;

  @AfterEach
  void tearDown() {
    k8s.close();
  }

  @Test
  void theOperatorRetainsLittleMemoryPerCluster() throws Exception {
    k8s = new OperatorHarness(api);
    k8s.configMap("manifests/configmap.yaml", Map.of("watched_namespace", NS));
    CornacOperator first = k8s.startOperator(false);
    List<String> names = k8s.runningMinimalClusters("acid-m", 100);
    first.flushEvents(Duration.ofSeconds(90));
    k8s.stop(first);
    first = null;
    k8s.forgetRequests();
    long without = retainedHeap();

    CornacOperator second = k8s.startOperator(false);
    names.forEach(k8s::awaitQuiet);
    second.flushEvents(Duration.ofSeconds(90));
    k8s.forgetRequests();
    long with = retainedHeap();

    long perClusterKib = (with - without) / names.size() / 1024;
    System.out.printf("operator heap retained per cluster: %d KiB%n", perClusterKib);
    assertThat(perClusterKib).as("KiB of heap the operator retains per cluster").isPositive();
    assertThat(perClusterKib)
        .as("KiB of heap the operator retains per cluster")
        .isLessThanOrEqualTo(BOUND_PER_CLUSTER_KIB);
  }

  /** Heap in use after full collections, once the figure stops falling. */
  private static long retainedHeap() {
    long last = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      if (used >= last) {
        return last;
      }
      last = used;
    }
    return last;
  }
}
