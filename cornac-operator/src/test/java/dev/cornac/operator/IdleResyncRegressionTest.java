package dev.cornac.operator;

import static dev.cornac.operator.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cornac.operator.kubernetes.ApiPaths;
import dev.cornac.testkit.StrictApiServer;
import dev.cornac.testkit.WithStrictApiServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scale regression check (issue 9) at 100 clusters: with a resync every 3 s, eight seconds of
 * resyncs over converged clusters send no write and no read that bypasses the informer caches.
 */
@WithStrictApiServer
class IdleResyncRegressionTest {
  StrictApiServer api;
  OperatorHarness k8s;

  @AfterEach
  void tearDown() {
    k8s.close();
  }

  @Test
  void resyncOfAHundredConvergedClustersWritesNothingAndReadsOnlyCaches() throws Exception {
    k8s = new OperatorHarness(api);
    k8s.configMap(
        "manifests/configmap.yaml", Map.of("watched_namespace", NS, "resync_period", "3s"));
    CornacOperator operator = k8s.startOperator(false);
    List<String> names = k8s.runningMinimalClusters("acid-r", 100);
    operator.flushEvents(Duration.ofSeconds(90));
    k8s.awaitPasses(names, 1);
    k8s.forgetRequests();

    // Two whole resyncs of every cluster (resync_period 3 s).
    k8s.awaitPasses(names, 2);
    List<String> requests = k8s.requests();
    assertThat(OperatorHarness.writes(requests)).as("writes during idle resyncs").isEmpty();
    assertThat(
            requests.stream()
                .filter(
                    r ->
                        r.startsWith("GET ")
                            && ApiPaths.isNamedObject(r.substring(4))
                            && !r.contains("watch=")))
        .as("reads that bypass the informers")
        .isEmpty();
  }
}
