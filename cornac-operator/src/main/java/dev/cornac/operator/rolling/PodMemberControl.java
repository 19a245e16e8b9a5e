package dev.cornac.operator.rolling;

import dev.cornac.dataplane.MemberEndpoints;
import dev.cornac.dataplane.patroni.PatroniClient;
import dev.cornac.dataplane.rolling.MemberControl;
import dev.cornac.generators.Cluster;
import dev.cornac.operator.reconcile.ClusterInformers;
import dev.cornac.operator.reconcile.steps.StatefulSetSync;
import dev.cornac.operator.switchover.PodMembers;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A rolling update's members on Kubernetes: the cluster's pods, read from the informer cache. Recreating one deletes
 * the pod and waits (reference c.4) until the StatefulSet has brought a new one back — another uid — running, with an
 * address and a Patroni role label. The marks are pod annotations, so a restarted operator resumes the roll.
 */
public final class PodMemberControl implements MemberControl {
  private static final Duration POLL = Duration.ofMillis(250);

  private final KubernetesClient client;
  private final ClusterInformers informers;
  private final Cluster cluster;
  private final MemberEndpoints endpoints;
  private final String roleLabel;
  private final Duration podWait;

  public PodMemberControl(KubernetesClient client, ClusterInformers informers, Cluster cluster,
      MemberEndpoints endpoints, String roleLabel, Duration podWait) {
    this.client = client;
    this.informers = informers;
    this.cluster = cluster;
    this.endpoints = endpoints;
    this.roleLabel = roleLabel;
    this.podWait = podWait;
  }

  private List<Pod> pods() {
    return informers.ofCluster(Pod.class, cluster.namespace(), cluster.name());
  }

  private Optional<Pod> pod(String name) {
    return pods().stream().filter(p -> p.getMetadata().getName().equals(name)).findFirst();
  }

  @Override
  public List<String> members() {
    return pods().stream().map(p -> p.getMetadata().getName())
        .sorted(Comparator.comparingInt(PodMembers::ordinal)).toList();
  }

  @Override
  public PatroniClient client(String member) {
    return new PodMembers(endpoints, pods()).client(member);
  }

  @Override
  public boolean isMarkedForRecreation(String member) {
    return pod(member).map(StatefulSetSync::isMarked).orElse(false);
  }

  @Override
  public void recreate(String member) throws InterruptedException {
    String uid = pod(member).map(p -> p.getMetadata().getUid()).orElse("");
    client.pods().inNamespace(cluster.namespace()).withName(member).delete();
    Instant deadline = Instant.now().plus(podWait);
    while (Instant.now().isBefore(deadline)) {
      Optional<Pod> fresh = pod(member).filter(p -> !uid.equals(p.getMetadata().getUid()));
      if (fresh.isPresent() && isUp(fresh.get())) {
        return;
      }
      Thread.sleep(POLL.toMillis());
    }
    throw new IllegalStateException("pod " + member + " did not come back running with a role label within "
        + podWait.toSeconds() + " s (pod_label_wait_timeout)");
  }

  private boolean isUp(Pod p) {
    Map<String, String> labels = p.getMetadata().getLabels();
    String role = labels == null ? null : labels.get(roleLabel);
    return p.getStatus() != null && "Running".equals(p.getStatus().getPhase()) && p.getStatus().getPodIP() != null
        && ("master".equals(role) || "replica".equals(role));
  }
}
