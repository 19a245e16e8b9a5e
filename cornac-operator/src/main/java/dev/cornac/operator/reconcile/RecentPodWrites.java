package dev.cornac.operator.reconcile;

import dev.cornac.generators.plan.RollingUpdateMark;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operator's own writes to pods that the informer cache may not show yet: the rolling-update
 * marks and the deletions of a roll. JOSDK's temporary cache keeps a written object only until the
 * next event of that object, and Patroni rewrites pod annotations all the time, so a pass could
 * plan on a pod without the mark it just wrote (a switchover to a replica still on the old image)
 * or recreate a pod it has just deleted. Keyed by uid: a pod recreated by the StatefulSet is
 * another pod, unmarked.
 */
public final class RecentPodWrites {
  /** Longer than any informer lag; entries of pods long gone do not pile up. */
  private static final Duration KEEP = Duration.ofMinutes(30);

  private final Map<String, Instant> marked = new ConcurrentHashMap<>();
  private final Map<String, Instant> deleted = new ConcurrentHashMap<>();

  void markedForRollingUpdate(Pod pod) {
    remember(marked, pod);
  }

  void deleted(Pod pod) {
    remember(deleted, pod);
  }

  /**
   * Marked for a rolling update, in the cache or by a write of ours the cache does not show yet.
   */
  public boolean isMarked(Pod pod) {
    return RollingUpdateMark.isMarked(pod) || marked.containsKey(uid(pod));
  }

  /** A pod we deleted that the cache still lists. */
  public boolean isDeleted(Pod pod) {
    return deleted.containsKey(uid(pod));
  }

  private static void remember(Map<String, Instant> writes, Pod pod) {
    Instant now = Instant.now();
    writes.values().removeIf(at -> at.isBefore(now.minus(KEEP)));
    writes.put(uid(pod), now);
  }

  private static String uid(Pod pod) {
    String uid = pod.getMetadata().getUid();
    return uid == null ? pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName() : uid;
  }
}
