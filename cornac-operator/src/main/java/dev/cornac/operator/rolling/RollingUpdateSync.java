package dev.cornac.operator.rolling;

import dev.cornac.api.cluster.MaintenanceWindows;
import dev.cornac.api.config.OperatorConfig;
import dev.cornac.dataplane.MemberEndpoints;
import dev.cornac.dataplane.patroni.ClusterMember;
import dev.cornac.dataplane.patroni.PatroniException;
import dev.cornac.dataplane.rolling.RollMember;
import dev.cornac.dataplane.rolling.RollPlanner;
import dev.cornac.dataplane.rolling.RollStep;
import dev.cornac.dataplane.switchover.Switchover;
import dev.cornac.generators.Cluster;
import dev.cornac.operator.reconcile.RecentPodWrites;
import dev.cornac.operator.reconcile.Reconciliation;
import dev.cornac.operator.switchover.PodMembers;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Advances the rolling update of the pods marked for one (upstream: pkg/cluster/sync.go,
 * syncStatefulSet; pkg/cluster/pod.go, recreatePods) by one step per pass: the step comes from
 * {@link RollPlanner}, this carries it out (delete a pod, ask Patroni for the switchover) and the
 * pass is rescheduled; waiting for a pod to come back or a replica to catch up is the next pass,
 * never a sleep. At most {@code max_concurrent_rolling_updates} clusters roll at once ({@link
 * RollingUpdateSlots}).
 */
public final class RollingUpdateSync {
  /** Patroni's default when neither the manifest nor Spilo sets maximum_lag_on_failover. */
  static final long DEFAULT_MAX_LAG = 1_048_576L;

  private static final Duration SWITCHOVER_SETTLING = Duration.ofSeconds(30);

  /** Where a cluster's roll stands after this pass. */
  public enum State {
    /** No roll: nothing marked. */
    IDLE,
    /** A step was taken or is awaited: look again in seconds. */
    ROLLING,
    /**
     * Marked, but {@code max_concurrent_rolling_updates} clusters are rolling: woken when a slot
     * frees.
     */
    WAITING_FOR_SLOT,
    /**
     * Marked by a change of the configuration, not of the cluster: the roll starts in its
     * maintenance window.
     */
    WAITING_FOR_WINDOW
  }

  /**
   * What a roll remembers between passes: when it last moved, its switchover (exactly one per roll:
   * the new leader; the old one until it has been recreated, as it must finish demoting first),
   * whether it warned.
   */
  private record Progress(
      Instant lastStep,
      Optional<String> switchedFrom,
      Optional<String> switchedTo,
      boolean warned) {
    static Progress start(Instant now) {
      return new Progress(now, Optional.empty(), Optional.empty(), false);
    }

    Progress moved(Instant now) {
      return new Progress(now, switchedFrom, switchedTo, false);
    }
  }

  private final OperatorConfig config;
  private final MemberEndpoints endpoints;
  private final RollingUpdateSlots slots;
  private final Clock clock;
  private final Map<ResourceID, Progress> progress = new ConcurrentHashMap<>();

  /**
   * Whether a pending roll comes from the cluster's own change (its spec, seen when its pods were
   * marked) rather than from the fleet's (a configuration revision, an operator upgrade); kept
   * until the roll starts. Lost with the process: a roll not yet started then counts as the
   * fleet's.
   */
  private final Map<ResourceID, Boolean> ownChange = new ConcurrentHashMap<>();

  public RollingUpdateSync(
      OperatorConfig config, MemberEndpoints endpoints, RollingUpdateSlots slots, Clock clock) {
    this.config = config;
    this.endpoints = endpoints;
    this.slots = slots;
    this.clock = clock;
  }

  public State sync(Reconciliation r) {
    Cluster c = r.cluster();
    ResourceID id = new ResourceID(c.name(), c.namespace());
    RecentPodWrites writes = r.informers().recentPodWrites();
    List<Pod> pods =
        r.informers().ofCluster(Pod.class, c.namespace(), c.name()).stream()
            .filter(p -> !writes.isDeleted(p))
            .toList();
    List<String> marked =
        pods.stream()
            .filter(writes::isMarked)
            .map(p -> p.getMetadata().getName())
            .sorted()
            .toList();
    if (marked.isEmpty() && !slots.holds(id)) {
      ownChange.remove(id);
      slots.release(id);
      return State.IDLE;
    }
    if (!slots.holds(id)) {
      // A change of the cluster's own spec (now, or when its pods were marked) rolls at once, as
      // upstream.
      boolean own = specChanged(r) || ownChange.getOrDefault(id, false);
      ownChange.put(id, own);
      // Some pods recreated already: a roll under way (of an operator that restarted, say) goes on.
      boolean started = marked.size() < pods.size();
      if (!own
          && !started
          && !MaintenanceWindows.inWindow(c.spec().maintenanceWindows, config, clock.instant())) {
        // A fleet-wide change (the seed's minor upgrade) disrupts each cluster in its own window,
        // when it has one.
        r.note(
            "rolling update of "
                + String.join(", ", marked)
                + " for a change of the operator configuration "
                + "waits for the cluster's maintenance window");
        r.waitForWindow();
        return State.WAITING_FOR_WINDOW;
      }
      slots.releaseGone(
          held ->
              r.informers().cluster(held.getNamespace().orElse(""), held.getName()).isPresent());
      if (!slots.tryAcquire(id)) {
        r.note(
            "rolling update of "
                + String.join(", ", marked)
                + " waits its turn: "
                + slots.whyWaiting());
        return State.WAITING_FOR_SLOT;
      }
      r.acted("Update", "Performing rolling update of " + String.join(", ", marked));
      ownChange.remove(id);
      progress.put(id, Progress.start(clock.instant()));
    }
    Progress before = progress.getOrDefault(id, Progress.start(clock.instant()));
    RollStep step = RollPlanner.next(facts(r, pods, writes, before.switchedFrom()));
    if (step instanceof RollStep.Done) {
      progress.remove(id);
      slots.completed(id);
      r.acted("Update", "Rolling update done - pods have been recreated");
      return State.IDLE;
    } else if (step instanceof RollStep.Wait wait) {
      waiting(r, id, before, wait.reason());
    } else if (step instanceof RollStep.Recreate recreate) {
      Pod pod =
          pods.stream()
              .filter(p -> p.getMetadata().getName().equals(recreate.member()))
              .findFirst()
              .orElseThrow();
      r.writer().delete(pod);
      r.acted(
          "Update",
          "recreating pod "
              + recreate.member()
              + " for the rolling update"
              + (recreate.downtime()
                  ? " (the only instance: the cluster is down until it is back)"
                  : ""));
      Progress moved = before.moved(clock.instant());
      progress.put(
          id,
          recreate.member().equals(before.switchedFrom().orElse(null))
              ? new Progress(moved.lastStep(), Optional.empty(), moved.switchedTo(), false)
              : moved);
    } else if (step instanceof RollStep.Switchover switchover) {
      switchover(r, id, pods, before, switchover);
    }
    return State.ROLLING;
  }

  /** The cluster is gone: its slot and progress go with it. */
  public void forget(ResourceID id) {
    progress.remove(id);
    ownChange.remove(id);
    slots.release(id);
  }

  private void switchover(
      Reconciliation r, ResourceID id, List<Pod> pods, Progress before, RollStep.Switchover step) {
    if (before.switchedTo().isPresent()
        && Duration.between(before.lastStep(), clock.instant()).compareTo(SWITCHOVER_SETTLING)
            < 0) {
      // Patroni has taken the switchover and a view may lag a moment behind: a roll switches over
      // once. Only a
      // failover back to the old primary, seen after this while, calls for another.
      waiting(
          r,
          id,
          before,
          "waiting for " + before.switchedTo().get() + " to lead after the switchover");
      return;
    }
    Switchover.Result result =
        Switchover.request(
            new PodMembers(endpoints, pods).client(step.leader()).once(),
            step.leader(),
            step.candidate(),
            Optional.empty());
    if (result instanceof Switchover.Done) {
      r.acted(
          "Switchover",
          "switched over from "
              + step.leader()
              + " to "
              + step.candidate()
              + " for the rolling update");
      progress.put(
          id,
          new Progress(
              clock.instant(), Optional.of(step.leader()), Optional.of(step.candidate()), false));
    } else if (result instanceof Switchover.NotYet notYet) {
      waiting(
          r,
          id,
          before,
          "Patroni does not switch over from "
              + step.leader()
              + " to "
              + step.candidate()
              + " yet ("
              + notYet.reason()
              + ")");
    } else if (result instanceof Switchover.Failed failed) {
      r.warn(
          "Switchover",
          "Patroni refused to switch over from "
              + step.leader()
              + " to "
              + step.candidate()
              + " for the rolling update: "
              + failed.reason()
              + "; retrying at the next sync");
      waiting(r, id, before, "Patroni refused the switchover (" + failed.reason() + ")");
    }
  }

  /**
   * Whether this pass sees a spec the cluster has not been applied with yet (its status's
   * observedGeneration).
   */
  private static boolean specChanged(Reconciliation r) {
    var status = r.resource().getStatus();
    Long generation = r.resource().getMetadata().getGeneration();
    return status == null
        || status.observedGeneration == null
        || !status.observedGeneration.equals(generation);
  }

  /**
   * A roll that has not moved for {@code pod_label_wait_timeout} is reported once, and keeps
   * waiting.
   */
  private void waiting(Reconciliation r, ResourceID id, Progress before, String reason) {
    r.note("rolling update: " + reason);
    Duration limit = podWait();
    if (!before.warned()
        && Duration.between(before.lastStep(), clock.instant()).compareTo(limit) > 0) {
      r.warn(
          "Update",
          "rolling update has not moved for "
              + limit.toSeconds()
              + " s (pod_label_wait_timeout): "
              + reason
              + "; it goes on as soon as that changes");
      if (slots.failed(id, reason)) {
        r.warn(
            "Update",
            "rolling updates of other clusters are paused (pause_rolling_updates_on_failure): no new "
                + "roll starts until the annotation "
                + RollingUpdateSlots.RESUME_ANNOTATION
                + " of the operator "
                + "configuration changes");
      }
      progress.put(
          id, new Progress(before.lastStep(), before.switchedFrom(), before.switchedTo(), true));
    }
  }

  private RollPlanner.Facts facts(
      Reconciliation r, List<Pod> pods, RecentPodWrites writes, Optional<String> demoting) {
    Cluster c = r.cluster();
    String image =
        postgresImage(r.desired().statefulSet().getSpec().getTemplate().getSpec().getContainers());
    int replicas =
        r.live(StatefulSet.class, r.desired().statefulSet())
            .map(s -> s.getSpec().getReplicas())
            .filter(Objects::nonNull)
            .orElse(pods.size());
    List<RollMember> members = new ArrayList<>();
    for (int i = 0; i < Math.max(replicas, pods.size()); i++) {
      String name = c.name() + "-" + i;
      Optional<Pod> pod =
          pods.stream().filter(p -> p.getMetadata().getName().equals(name)).findFirst();
      boolean marked = pod.map(writes::isMarked).orElse(false);
      boolean current =
          pod.isPresent()
              && !marked
              && Objects.equals(
                  image,
                  postgresImage(
                      pod.get().getSpec() == null ? null : pod.get().getSpec().getContainers()));
      members.add(new RollMember(name, marked, pod.map(this::isUp).orElse(false), current));
    }
    var patroni = c.spec().patroni;
    long maxLag =
        patroni != null && patroni.maximumLagOnFailover != null && patroni.maximumLagOnFailover > 0
            ? patroni.maximumLagOnFailover
            : DEFAULT_MAX_LAG;
    boolean synchronous = patroni != null && Boolean.TRUE.equals(patroni.synchronousMode);
    boolean allUp = members.stream().allMatch(RollMember::up);
    return new RollPlanner.Facts(
        members, allUp ? patroniView(pods) : List.of(), maxLag, synchronous, demoting);
  }

  /** Patroni's view of the cluster from the first member that answers, each asked once. */
  private List<ClusterMember> patroniView(List<Pod> pods) {
    PodMembers members = new PodMembers(endpoints, pods);
    for (Pod pod : pods) {
      try {
        return members.client(pod.getMetadata().getName()).once().cluster();
      } catch (PatroniException e) {
        // ask the next member
      }
    }
    return List.of();
  }

  private boolean isUp(Pod p) {
    Map<String, String> labels = p.getMetadata().getLabels();
    String role = labels == null ? null : labels.get(config.podRoleLabel());
    return p.getStatus() != null
        && "Running".equals(p.getStatus().getPhase())
        && p.getStatus().getPodIP() != null
        && !p.getStatus().getPodIP().isEmpty()
        && ("master".equals(role) || "replica".equals(role));
  }

  private Duration podWait() {
    Duration wait = config.duration("pod_label_wait_timeout");
    return wait.isZero() || wait.isNegative() ? Duration.ofMinutes(10) : wait;
  }

  private static String postgresImage(List<Container> containers) {
    return containers == null
        ? null
        : containers.stream()
            .filter(k -> "postgres".equals(k.getName()))
            .map(Container::getImage)
            .findFirst()
            .orElse(null);
  }
}
