package dev.cornac.operator.rolling;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Which clusters may roll their pods now — a fleet-wide change (a new Spilo image for every
 * cluster) rolled as a canary: first {@code rolling_update_canary_clusters} clusters alone, then
 * the others with at most {@code max_concurrent_rolling_updates} at once; a roll that fails (has
 * not moved for {@code pod_label_wait_timeout}) pauses the rollout when {@code
 * pause_rolling_updates_on_failure} says so, until resumed. A cluster holds its slot from its first
 * recreation until every member is healthy again; rolls already under way go on during a pause.
 * Waiting clusters are served in the order they asked, each woken as a slot frees; every other
 * cluster is reconciled meanwhile, as a roll holds no worker. Each operator start (each
 * configuration revision) begins with the canary.
 */
public final class RollingUpdateSlots {
  /**
   * The annotation on the ConfigMap or OperatorConfiguration whose change resumes paused rolling
   * updates.
   */
  public static final String RESUME_ANNOTATION = "cornac.dev/resume-rolling-updates";

  /** Where the rollout stands. */
  public enum Phase {
    /** The first clusters roll alone. */
    CANARY,
    /** The canary is done: up to the bound roll at once. */
    ROLLING,
    /** A roll failed: no new cluster starts until resumed. */
    PAUSED
  }

  /** A snapshot for {@code /status/} and the metrics. */
  public record Rollout(
      Phase phase,
      int canaryClusters,
      List<String> canaryDone,
      int rolling,
      int waiting,
      Optional<String> pausedBy,
      Optional<String> pauseReason) {}

  private final int max;
  private final int canary;
  private final boolean pauseOnFailure;
  private final Set<ResourceID> holders = new LinkedHashSet<>();
  private final Set<ResourceID> waiting = new LinkedHashSet<>();
  private final List<ResourceID> completed = new ArrayList<>();
  private ResourceID pausedBy;
  private String pauseReason;
  private volatile Consumer<ResourceID> wake = id -> {};

  /** No canary, no pause: {@code max} at once (0 or less: no bound). */
  public RollingUpdateSlots(int max) {
    this(max, 0, false);
  }

  /**
   * @param max 0 or less: no bound
   * @param canary how many clusters roll alone first (0: no canary)
   * @param pauseOnFailure whether a failed roll stops new ones from starting until {@link
   *     #resume()}
   */
  public RollingUpdateSlots(int max, int canary, boolean pauseOnFailure) {
    this.max = max;
    this.canary = Math.max(0, canary);
    this.pauseOnFailure = pauseOnFailure;
  }

  /**
   * How a woken cluster gets its next pass (JOSDK's inbound event source, once the operator runs).
   */
  public void onFree(Consumer<ResourceID> wake) {
    this.wake = wake;
  }

  /** True when the cluster holds a slot (already, or now); false puts it in line. */
  public synchronized boolean tryAcquire(ResourceID cluster) {
    if (holders.contains(cluster)) {
      return true;
    }
    if (pausedBy == null && positionInLine(cluster) < free()) {
      waiting.remove(cluster);
      holders.add(cluster);
      return true;
    }
    waiting.add(cluster);
    return false;
  }

  /** Slots free now: during the canary, only the canary's own. */
  private int free() {
    if (pausedBy != null) {
      return 0;
    }
    if (completed.size() < canary) {
      return Math.max(0, canary - completed.size() - holders.size());
    }
    return max <= 0 ? Integer.MAX_VALUE : Math.max(0, max - holders.size());
  }

  /** Where the cluster stands in line: those ahead of it get the free slots first. */
  private int positionInLine(ResourceID cluster) {
    int position = 0;
    for (ResourceID id : waiting) {
      if (id.equals(cluster)) {
        return position;
      }
      position++;
    }
    return position;
  }

  public synchronized boolean holds(ResourceID cluster) {
    return holders.contains(cluster);
  }

  /** The cluster's roll is done: it counts towards the canary, and those next in line are woken. */
  public void completed(ResourceID cluster) {
    synchronized (this) {
      if (holders.contains(cluster)) {
        completed.add(cluster);
      }
    }
    release(cluster);
  }

  /** The cluster needs no slot any more (gone, unmarked): those next in line are woken. */
  public void release(ResourceID cluster) {
    List<ResourceID> next;
    synchronized (this) {
      if (!holders.remove(cluster) && !waiting.remove(cluster)) {
        return;
      }
      next = nextInLine();
    }
    next.forEach(wake);
  }

  /**
   * The cluster's roll has not moved for {@code pod_label_wait_timeout}: the rollout pauses when so
   * configured.
   *
   * @return true when this paused the rollout (news for an Event)
   */
  public synchronized boolean failed(ResourceID cluster, String reason) {
    if (!pauseOnFailure || pausedBy != null) {
      return false;
    }
    pausedBy = cluster;
    pauseReason = reason;
    return true;
  }

  /** New clusters may start again (the cluster that failed is not held back either). */
  public void resume() {
    List<ResourceID> next;
    synchronized (this) {
      if (pausedBy == null) {
        return;
      }
      pausedBy = null;
      pauseReason = null;
      next = nextInLine();
    }
    next.forEach(wake);
  }

  private List<ResourceID> nextInLine() {
    int free = free();
    return waiting.stream().limit(free == Integer.MAX_VALUE ? waiting.size() : free).toList();
  }

  /**
   * Frees the slots of clusters that are gone: a cluster deleted without a finalizer gets no last
   * pass to give its slot back.
   */
  public void releaseGone(Predicate<ResourceID> exists) {
    List<ResourceID> gone;
    synchronized (this) {
      gone = holders.stream().filter(exists.negate()).toList();
    }
    gone.forEach(this::release);
  }

  /** Why a cluster in line waits, for its status. */
  public synchronized String whyWaiting() {
    if (pausedBy != null) {
      return "rolling updates are paused since the roll of "
          + name(pausedBy)
          + " failed ("
          + pauseReason
          + "); resume with kubectl annotate on the operator configuration, "
          + RESUME_ANNOTATION
          + "=<a new value>";
    }
    if (completed.size() < canary) {
      return "the canary must finish first: "
          + holders.stream().map(RollingUpdateSlots::name).toList()
          + " rolling, "
          + completed.size()
          + " of "
          + canary
          + " done (rolling_update_canary_clusters "
          + canary
          + ")";
    }
    return holders.size() + " cluster(s) are rolling (max_concurrent_rolling_updates " + max + ")";
  }

  public synchronized Rollout rollout() {
    Phase phase =
        pausedBy != null ? Phase.PAUSED : completed.size() < canary ? Phase.CANARY : Phase.ROLLING;
    return new Rollout(
        phase,
        canary,
        completed.stream().limit(canary).map(RollingUpdateSlots::name).toList(),
        holders.size(),
        waiting.size(),
        Optional.ofNullable(pausedBy).map(RollingUpdateSlots::name),
        Optional.ofNullable(pauseReason));
  }

  private static String name(ResourceID id) {
    return id.getNamespace().map(ns -> ns + "/").orElse("") + id.getName();
  }

  public synchronized int rolling() {
    return holders.size();
  }

  public synchronized int waiting() {
    return waiting.size();
  }

  public synchronized boolean paused() {
    return pausedBy != null;
  }

  public int max() {
    return max;
  }
}
