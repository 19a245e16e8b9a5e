package dev.cornac.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Many clusters' pods without a process behind them: plays the StatefulSet controller (a deleted
 * pod comes back after {@code podStart} from the StatefulSet's current template), the kubelet
 * (Running, an address) and Patroni 3 (role labels, {@code GET /patroni}, {@code GET /cluster},
 * {@code POST /switchover} with its 412s, a failover when the leader's pod goes without one). Each
 * pod gets its own loopback address (127.x.y.z); one HTTP server on every address answers for the
 * member behind the address it was called on, so the operator reaches Patroni by pod IP as in a
 * real cluster. Counts switchovers and failovers per cluster: a roll must switch over exactly once.
 */
public final class SimulatedPatroniFleet implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param patroniPort where the REST API answers (8008 for an operator using pod IPs as shipped;
   *     any free port for an operator in the test's JVM with its own endpoints)
   * @param podStart how long a deleted pod takes to come back
   */
  public record Options(
      String namespace, int patroniPort, Duration podStart, String clusterLabel, String roleLabel) {
    public static Options of(String namespace, int patroniPort, Duration podStart) {
      return new Options(namespace, patroniPort, podStart, "cluster-name", "spilo-role");
    }
  }

  private static final class Member {
    final String name;
    final String ip;
    boolean running;

    /**
     * The pod running this member now: a late deletion event of an earlier pod of the same name is
     * not about it.
     */
    String podUid;

    int serverVersion = 150000;

    Member(String name, String ip) {
      this.name = name;
      this.ip = ip;
    }
  }

  private static final class Sim {
    final String name;
    final Map<String, Member> members = new LinkedHashMap<>();
    String leader;
    int timeline = 1;
    int switchovers;
    int failovers;
    int restarts;
    int busyRestarts;
    final List<String> deletions = new ArrayList<>();

    Sim(String name) {
      this.name = name;
    }
  }

  private final KubernetesClient client;
  private final Options options;
  private final Map<String, Sim> clusters = new HashMap<>();
  private final Map<String, Member> byIp = new ConcurrentHashMap<>();
  private final Map<String, String> clusterOfIp = new ConcurrentHashMap<>();
  private final Set<String> stalled = ConcurrentHashMap.newKeySet();
  private final Set<String> pending = ConcurrentHashMap.newKeySet();
  private final Set<String> missedDeletions = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService executor =
      Executors.newScheduledThreadPool(
          4,
          r -> {
            Thread t = new Thread(r, "simulated-patroni");
            t.setDaemon(true);
            return t;
          });
  private final HttpServer server;
  private final SharedIndexInformer<StatefulSet> statefulSets;
  private final SharedIndexInformer<Pod> pods;
  private int addresses;
  private final Set<String> disrupted = new HashSet<>();
  private int peakDisrupted;

  private SimulatedPatroniFleet(KubernetesClient client, Options options) throws IOException {
    this.client = client;
    this.options = options;
    this.server = HttpServer.create(new InetSocketAddress("0.0.0.0", options.patroniPort()), 512);
    server.createContext("/", this::answer);
    server.setExecutor(
        Executors.newFixedThreadPool(
            8,
            r -> {
              Thread t = new Thread(r, "simulated-patroni-http");
              t.setDaemon(true);
              return t;
            }));
    server.start();
    this.pods =
        client
            .pods()
            .inNamespace(options.namespace())
            .withLabel(options.clusterLabel())
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Pod pod) {}

                  @Override
                  public void onUpdate(Pod before, Pod after) {}

                  @Override
                  public void onDelete(Pod pod, boolean unknown) {
                    podGone(pod);
                  }
                });
    this.statefulSets =
        client
            .apps()
            .statefulSets()
            .inNamespace(options.namespace())
            .withLabel(options.clusterLabel())
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(StatefulSet sts) {
                    executor.execute(() -> converge(sts.getMetadata().getName()));
                  }

                  @Override
                  public void onUpdate(StatefulSet before, StatefulSet after) {
                    executor.execute(() -> converge(after.getMetadata().getName()));
                  }

                  @Override
                  public void onDelete(StatefulSet sts, boolean unknown) {}
                });
    executor.scheduleWithFixedDelay(this::convergeAll, 10, 10, TimeUnit.SECONDS);
  }

  public static SimulatedPatroniFleet start(KubernetesClient client, Options options)
      throws IOException {
    return new SimulatedPatroniFleet(client, options);
  }

  /** The port Patroni's REST API answers on, at every pod's address. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Pods of this cluster deleted from now on do not come back (a roll that cannot finish). */
  public void stall(String cluster) {
    stalled.add(cluster);
  }

  public void unstall(String cluster) {
    stalled.remove(cluster);
    executor.execute(() -> converge(cluster));
  }

  public synchronized int switchovers(String cluster) {
    return sim(cluster).switchovers;
  }

  /**
   * The next {@code answers} restarts of this cluster's members are refused with 503, as Patroni
   * refuses one while a demotion is still in progress right after a switchover.
   */
  public synchronized void busyRestarts(String cluster, int answers) {
    sim(cluster).busyRestarts = answers;
  }

  /** Restarts this cluster's members accepted. */
  public synchronized int restarts(String cluster) {
    return sim(cluster).restarts;
  }

  public synchronized int failovers(String cluster) {
    return sim(cluster).failovers;
  }

  public synchronized Optional<String> leader(String cluster) {
    return Optional.ofNullable(sim(cluster).leader);
  }

  /** Pod names in the order they were deleted. */
  public synchronized List<String> deletions(String cluster) {
    return List.copyOf(sim(cluster).deletions);
  }

  /** The most clusters that had a member down at the same time. */
  public synchronized int peakDisruptedClusters() {
    return peakDisrupted;
  }

  /** Switchovers per cluster, for every cluster the fleet has seen. */
  public synchronized Map<String, Integer> switchovers() {
    Map<String, Integer> all = new LinkedHashMap<>();
    clusters.values().forEach(s -> all.put(s.name, s.switchovers));
    return all;
  }

  private Sim sim(String cluster) {
    return clusters.computeIfAbsent(cluster, Sim::new);
  }

  /**
   * The StatefulSet controller's work for one cluster: every ordinal below the replicas has a pod.
   */
  private void converge(String cluster) {
    converge(cluster, name -> pods.getStore().getByKey(options.namespace() + "/" + name) != null);
  }

  private void converge(String cluster, Predicate<String> exists) {
    StatefulSet sts = statefulSets.getStore().getByKey(options.namespace() + "/" + cluster);
    if (sts == null || sts.getSpec().getReplicas() == null) {
      return;
    }
    int replicas = sts.getSpec().getReplicas();
    for (int i = 0; i < replicas; i++) {
      String name = cluster + "-" + i;
      if (!exists.test(name) && !stalled.contains(cluster) && pending.add(name)) {
        executor.schedule(
            () -> create(cluster, name), options.podStart().toMillis(), TimeUnit.MILLISECONDS);
      }
    }
    // The StatefulSet controller removes the highest ordinals first; a shrink of more than a few at
    // once is not played.
    for (int i = replicas; i < replicas + 8; i++) {
      Pod extra = pods.getStore().getByKey(options.namespace() + "/" + cluster + "-" + i);
      if (extra != null) {
        delete(extra);
      }
    }
  }

  /**
   * Like the controller's own resync: the pods as the API server lists them, so that a deletion
   * whose watch event never came (the mock server under load drops some) is seen and the pod comes
   * back all the same.
   */
  private void convergeAll() {
    try {
      Set<String> live = new HashSet<>();
      client
          .pods()
          .inNamespace(options.namespace())
          .withLabel(options.clusterLabel())
          .list()
          .getItems()
          .forEach(p -> live.add(p.getMetadata().getName()));
      for (Pod pod : pods.getStore().list()) {
        if (!live.contains(pod.getMetadata().getName())
            && missedDeletions.add(pod.getMetadata().getUid())) {
          podGone(pod);
        }
      }
      for (String key : statefulSets.getStore().listKeys()) {
        converge(key.substring(key.indexOf('/') + 1), live::contains);
      }
    } catch (RuntimeException e) {
      // the API server busy, a store changing under the loop: the next round looks again (an
      // exception would end
      // the schedule)
    }
  }

  private void create(String cluster, String name) {
    try {
      StatefulSet sts = statefulSets.getStore().getByKey(options.namespace() + "/" + cluster);
      if (sts == null
          || ordinal(name) >= sts.getSpec().getReplicas()
          || stalled.contains(cluster)) {
        return;
      }
      String role;
      Member member;
      synchronized (this) {
        Sim sim = sim(cluster);
        member = sim.members.computeIfAbsent(name, n -> new Member(n, nextAddress()));
        byIp.put(member.ip, member);
        clusterOfIp.put(member.ip, cluster);
        member.serverVersion = serverVersion(sts);
        if (sim.leader == null) {
          sim.leader = name;
        }
        role = name.equals(sim.leader) ? "master" : "replica";
      }
      // As on a real cluster: the StatefulSet controller creates the pod, the kubelet gives it an
      // address, and only
      // then does Patroni, running inside, label it with its role.
      Map<String, String> labels =
          new LinkedHashMap<>(sts.getSpec().getTemplate().getMetadata().getLabels());
      Pod created =
          Kubelet.run(
              client,
              new PodBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withNamespace(options.namespace())
                  .withLabels(labels)
                  .endMetadata()
                  .withNewSpec()
                  .withContainers(
                      new ContainerBuilder()
                          .withName("postgres")
                          .withImage(
                              sts.getSpec()
                                  .getTemplate()
                                  .getSpec()
                                  .getContainers()
                                  .get(0)
                                  .getImage())
                          .build())
                  .endSpec()
                  .build(),
              member.ip);
      synchronized (this) {
        Sim sim = sim(cluster);
        member.running = true;
        member.podUid = created.getMetadata().getUid();
        if (sim.members.values().stream().allMatch(m -> m.running)) {
          disrupted.remove(cluster);
        }
      }
      label(name, role);
    } catch (KubernetesClientException e) {
      // The old pod not quite gone yet, say: the StatefulSet controller tries again.
      executor.schedule(
          () -> converge(cluster), options.podStart().toMillis(), TimeUnit.MILLISECONDS);
    } finally {
      pending.remove(name);
    }
  }

  private void podGone(Pod pod) {
    String cluster = label(pod, options.clusterLabel());
    if (cluster == null) {
      return;
    }
    String name = pod.getMetadata().getName();
    List<String> relabel = List.of();
    synchronized (this) {
      Sim sim = sim(cluster);
      Member member = sim.members.get(name);
      if (member != null
          && member.podUid != null
          && !member.podUid.equals(pod.getMetadata().getUid())) {
        return; // the deletion of an earlier pod of this name, seen late: its successor runs
      }
      sim.deletions.add(name);
      if (member != null) {
        member.running = false;
        disrupted.add(cluster);
        peakDisrupted = Math.max(peakDisrupted, disrupted.size());
      }
      if (name.equals(sim.leader)) {
        // Patroni fails over when the leader's key expires: the first running replica takes over.
        sim.leader =
            sim.members.values().stream()
                .filter(m -> m.running)
                .map(m -> m.name)
                .findFirst()
                .orElse(null);
        if (sim.leader != null) {
          sim.failovers++;
          sim.timeline++;
          relabel = List.copyOf(sim.members.keySet());
        }
      }
    }
    relabel.forEach(m -> executor.execute(() -> relabel(cluster, m)));
    executor.execute(() -> converge(cluster));
  }

  private void delete(Pod pod) {
    try {
      client.pods().inNamespace(options.namespace()).withName(pod.getMetadata().getName()).delete();
    } catch (KubernetesClientException e) {
      // gone already
    }
  }

  /** Patroni's own pod labelling: the role label follows the member's role. */
  private void relabel(String cluster, String member) {
    String role;
    synchronized (this) {
      Sim sim = sim(cluster);
      Member m = sim.members.get(member);
      if (m == null || !m.running) {
        return;
      }
      role = member.equals(sim.leader) ? "master" : "replica";
    }
    try {
      label(member, role);
    } catch (KubernetesClientException e) {
      // the pod is being replaced; its successor gets the label once it runs
    }
  }

  private void label(String pod, String role) {
    client
        .pods()
        .inNamespace(options.namespace())
        .withName(pod)
        .edit(
            p ->
                new PodBuilder(p)
                    .editMetadata()
                    .addToLabels(options.roleLabel(), role)
                    .endMetadata()
                    .build());
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      String ip = exchange.getLocalAddress().getAddress().getHostAddress();
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      byte[] request = exchange.getRequestBody().readAllBytes();
      Member member = byIp.get(ip);
      String cluster = clusterOfIp.get(ip);
      if (member == null || cluster == null) {
        send(exchange, 503, "no member at " + ip);
        return;
      }
      if ("POST".equals(method) && "/switchover".equals(path)) {
        switchover(exchange, cluster, JSON.readTree(request));
        return;
      }
      ObjectNode body;
      synchronized (this) {
        if (!member.running) {
          send(exchange, 503, "member " + member.name + " is not running");
          return;
        }
        Sim sim = sim(cluster);
        if ("POST".equals(method) && "/restart".equals(path)) {
          if (sim.busyRestarts > 0) {
            sim.busyRestarts--;
            send(exchange, 503, "manual failover: demote already in progress");
            return;
          }
          sim.restarts++;
        }
        body =
            switch (path) {
              case "/patroni" -> patroni(sim, member);
              case "/cluster" -> cluster(sim);
              case "/config", "/restart", "/reload" -> JSON.createObjectNode();
              default -> null;
            };
      }
      if (body == null) {
        send(exchange, 404, "not simulated: " + method + " " + path);
      } else {
        send(exchange, 200, body.toString());
      }
    }
  }

  private ObjectNode patroni(Sim sim, Member member) {
    ObjectNode p = JSON.createObjectNode();
    p.put("state", "running");
    p.put("role", member.name.equals(sim.leader) ? "master" : "replica");
    p.put("server_version", member.serverVersion);
    p.put("timeline", sim.timeline);
    p.putObject("patroni").put("version", "3.0.4").put("scope", sim.name);
    return p;
  }

  private ObjectNode cluster(Sim sim) {
    ObjectNode root = JSON.createObjectNode();
    root.put("scope", sim.name);
    ArrayNode members = root.putArray("members");
    for (Member m : sim.members.values()) {
      if (!m.running) {
        continue;
      }
      boolean leads = m.name.equals(sim.leader);
      ObjectNode node =
          members
              .addObject()
              .put("name", m.name)
              .put("role", leads ? "leader" : "replica")
              .put("state", leads ? "running" : "streaming")
              .put("api_url", "http://" + m.ip + ":8008/patroni")
              .put("host", m.ip)
              .put("port", 5432)
              .put("timeline", sim.timeline);
      if (!leads) {
        node.put("lag", 0);
      }
    }
    return root;
  }

  private void switchover(HttpExchange exchange, String cluster, JsonNode request)
      throws IOException {
    String leader = request.path("leader").asText("");
    String candidate = request.path("candidate").asText("");
    List<String> relabel;
    synchronized (this) {
      Sim sim = sim(cluster);
      if (!leader.equals(sim.leader)) {
        send(exchange, 412, "leader name does not match");
        return;
      }
      Member target = sim.members.get(candidate);
      if (target == null || !target.running || candidate.equals(leader)) {
        send(
            exchange,
            412,
            "candidate name does not match with sync_standby or is not a healthy replica");
        return;
      }
      sim.leader = candidate;
      sim.timeline++;
      sim.switchovers++;
      relabel = List.copyOf(sim.members.keySet());
    }
    relabel.forEach(m -> executor.execute(() -> relabel(cluster, m)));
    send(exchange, 200, "Successfully switched over to \"" + candidate + "\"");
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** 127.1.0.1, 127.1.0.2, … : one loopback address per member, never a .0 or .255. */
  private String nextAddress() {
    int n = addresses++;
    int host = n % 254 + 1;
    int subnet = n / 254;
    return "127." + (1 + subnet / 256) + "." + (subnet % 256) + "." + host;
  }

  /** Spilo runs the major version of its PGVERSION variable (e.g. 15 → server_version 150000). */
  private static int serverVersion(StatefulSet sts) {
    return sts.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> "PGVERSION".equals(e.getName()) && e.getValue() != null)
        .findFirst()
        .map(e -> Integer.parseInt(e.getValue().strip()) * 10000)
        .orElse(150000);
  }

  private static String label(Pod pod, String key) {
    return pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(key);
  }

  private static int ordinal(String pod) {
    return Integer.parseInt(pod.substring(pod.lastIndexOf('-') + 1));
  }

  @Override
  public void close() {
    statefulSets.close();
    pods.close();
    server.stop(0);
    executor.shutdownNow();
  }
}
