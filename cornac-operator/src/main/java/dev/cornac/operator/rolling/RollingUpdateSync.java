package dev.cornac.operator.rolling;

import dev.cornac.api.config.OperatorConfig;
import dev.cornac.dataplane.MemberEndpoints;
import dev.cornac.dataplane.rolling.RollingUpdate;
import dev.cornac.generators.Cluster;
import dev.cornac.operator.reconcile.Reconciliation;
import dev.cornac.operator.reconcile.steps.StatefulSetSync;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Recreates the pods marked for a rolling update (reference c.3, c.4): only when every pod runs, replicas first, then
 * one switchover to the best candidate, then the old primary, each awaited. A failure keeps the remaining marks, is
 * reported as a Warning, and the next sync resumes where this one stopped.
 */
public final class RollingUpdateSync {
  /** Patroni's default when neither the manifest nor Spilo sets maximum_lag_on_failover. */
  static final long DEFAULT_MAX_LAG = 1_048_576L;

  private final OperatorConfig config;
  private final KubernetesClient client;
  private final MemberEndpoints endpoints;

  public RollingUpdateSync(OperatorConfig config, KubernetesClient client, MemberEndpoints endpoints) {
    this.config = config;
    this.client = client;
    this.endpoints = endpoints;
  }

  /** Whether marks remain after this pass (the caller then looks again soon). */
  public boolean sync(Reconciliation r) {
    Cluster c = r.cluster();
    List<Pod> pods = r.informers().ofCluster(Pod.class, c.namespace(), c.name());
    List<String> marked = pods.stream().filter(StatefulSetSync::isMarked).map(p -> p.getMetadata().getName())
        .sorted().toList();
    if (marked.isEmpty()) {
      return false;
    }
    // Patroni is reached by pod address: a pod without one is not running yet, whatever its phase says.
    boolean allRunning = pods.stream().allMatch(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase())
        && p.getStatus().getPodIP() != null && !p.getStatus().getPodIP().isEmpty());
    if (!allRunning) {
      return true;
    }
    r.acted("Update", "Performing rolling update of " + String.join(", ", marked));
    var patroni = c.spec().patroni;
    long maxLag = patroni != null && patroni.maximumLagOnFailover != null && patroni.maximumLagOnFailover > 0
        ? patroni.maximumLagOnFailover : DEFAULT_MAX_LAG;
    boolean synchronous = patroni != null && Boolean.TRUE.equals(patroni.synchronousMode);
    Duration podWait = config.duration("pod_label_wait_timeout");
    PodMemberControl control = new PodMemberControl(client, r.informers(), c, endpoints, config.podRoleLabel(),
        podWait.isZero() ? Duration.ofMinutes(10) : podWait);
    try {
      List<RollingUpdate.Step> steps = new RollingUpdate(control, maxLag, synchronous,
          podWait.isZero() ? Duration.ofMinutes(10) : podWait).run();
      r.acted("Update", "Rolling update done - pods have been recreated ("
          + steps.stream().map(s -> s.action() + " " + s.member()).collect(Collectors.joining(", ")) + ")");
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    } catch (Exception e) {
      r.warn("Update", "rolling update stopped, resuming at the next sync: " + e.getMessage());
      return true;
    }
  }
}
