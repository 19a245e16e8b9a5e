package dev.cornac.operator.rolling;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * How many clusters roll their pods at once ({@code max_concurrent_rolling_updates}): a fleet-wide change (a new Spilo
 * image for every cluster) takes down one pod per cluster at a time, and this bounds how many clusters have one down.
 * A cluster holds its slot from its first recreation until every member is healthy again. Waiting clusters are
 * served in the order they asked, each woken as a slot frees; every other cluster is reconciled meanwhile, as a roll
 * holds no worker.
 */
public final class RollingUpdateSlots {
  private final int max;
  private final Set<ResourceID> holders = new LinkedHashSet<>();
  private final Set<ResourceID> waiting = new LinkedHashSet<>();
  private volatile Consumer<ResourceID> wake = id -> {};

  /** @param max 0 or less: no bound */
  public RollingUpdateSlots(int max) {
    this.max = max;
  }

  /** How a woken cluster gets its next pass (JOSDK's inbound event source, once the operator runs). */
  public void onFree(Consumer<ResourceID> wake) {
    this.wake = wake;
  }

  /** True when the cluster holds a slot (already, or now); false puts it in line. */
  public synchronized boolean tryAcquire(ResourceID cluster) {
    if (holders.contains(cluster)) {
      return true;
    }
    if (max <= 0 || positionInLine(cluster) < max - holders.size()) {
      waiting.remove(cluster);
      holders.add(cluster);
      return true;
    }
    waiting.add(cluster);
    return false;
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

  /** The roll is over, or the cluster needs no slot any more (gone, unmarked): those next in line are woken. */
  public void release(ResourceID cluster) {
    List<ResourceID> next;
    synchronized (this) {
      if (!holders.remove(cluster) && !waiting.remove(cluster)) {
        return;
      }
      next = waiting.stream().limit(Math.max(0, max - holders.size())).toList();
    }
    next.forEach(wake);
  }

  /**
   * Frees the slots of clusters that are gone: a cluster deleted without a finalizer gets no last pass to give its
   * slot back.
   */
  public void releaseGone(Predicate<ResourceID> exists) {
    List<ResourceID> gone;
    synchronized (this) {
      gone = holders.stream().filter(exists.negate()).toList();
    }
    gone.forEach(this::release);
  }

  public synchronized int rolling() {
    return holders.size();
  }

  public synchronized int waiting() {
    return waiting.size();
  }

  public int max() {
    return max;
  }
}
