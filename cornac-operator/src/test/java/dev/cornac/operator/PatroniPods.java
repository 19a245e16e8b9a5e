package dev.cornac.operator;

import static dev.cornac.operator.OperatorHarness.NS;

import dev.cornac.dataplane.MemberEndpoints;
import dev.cornac.dataplane.patroni.ClusterMember;
import dev.cornac.dataplane.patroni.PatroniClient;
import dev.cornac.dataplane.patroni.PatroniRole;
import dev.cornac.testkit.Kubelet;
import dev.cornac.testkit.LocalPatroniCluster;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plays the kubelet, the StatefulSet controller and Patroni's pod labelling for a real Patroni
 * cluster whose members are named like the pods: a deleted pod restarts its member's processes (a
 * new container) and comes back from the StatefulSet's current template with a new uid; role labels
 * follow Patroni's view.
 */
public final class PatroniPods implements AutoCloseable {
  private final KubernetesClient client;
  private final String cluster;
  private final LocalPatroniCluster patroni;
  private final List<String> deletions = Collections.synchronizedList(new ArrayList<>());
  private final java.util.Set<String> created = new java.util.HashSet<>();
  private final List<String> removed = Collections.synchronizedList(new ArrayList<>());
  private final Thread loop;
  private final Map<String, String> nodes = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile boolean running = true;

  public PatroniPods(KubernetesClient client, String cluster, LocalPatroniCluster patroni) {
    this.client = client;
    this.cluster = cluster;
    this.patroni = patroni;
    this.loop = new Thread(this::run, "patroni-pods");
    loop.setDaemon(true);
  }

  public MemberEndpoints endpoints() {
    return new MemberEndpoints() {
      @Override
      public PatroniClient patroni(Member member) {
        return patroni.member(member.name()).client(PatroniClient::of);
      }

      @Override
      public String jdbcUrl(Member member, String database) {
        return "jdbc:postgresql://127.0.0.1:"
            + patroni.member(member.name()).pgPort()
            + "/"
            + database;
      }
    };
  }

  public void start() {
    loop.start();
  }

  /**
   * Pods created from now on for this member run on this node (spec.nodeName), as the scheduler
   * would put them.
   */
  public void placeOn(String member, String node) {
    nodes.put(member, node);
  }

  /** Pod names in the order the operator deleted them. */
  public List<String> deletions() {
    synchronized (deletions) {
      return List.copyOf(deletions);
    }
  }

  private void run() {
    while (running) {
      try {
        tick();
        Thread.sleep(200);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException | java.io.IOException e) {
        // the mock server or a member is between states; look again
      }
    }
  }

  private void tick() throws java.io.IOException {
    StatefulSet sts = client.apps().statefulSets().inNamespace(NS).withName(cluster).get();
    if (sts == null) {
      return;
    }
    Map<String, String> roles = new LinkedHashMap<>();
    for (LocalPatroniCluster.Member m : patroni.members()) {
      try {
        for (ClusterMember cm : m.client(PatroniClient::of).cluster()) {
          roles.put(cm.name(), cm.role() == PatroniRole.LEADER ? "master" : "replica");
        }
        break;
      } catch (RuntimeException e) {
        // ask the next member
      }
    }
    int replicas = sts.getSpec().getReplicas();
    for (LocalPatroniCluster.Member m : List.copyOf(patroni.members())) {
      Pod pod = client.pods().inNamespace(NS).withName(m.name()).get();
      if (ordinal(m.name()) >= replicas) {
        // The StatefulSet shrank: Kubernetes removes the highest ordinals (their volumes stay).
        if (pod != null) {
          client.resource(pod).delete();
          removed.add(m.name());
        }
        patroni.stopMember(m.name());
        continue;
      }
      if (pod == null) {
        if (!created.add(m.name())) {
          deletions.add(m.name());
          patroni.restart(m.name());
        }
        create(sts, m.name(), roles.get(m.name()));
      } else if (roles.containsKey(m.name())
          && !roles.get(m.name()).equals(pod.getMetadata().getLabels().get("spilo-role"))) {
        client
            .pods()
            .inNamespace(NS)
            .withName(m.name())
            .edit(
                p ->
                    new PodBuilder(p)
                        .editMetadata()
                        .addToLabels("spilo-role", roles.get(m.name()))
                        .endMetadata()
                        .build());
      }
    }
  }

  /** Pods removed by a scale-down. */
  public List<String> removed() {
    synchronized (removed) {
      return List.copyOf(removed);
    }
  }

  private static int ordinal(String pod) {
    return Integer.parseInt(pod.substring(pod.lastIndexOf('-') + 1));
  }

  private void create(StatefulSet sts, String name, String role) {
    Map<String, String> labels =
        new LinkedHashMap<>(sts.getSpec().getTemplate().getMetadata().getLabels());
    if (role != null) {
      labels.put("spilo-role", role);
    }
    Kubelet.run(
        client,
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(NS)
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withNodeName(nodes.get(name))
            .withContainers(
                new ContainerBuilder()
                    .withName("postgres")
                    .withImage(
                        sts.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                    .build())
            .endSpec()
            .build(),
        "127.0.0.1");
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    loop.interrupt();
    loop.join(5000);
  }
}
