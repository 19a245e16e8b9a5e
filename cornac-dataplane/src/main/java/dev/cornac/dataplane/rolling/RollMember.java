package dev.cornac.dataplane.rolling;

/**
 * One member as a rolling update sees it, from where it runs (pods on Kubernetes, processes
 * locally).
 *
 * @param marked whether it still has to be recreated (the rolling-update mark, or one just written)
 * @param up whether it runs and can be reached: on Kubernetes a pod that is Running with an address
 *     and a Patroni role label, and not the pod we deleted a moment ago
 * @param currentSpec whether it already runs what is desired (not marked, and the desired image):
 *     only such a member may become the primary during a roll
 */
public record RollMember(String name, boolean marked, boolean up, boolean currentSpec) {}
