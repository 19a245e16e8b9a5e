package dev.cornac.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cornac.api.crd.CrdManifests;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.api.model.Postgresql;
import dev.cornac.api.model.PostgresqlSpec;
import dev.cornac.dataplane.MemberEndpoints;
import dev.cornac.dataplane.patroni.PatroniClient;
import dev.cornac.operator.activity.ReconcileActivity;
import dev.cornac.operator.config.OperatorEnvironment;
import dev.cornac.operator.kubernetes.KubernetesClients;
import dev.cornac.testkit.Identity;
import dev.cornac.testkit.Kubelet;
import dev.cornac.testkit.SimulatedPatroniFleet;
import dev.cornac.testkit.StrictApiServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * The strict test API server with our CRD and the shipped RBAC installed, the tests' administrator
 * client with Cornac's serialization, operators started as the shipped ServiceAccount, and the
 * parts of Kubernetes the server lacks that the tests play themselves: the StatefulSet controller,
 * the kubelet and Patroni's role labels.
 */
public final class OperatorHarness implements AutoCloseable {
  public static final String NS = "default";

  private final StrictApiServer api;
  private final KubernetesClient client;
  private final List<CornacOperator> operators = new ArrayList<>();
  private final Map<CornacOperator, KubernetesClient> operatorClients = new ConcurrentHashMap<>();

  /** The shipped RBAC of the kustomize install. */
  public static final String RBAC = "manifests/operator-service-account-rbac.yaml";

  /**
   * The shipped RBAC of OpenShift installs, which use the ConfigMap DCS and grant nothing on
   * Endpoints.
   */
  public static final String OPENSHIFT_RBAC =
      "manifests/operator-service-account-rbac-openshift.yaml";

  public OperatorHarness(StrictApiServer api) {
    this(api, RBAC);
  }

  /** The operator installed with one of the shipped RBAC files. */
  public OperatorHarness(StrictApiServer api, String rbacFile) {
    this(api, rbacFile, true);
  }

  private OperatorHarness(StrictApiServer api, String rbacFile, boolean install) {
    this.api = api;
    this.client = KubernetesClients.builder(api.config(Identity.ADMIN), 0, 0).build();
    if (!install) {
      return;
    }
    api.apply(repoRoot().resolve(rbacFile), NS);
    var crd =
        ManifestMapper.convert(
            CrdManifests.finished(CrdManifests.POSTGRESQL), CustomResourceDefinition.class);
    client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
  }

  /**
   * A harness with the example ConfigMap, watching the test namespace: the set-up of most operator
   * tests.
   */
  public static OperatorHarness withExampleConfig(StrictApiServer api) throws Exception {
    OperatorHarness h = new OperatorHarness(api);
    h.configMap("manifests/configmap.yaml", Map.of("watched_namespace", NS));
    return h;
  }

  /** Another process's view of the same API server: nothing is installed again. */
  public static OperatorHarness attach(StrictApiServer api) {
    return new OperatorHarness(api, RBAC, false);
  }

  public StrictApiServer api() {
    return api;
  }

  /**
   * A client as the operator's ServiceAccount, with Cornac's serialization: what the operator
   * process uses.
   */
  public KubernetesClient operatorClient() {
    return KubernetesClients.builder(api.config(StrictApiServer.OPERATOR), 0, 0).build();
  }

  /** Upstream's example manifests, in the shared folder beside the repository. */
  public static Path upstreamExamples() {
    return repoRoot().resolveSibling("shared").resolve("upstream-examples").resolve("manifests");
  }

  public static Path repoRoot() {
    String root = System.getProperty("cornac.repo.root");
    return (root != null ? Path.of(root) : Path.of("..")).toAbsolutePath().normalize();
  }

  public KubernetesClient client() {
    return client;
  }

  /**
   * The ConfigMap {@code postgres-operator} from a file of the repository, with some keys
   * overridden.
   */
  public void configMap(String file, Map<String, String> overrides) throws Exception {
    ConfigMap cm =
        ManifestMapper.yaml()
            .readValue(Files.readString(repoRoot().resolve(file)), ConfigMap.class);
    Map<String, String> data = new LinkedHashMap<>(cm.getData());
    data.putAll(overrides);
    cm.setData(data);
    cm.getMetadata().setNamespace(NS);
    client.configMaps().inNamespace(NS).resource(cm).createOr(existing -> existing.update());
  }

  public CornacOperator startOperator(boolean leaderElection) {
    return startOperator(leaderElection, null);
  }

  public CornacOperator startOperator(boolean leaderElection, MemberEndpoints endpoints) {
    return startOperator(leaderElection, endpoints, Clock.systemUTC());
  }

  public CornacOperator startOperator(
      boolean leaderElection, MemberEndpoints endpoints, Clock clock) {
    return startOperator(
        environment(Optional.of("postgres-operator"), Optional.empty(), leaderElection),
        endpoints,
        clock);
  }

  /**
   * An operator started with another environment, e.g. configured by an OperatorConfiguration
   * object.
   */
  public CornacOperator startOperator(OperatorEnvironment env) {
    return startOperator(env, null, Clock.systemUTC());
  }

  /**
   * The environment of an operator in the test namespace: {@code CONFIG_MAP_NAME} and {@code
   * POSTGRES_OPERATOR_CONFIGURATION_OBJECT} as given, short CRD waits so that start-up stays fast.
   */
  public static OperatorEnvironment environment(
      Optional<String> configMapName,
      Optional<String> operatorConfigurationObject,
      boolean leaderElection) {
    return new OperatorEnvironment(
        configMapName,
        operatorConfigurationObject,
        NS,
        Optional.empty(),
        "",
        false,
        false,
        0,
        0,
        leaderElection,
        OperatorEnvironment.DEFAULT_LEASE,
        Duration.ofMillis(100),
        Duration.ofMillis(300));
  }

  public CornacOperator startOperator(
      OperatorEnvironment env, MemberEndpoints endpoints, Clock clock) {
    KubernetesClient asOperator = operatorClient();
    CornacOperator op =
        new CornacOperator(
            asOperator,
            new CornacOperator.Options(
                env, "127.0.0.1", 0, Duration.ofSeconds(5), clock, () -> {}, endpoints));
    operatorClients.put(op, asOperator);
    op.start();
    operators.add(op);
    return op;
  }

  /**
   * Makes a change (an annotation, an edit) and waits for the whole pass it causes (of the operator
   * started last): a pass running at the time does not count, as it may have missed the change.
   * What a test that checks that "nothing happens" waits on, instead of a fixed sleep.
   */
  public void afterNextPass(String cluster, Runnable change) {
    CornacOperator op = operators.get(operators.size() - 1);
    ReconcileActivity.Key key = new ReconcileActivity.Key(NS, cluster);
    long target = op.activity().passes(key)[0] + 1;
    change.run();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> op.activity().passes(key)[1] >= target);
  }

  /** Waits until the Events the operator started last has queued are sent. */
  public void flushEvents() {
    operators.get(operators.size() - 1).flushEvents(Duration.ofSeconds(30));
  }

  /** Waits until the cluster has had a pass and none is running. */
  public void awaitQuiet(String cluster) {
    CornacOperator op = operators.get(operators.size() - 1);
    ReconcileActivity.Key key = new ReconcileActivity.Key(NS, cluster);
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              long[] passes = op.activity().passes(key);
              return passes[1] >= 1 && passes[0] == passes[1];
            });
  }

  /**
   * Waits for {@code count} whole passes of each cluster that began after this call (resyncs, say).
   */
  public void awaitPasses(List<String> clusters, int count) {
    CornacOperator op = operators.get(operators.size() - 1);
    Map<ReconcileActivity.Key, Long> targets = new LinkedHashMap<>();
    for (String cluster : clusters) {
      ReconcileActivity.Key key = new ReconcileActivity.Key(NS, cluster);
      targets.put(key, op.activity().passes(key)[0] + count);
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                targets.entrySet().stream()
                    .allMatch(t -> op.activity().passes(t.getKey())[1] >= t.getValue()));
  }

  /**
   * The superuser secret as Spilo would have left it: the password a real Patroni member was
   * bootstrapped with.
   */
  public void superuserSecret(String cluster, String password) {
    Base64.Encoder b64 = Base64.getEncoder();
    client
        .secrets()
        .inNamespace(NS)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("postgres." + cluster + ".credentials.postgresql.acid.zalan.do")
                .withLabels(Map.of("application", "spilo", "cluster-name", cluster, "team", "acid"))
                .endMetadata()
                .withType("Opaque")
                .withData(
                    Map.of(
                        "username", b64.encodeToString("postgres".getBytes(StandardCharsets.UTF_8)),
                        "password", b64.encodeToString(password.getBytes(StandardCharsets.UTF_8))))
                .build())
        .create();
  }

  public void stop(CornacOperator op) {
    op.close();
    operators.remove(op);
    KubernetesClient asOperator = operatorClients.remove(op);
    if (asOperator != null) {
      asOperator.close();
    }
  }

  public Postgresql create(String yaml) throws Exception {
    Postgresql pg = ManifestMapper.yaml().readValue(yaml, Postgresql.class);
    if (pg.getMetadata().getNamespace() == null) {
      pg.getMetadata().setNamespace(NS);
    }
    return client
        .resources(Postgresql.class)
        .inNamespace(pg.getMetadata().getNamespace())
        .resource(pg)
        .create();
  }

  /**
   * A JSON merge patch of one annotation: no resourceVersion, so it never conflicts with the
   * operator's writes.
   */
  public void annotate(String name, String key, String value) {
    client
        .resources(Postgresql.class)
        .inNamespace(NS)
        .withName(name)
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"annotations\":{\"" + key + "\":\"" + value + "\"}}}");
  }

  /**
   * Edits a spec like a user would, retrying when the operator's status write got there first (HTTP
   * 409).
   */
  public void editSpec(String name, Consumer<PostgresqlSpec> edit) {
    for (int attempt = 0; ; attempt++) {
      Postgresql pg = get(name);
      edit.accept(pg.getSpec());
      try {
        client.resource(pg).update();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= 10) {
          throw e;
        }
      }
    }
  }

  public Postgresql get(String name) {
    return client.resources(Postgresql.class).inNamespace(NS).withName(name).get();
  }

  public String status(String name) {
    Postgresql pg = get(name);
    return pg == null || pg.getStatus() == null ? null : pg.getStatus().postgresClusterStatus;
  }

  public void awaitStatus(String name, String status) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> status.equals(status(name)));
  }

  /**
   * {@code count} minimal clusters named {@code prefix0}, {@code prefix1}…, created, given their
   * pods and awaited until every one reports Running: the fleet the scale checks start from.
   */
  public List<String> runningMinimalClusters(String prefix, int count) throws Exception {
    List<String> names = IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
    for (String name : names) {
      create(ClusterLifecycleTest.MINIMAL.replace("acid-minimal-cluster", name));
    }
    for (String name : names) {
      runPods(name);
    }
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> assertThat(names).allSatisfy(n -> assertThat(status(n)).isEqualTo("Running")));
    return names;
  }

  /**
   * Plays the StatefulSet controller and Patroni: one pod per replica from the StatefulSet's
   * template, ordinal 0 labelled master and the others replica; pods beyond the replica count are
   * removed.
   */
  public List<Pod> runPods(String cluster) {
    StatefulSet sts =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> client.apps().statefulSets().inNamespace(NS).withName(cluster).get(),
                s -> s != null);
    int replicas = sts.getSpec().getReplicas();
    List<Pod> pods = new ArrayList<>();
    for (int i = 0; i < replicas; i++) {
      String name = cluster + "-" + i;
      Pod existing = client.pods().inNamespace(NS).withName(name).get();
      if (existing != null) {
        pods.add(existing);
        continue;
      }
      Map<String, String> labels =
          new LinkedHashMap<>(sts.getSpec().getTemplate().getMetadata().getLabels());
      labels.put("spilo-role", i == 0 ? "master" : "replica");
      var template = sts.getSpec().getTemplate().getSpec();
      Pod pod =
          new PodBuilder()
              .withNewMetadata()
              .withName(name)
              .withNamespace(NS)
              .withLabels(labels)
              .endMetadata()
              .withNewSpec()
              .withContainers(
                  new ContainerBuilder()
                      .withName("postgres")
                      .withImage(template.getContainers().get(0).getImage())
                      .build())
              .endSpec()
              .build();
      pods.add(Kubelet.run(client, pod, null));
    }
    for (Pod extra :
        client.pods().inNamespace(NS).withLabel("cluster-name", cluster).list().getItems()) {
      int ordinal = Integer.parseInt(extra.getMetadata().getName().substring(cluster.length() + 1));
      if (ordinal >= replicas) {
        client.resource(extra).delete();
      }
    }
    return pods;
  }

  /** Drops the requests recorded so far. */
  public void forgetRequests() throws InterruptedException {
    while (api.mockServer().takeRequest(1, TimeUnit.MILLISECONDS) != null) {
      // drained
    }
  }

  /** Requests recorded since the last {@link #forgetRequests()}, as "METHOD path". */
  public List<String> requests() throws InterruptedException {
    List<String> out = new ArrayList<>();
    RecordedRequest r;
    while ((r = api.mockServer().takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
      out.add(r.getMethod() + " " + r.getPath());
    }
    return out;
  }

  public static List<String> writes(List<String> requests) {
    return requests.stream().filter(r -> !r.startsWith("GET ")).toList();
  }

  @Override
  public void close() {
    new ArrayList<>(operators).forEach(this::stop);
    client.close();
  }

  /**
   * Members as the simulated fleet serves them: Patroni by pod address; no PostgreSQL (database
   * access off).
   */
  public static MemberEndpoints fleetEndpoints(SimulatedPatroniFleet fleet) {
    return new MemberEndpoints() {
      @Override
      public PatroniClient patroni(Member member) {
        return PatroniClient.of(member.ip(), fleet.port());
      }

      @Override
      public String jdbcUrl(Member member, String database) {
        throw new UnsupportedOperationException(
            "enable_database_access is off with simulated pods");
      }
    };
  }
}
