package dev.cornac.operator.switchover;

import dev.cornac.api.cluster.MaintenanceWindows;
import dev.cornac.api.config.OperatorConfig;
import dev.cornac.dataplane.MemberEndpoints;
import dev.cornac.dataplane.patroni.PatroniClient;
import dev.cornac.dataplane.patroni.PatroniException;
import dev.cornac.dataplane.switchover.Switchover;
import dev.cornac.operator.reconcile.ClusterInformers;
import dev.cornac.operator.reconcile.Reconciliation;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Moves a primary off a node that is being drained (upstream: pkg/controller/node.go,
 * moveMasterPodsOffNode; pkg/cluster/pod.go, MigrateMasterPod): when the primary's node is cordoned
 * and does not carry the {@code node_readiness_label}s, the primary hands over by switchover to the
 * best replica on a node that stays — in a maintenance window when the manifest has windows. After
 * that the old primary is a replica and the drain can evict it (the primary PDB selects the primary
 * only). A single-instance cluster cannot hand over: its PDB lets the drain evict it (see {@code
 * PodDisruptionBudgetGenerator}) and the status says so.
 */
public final class NodeDrainSwitchover {
  private final OperatorConfig config;
  private final MemberEndpoints endpoints;
  private final Clock clock;

  public NodeDrainSwitchover(OperatorConfig config, MemberEndpoints endpoints, Clock clock) {
    this.config = config;
    this.endpoints = endpoints;
    this.clock = clock;
  }

  /**
   * Upstream's "ready" node: schedulable, or carrying every readiness label, or labelled
   * master=true.
   */
  boolean endOfLife(Node node) {
    boolean unschedulable =
        node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
    if (!unschedulable) {
      return false;
    }
    Map<String, String> labels =
        node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    if ("true".equals(labels.get("master"))) {
      return false;
    }
    Map<String, String> readiness = config.map("node_readiness_label");
    return readiness.isEmpty()
        || !readiness.entrySet().stream()
            .allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }

  public void sync(Reconciliation r, List<Pod> pods) {
    ClusterInformers informers = r.informers();
    String roleLabel = config.podRoleLabel();
    Optional<Pod> primary =
        pods.stream().filter(p -> "master".equals(label(p, roleLabel))).findFirst();
    if (primary.isEmpty()
        || primary.get().getSpec() == null
        || primary.get().getSpec().getNodeName() == null) {
      return;
    }
    String nodeName = primary.get().getSpec().getNodeName();
    Optional<Node> node = informers.node(nodeName);
    if (node.isEmpty() || !endOfLife(node.get())) {
      return;
    }
    String leader = primary.get().getMetadata().getName();
    if (pods.size() < 2) {
      r.note(
          "the primary "
              + leader
              + " runs on node "
              + nodeName
              + ", which is being drained; a single instance "
              + "cannot hand over, so the drain will restart it elsewhere (add an instance to avoid the downtime)");
      return;
    }
    if (!MaintenanceWindows.inWindow(
        r.cluster().spec().maintenanceWindows, config, clock.instant())) {
      r.note(
          "the primary "
              + leader
              + " leaves node "
              + nodeName
              + " (being drained) at the next maintenance window");
      r.waitForWindow();
      return;
    }
    Set<String> leaving =
        pods.stream()
            .filter(p -> p.getSpec() != null && p.getSpec().getNodeName() != null)
            .filter(
                p -> informers.node(p.getSpec().getNodeName()).map(this::endOfLife).orElse(false))
            .map(p -> p.getMetadata().getName())
            .collect(Collectors.toSet());
    PodMembers members = new PodMembers(endpoints, pods);
    try {
      PatroniClient leaderClient = members.client(leader).once();
      Optional<String> candidate =
          Switchover.candidate(leaderClient.cluster(), false, m -> !leaving.contains(m));
      if (candidate.isEmpty()) {
        r.note(
            "the primary "
                + leader
                + " should leave node "
                + nodeName
                + " (being drained), but no running "
                + "replica is on a node that stays");
        r.recheckIn(Reconciliation.SOON);
        return;
      }
      Switchover.Result result =
          Switchover.request(leaderClient, leader, candidate.get(), Optional.empty());
      if (result instanceof Switchover.Done) {
        r.acted(
            "Switchover",
            "moved the primary off node "
                + nodeName
                + " (being drained): switched over from "
                + leader
                + " to "
                + candidate.get());
      } else if (result instanceof Switchover.NotYet notYet) {
        r.note(
            "the primary "
                + leader
                + " leaves node "
                + nodeName
                + " (being drained) as soon as Patroni takes "
                + "the switchover to "
                + candidate.get()
                + " ("
                + notYet.reason()
                + ")");
        r.recheckIn(Reconciliation.SOON);
      } else if (result instanceof Switchover.Failed failed) {
        r.warn(
            "Switchover",
            "the primary "
                + leader
                + " could not leave node "
                + nodeName
                + " (being drained): "
                + failed.reason()
                + "; retrying");
        r.recheckIn(Reconciliation.SOON);
      }
    } catch (PatroniException e) {
      r.note(
          "the primary "
              + leader
              + " should leave node "
              + nodeName
              + " (being drained), but Patroni does not "
              + "answer ("
              + e.getMessage()
              + ")");
      r.recheckIn(Reconciliation.SOON);
    }
  }

  private static String label(Pod p, String key) {
    return p.getMetadata().getLabels() == null ? null : p.getMetadata().getLabels().get(key);
  }
}
