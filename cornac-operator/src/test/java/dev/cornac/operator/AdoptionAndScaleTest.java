package dev.cornac.operator;

import static dev.cornac.operator.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cornac.api.config.OperatorConfigReader;
import dev.cornac.api.model.Postgresql;
import dev.cornac.api.model.PostgresqlStatus;
import dev.cornac.generators.Cluster;
import dev.cornac.generators.DesiredStateGenerator;
import dev.cornac.generators.secrets.Credentials;
import dev.cornac.operator.reconcile.steps.StatefulSetSync;
import dev.cornac.testkit.StrictApiServer;
import dev.cornac.testkit.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@WithStrictApiServer
class AdoptionAndScaleTest {
  StrictApiServer api;
  OperatorHarness k8s;

  @BeforeEach
  void setUp() throws Exception {
    k8s = OperatorHarness.withExampleConfig(api);
  }

  @AfterEach
  void tearDown() {
    k8s.close();
  }

  @Test
  void adoptsAClusterLeftByTheUpstreamOperatorWritingOnlyItsStatus() throws Exception {
    Postgresql pg = k8s.create(ClusterLifecycleTest.MINIMAL);
    pg.setStatus(new PostgresqlStatus("Running"));
    pg = k8s.client().resource(pg).updateStatus();
    var config = OperatorConfigReader.fromConfigMap(k8s.client().configMaps().inNamespace(NS)
        .withName("postgres-operator").get().getData());
    for (HasMetadata object : DesiredStateGenerator.generate(new Cluster(pg, config), Credentials.random())
        .inCreationOrder()) {
      k8s.client().resource(object).create();
    }
    k8s.runPods("acid-minimal-cluster");
    k8s.forgetRequests();

    k8s.startOperator(false);
    await().atMost(Duration.ofSeconds(20)).until(() -> k8s.get("acid-minimal-cluster").getStatus().conditions != null);
    Thread.sleep(2000);
    List<String> writes = OperatorHarness.writes(k8s.requests());
    assertThat(writes).allMatch(w -> w.startsWith("PATCH /apis/acid.zalan.do/v1/namespaces/default/postgresqls/"
        + "acid-minimal-cluster/status"), "only status writes").isNotEmpty();
    assertThat(k8s.status("acid-minimal-cluster")).isEqualTo("Running");
    assertThat(k8s.client().pods().inNamespace(NS).list().getItems())
        .noneMatch(StatefulSetSync::isMarked);
  }

  @Test
  void fiftyClustersAtOnceAllReachRunning() throws Exception {
    k8s.startOperator(false);
    List<String> names = IntStream.range(0, 50).mapToObj(i -> "acid-c" + i).toList();
    for (String name : names) {
      k8s.create(ClusterLifecycleTest.MINIMAL.replace("acid-minimal-cluster", name));
    }
    for (String name : names) {
      k8s.runPods(name);
    }
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
        assertThat(names).allSatisfy(n -> assertThat(k8s.status(n)).as(n).isEqualTo("Running")));
    assertThat(k8s.client().apps().statefulSets().inNamespace(NS).list().getItems()).hasSize(50);
  }

  @Test
  void registersThePostgresqlCrdAtStartUp() throws Exception {
    k8s.client().apiextensions().v1().customResourceDefinitions().withName("postgresqls.acid.zalan.do").delete();
    await().atMost(Duration.ofSeconds(5)).until(() -> k8s.client().apiextensions().v1().customResourceDefinitions()
        .withName("postgresqls.acid.zalan.do").get() == null);
    k8s.configMap("manifests/configmap.yaml", Map.of("watched_namespace", NS, "crd_categories", "all,databases"));
    k8s.startOperator(false);
    var crd = k8s.client().apiextensions().v1().customResourceDefinitions().withName("postgresqls.acid.zalan.do").get();
    assertThat(crd.getSpec().getNames().getCategories()).containsExactly("all", "databases");
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("pg");
  }

  @Test
  void clustersOfAnotherControllerAreLeftAlone() throws Exception {
    k8s.startOperator(false);
    k8s.create(ClusterLifecycleTest.MINIMAL.replace("metadata: {name: acid-minimal-cluster}",
        "metadata: {name: acid-other, annotations: {acid.zalan.do/controller: second-operator}}"));
    k8s.create(ClusterLifecycleTest.MINIMAL);
    k8s.awaitStatus("acid-minimal-cluster", "Creating");
    Thread.sleep(1000);
    assertThat(k8s.status("acid-other")).isNull();
    assertThat(k8s.client().apps().statefulSets().inNamespace(NS).withName("acid-other").get()).isNull();
  }

  @Test
  void aSyncAnnotationTriggersAnImmediateSync() throws Exception {
    k8s.startOperator(false);
    k8s.create(ClusterLifecycleTest.MINIMAL);
    k8s.runPods("acid-minimal-cluster");
    k8s.awaitStatus("acid-minimal-cluster", "Running");
    k8s.client().services().inNamespace(NS).withName("acid-minimal-cluster-repl").delete();
    k8s.annotate("acid-minimal-cluster", "cornac.dev/sync", "now");
    await().atMost(Duration.ofSeconds(10)).until(() ->
        k8s.client().services().inNamespace(NS).withName("acid-minimal-cluster-repl").get() != null);
  }

  @Test
  void ownerReferencesWhenEnabledAndLeaderElectionWithHealthEndpoints() throws Exception {
    k8s.configMap("manifests/configmap.yaml", Map.of("watched_namespace", NS, "enable_owner_references", "true"));
    // JOSDK checks its Lease rights with a SelfSubjectRulesReview, which the CRUD mock cannot answer.
    api.mockServer().expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(201, new io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder()
            .withNewMetadata().endMetadata().withNewStatus().withIncomplete(false).addNewResourceRule()
            .withApiGroups("coordination.k8s.io").withResources("leases").withVerbs("*").endResourceRule()
            .endStatus().build()).always();
    CornacOperator op = k8s.startOperator(true);
    await().atMost(Duration.ofSeconds(20)).until(op::isLeader);
    assertThat(k8s.client().leases().inNamespace(NS).withName("cornac-postgres-operator").get()).isNotNull();
    Postgresql pg = k8s.create(ClusterLifecycleTest.MINIMAL);
    var sts = await().atMost(Duration.ofSeconds(20)).until(() -> k8s.client().apps().statefulSets().inNamespace(NS)
        .withName("acid-minimal-cluster").get(), s -> s != null);
    assertThat(sts.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> {
      assertThat(r.getUid()).isEqualTo(pg.getMetadata().getUid());
      assertThat(r.getController()).isTrue();
    });
    HttpClient http = HttpClient.newHttpClient();
    var ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + op.httpPort() + "/readyz/")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).isEqualTo("\"OK\"");
    var live = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + op.httpPort() + "/healthz")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(live.statusCode()).isEqualTo(200);
  }
}
