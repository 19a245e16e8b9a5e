package dev.cornac.operator.switchover;

import dev.cornac.dataplane.MemberEndpoints;
import dev.cornac.dataplane.patroni.PatroniClient;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/**
 * A cluster's pods as Patroni members: each reached by its pod address, named and ordered as the
 * StatefulSet's.
 */
public final class PodMembers {
  private final MemberEndpoints endpoints;
  private final List<Pod> pods;

  public PodMembers(MemberEndpoints endpoints, List<Pod> pods) {
    this.endpoints = endpoints;
    this.pods = pods;
  }

  public PatroniClient client(String member) {
    MemberEndpoints.Member address =
        pods.stream()
            .filter(p -> p.getMetadata().getName().equals(member))
            .findFirst()
            .map(PodMembers::address)
            .orElseGet(
                () ->
                    new MemberEndpoints.Member(
                        pods.isEmpty() ? null : pods.get(0).getMetadata().getNamespace(),
                        member,
                        null));
    return endpoints.patroni(address);
  }

  /** How the endpoints see a pod: namespace, name and IP (null before the pod has one). */
  public static MemberEndpoints.Member address(Pod p) {
    return new MemberEndpoints.Member(
        p.getMetadata().getNamespace(),
        p.getMetadata().getName(),
        p.getStatus() == null ? null : p.getStatus().getPodIP());
  }

  /**
   * The StatefulSet ordinal of a pod name ({@code <cluster>-<ordinal>}); unparsable names sort
   * last.
   */
  public static int ordinal(String pod) {
    try {
      return Integer.parseInt(pod.substring(pod.lastIndexOf('-') + 1));
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }
}
