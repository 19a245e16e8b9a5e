package dev.cornac.operator.switchover;

import dev.cornac.dataplane.MemberEndpoints;
import dev.cornac.dataplane.patroni.PatroniClient;
import dev.cornac.dataplane.patroni.PatroniException;
import dev.cornac.dataplane.patroni.PatroniRole;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A cluster's pods as Patroni members: each reached by its pod address, named and ordered as the StatefulSet's. */
public final class PodMembers {
  private final MemberEndpoints endpoints;
  private final List<Pod> pods;

  public PodMembers(MemberEndpoints endpoints, List<Pod> pods) {
    this.endpoints = endpoints;
    this.pods = pods;
  }

  public PatroniClient client(String member) {
    String ip = pods.stream().filter(p -> p.getMetadata().getName().equals(member)).findFirst()
        .map(p -> p.getStatus() == null ? null : p.getStatus().getPodIP()).orElse(null);
    return endpoints.patroni(member, ip);
  }

  /** Waits until the member says it leads; an IllegalStateException after the timeout. */
  public void awaitLeader(String member, Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      try {
        if (client(member).patroni().role() == PatroniRole.LEADER) {
          return;
        }
      } catch (PatroniException e) {
        // not answering yet
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(member + " did not become the primary within " + timeout.toSeconds() + " s");
  }

  /** The StatefulSet ordinal of a pod name ({@code <cluster>-<ordinal>}); unparsable names sort last. */
  public static int ordinal(String pod) {
    try {
      return Integer.parseInt(pod.substring(pod.lastIndexOf('-') + 1));
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }
}
