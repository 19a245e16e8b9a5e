package dev.cornac.operator;

import static dev.cornac.operator.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cornac.api.config.OperatorConfigReader;
import dev.cornac.api.crd.CrdManifests;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.api.model.OperatorConfiguration;
import dev.cornac.api.model.Postgresql;
import dev.cornac.api.model.PostgresqlStatus;
import dev.cornac.generators.Cluster;
import dev.cornac.generators.DesiredStateGenerator;
import dev.cornac.generators.plan.RollingUpdateMark;
import dev.cornac.generators.rbac.PodServiceAccountGenerator;
import dev.cornac.generators.secrets.Credentials;
import dev.cornac.testkit.StrictApiServer;
import dev.cornac.testkit.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    var config =
        OperatorConfigReader.fromConfigMap(
            k8s.client()
                .configMaps()
                .inNamespace(NS)
                .withName("postgres-operator")
                .get()
                .getData());
    for (HasMetadata object :
        DesiredStateGenerator.generate(new Cluster(pg, config), Credentials.random())
            .inCreationOrder()) {
      k8s.client().resource(object).create();
    }
    k8s.runPods("acid-minimal-cluster");
    k8s.forgetRequests();

    k8s.startOperator(false);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> k8s.get("acid-minimal-cluster").getStatus().conditions != null);
    k8s.awaitQuiet("acid-minimal-cluster");
    List<String> writes = OperatorHarness.writes(k8s.requests());
    assertThat(writes)
        .allMatch(
            w ->
                w.startsWith(
                    "PATCH /apis/acid.zalan.do/v1/namespaces/default/postgresqls/"
                        + "acid-minimal-cluster/status"),
            "only status writes")
        .isNotEmpty();
    assertThat(k8s.status("acid-minimal-cluster")).isEqualTo("Running");
    assertThat(k8s.client().pods().inNamespace(NS).list().getItems())
        .noneMatch(RollingUpdateMark::isMarked);
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
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () ->
                assertThat(names)
                    .allSatisfy(n -> assertThat(k8s.status(n)).as(n).isEqualTo("Running")));
    assertThat(k8s.client().apps().statefulSets().inNamespace(NS).list().getItems()).hasSize(50);
  }

  @Test
  void registersThePostgresqlCrdAtStartUp() throws Exception {
    k8s.client()
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName("postgresqls.acid.zalan.do")
        .delete();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                k8s.client()
                        .apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .withName("postgresqls.acid.zalan.do")
                        .get()
                    == null);
    k8s.configMap(
        "manifests/configmap.yaml",
        Map.of("watched_namespace", NS, "crd_categories", "all,databases"));
    k8s.startOperator(false);
    var crd =
        k8s.client()
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .withName("postgresqls.acid.zalan.do")
            .get();
    assertThat(crd.getSpec().getNames().getCategories()).containsExactly("all", "databases");
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("pg");
  }

  @Test
  void anExistingPostgresqlCrdIsBroughtUpToDateAtStartUp() throws Exception {
    var crds = k8s.client().apiextensions().v1().customResourceDefinitions();
    String uidBefore = crds.withName(CrdManifests.POSTGRESQL).get().getMetadata().getUid();
    // The harness installed the shipped CRD; another category in the configuration makes its spec
    // differ.
    k8s.configMap(
        "manifests/configmap.yaml",
        Map.of("watched_namespace", NS, "crd_categories", "all,databases"));
    k8s.startOperator(false);
    var crd = crds.withName(CrdManifests.POSTGRESQL).get();
    assertThat(crd.getSpec().getNames().getCategories()).containsExactly("all", "databases");
    assertThat(crd.getMetadata().getUid())
        .as("updated in place, not recreated")
        .isEqualTo(uidBefore);
    // Clusters are still served and reconciled under the updated CRD.
    k8s.create(ClusterLifecycleTest.MINIMAL);
    k8s.awaitStatus("acid-minimal-cluster", "Creating");
  }

  @Test
  void anOperatorConfigurationObjectConfiguresTheOperator() throws Exception {
    k8s.client()
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .resource(
            ManifestMapper.convert(
                CrdManifests.finished(CrdManifests.OPERATOR_CONFIGURATION),
                CustomResourceDefinition.class))
        .create();
    OperatorConfiguration shipped =
        ManifestMapper.yaml()
            .readValue(
                Files.readString(
                    OperatorHarness.repoRoot()
                        .resolve("manifests/postgresql-operator-default-configuration.yaml")),
                OperatorConfiguration.class);
    shipped.getMetadata().setNamespace(NS);
    // An image neither the example ConfigMap nor the code defaults name: the StatefulSet can only
    // get it from this
    // object. The shipped object names no watched namespace, so the operator watches its own (the
    // test namespace).
    String image = "registry.example.com/zalando/spilo-18:from-operatorconfiguration";
    shipped.getConfiguration().put("docker_image", image);
    k8s.client().resource(shipped).create();

    k8s.startOperator(
        OperatorHarness.environment(
            Optional.empty(), Optional.of(shipped.getMetadata().getName()), false));
    k8s.create(ClusterLifecycleTest.MINIMAL);
    StatefulSet sts =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    k8s.client()
                        .apps()
                        .statefulSets()
                        .inNamespace(NS)
                        .withName("acid-minimal-cluster")
                        .get(),
                s -> s != null);
    assertThat(sts.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo(image);
    k8s.runPods("acid-minimal-cluster");
    k8s.awaitStatus("acid-minimal-cluster", "Running");
  }

  @Test
  void thePodServiceAccountLeftByTheUpstreamOperatorGetsTheIrsaRole() throws Exception {
    String role = "arn:aws:iam::123456789012:role/postgres-backups";
    // The Zalando operator created the pods' ServiceAccount without the annotation; it is never
    // recreated.
    ServiceAccount left =
        k8s.client()
            .serviceAccounts()
            .inNamespace(NS)
            .resource(
                new ServiceAccountBuilder()
                    .withNewMetadata()
                    .withName("postgres-pod")
                    .withNamespace(NS)
                    .addToAnnotations("team", "acid")
                    .endMetadata()
                    .build())
            .create();
    k8s.configMap(
        "manifests/configmap.yaml", Map.of("watched_namespace", NS, "irsa_role_arn", role));
    k8s.startOperator(false);
    k8s.create(ClusterLifecycleTest.MINIMAL);
    ServiceAccount annotated =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> k8s.client().serviceAccounts().inNamespace(NS).withName("postgres-pod").get(),
                sa ->
                    sa.getMetadata().getAnnotations() != null
                        && role.equals(
                            sa.getMetadata()
                                .getAnnotations()
                                .get(PodServiceAccountGenerator.IRSA_ANNOTATION)));
    assertThat(annotated.getMetadata().getUid())
        .as("the same ServiceAccount")
        .isEqualTo(left.getMetadata().getUid());
    assertThat(annotated.getMetadata().getAnnotations())
        .as("nobody else's annotation is lost")
        .containsEntry("team", "acid");
  }

  @Test
  void clustersOfAnotherControllerAreLeftAlone() throws Exception {
    k8s.startOperator(false);
    k8s.create(
        ClusterLifecycleTest.MINIMAL.replace(
            "metadata: {name: acid-minimal-cluster}",
            "metadata: {name: acid-other, annotations: {acid.zalan.do/controller: second-operator}}"));
    k8s.create(ClusterLifecycleTest.MINIMAL);
    k8s.awaitStatus("acid-minimal-cluster", "Creating");
    // Events arrive in order: once the cluster created after it has been reconciled, acid-other's
    // were seen.
    k8s.awaitQuiet("acid-minimal-cluster");
    assertThat(k8s.status("acid-other")).isNull();
    assertThat(k8s.client().apps().statefulSets().inNamespace(NS).withName("acid-other").get())
        .isNull();
  }

  @Test
  void aSyncAnnotationTriggersAnImmediateSync() throws Exception {
    k8s.startOperator(false);
    k8s.create(ClusterLifecycleTest.MINIMAL);
    k8s.runPods("acid-minimal-cluster");
    k8s.awaitStatus("acid-minimal-cluster", "Running");
    k8s.client().services().inNamespace(NS).withName("acid-minimal-cluster-repl").delete();
    k8s.annotate("acid-minimal-cluster", "cornac.dev/sync", "now");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                k8s.client().services().inNamespace(NS).withName("acid-minimal-cluster-repl").get()
                    != null);
  }

  @Test
  void ownerReferencesWhenEnabledAndLeaderElectionWithHealthEndpoints() throws Exception {
    k8s.configMap(
        "manifests/configmap.yaml",
        Map.of("watched_namespace", NS, "enable_owner_references", "true"));
    // JOSDK checks its Lease rights with a SelfSubjectRulesReview, which the CRUD mock cannot
    // answer.
    api.mockServer()
        .expect()
        .post()
        .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(
            201,
            new io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder()
                .withNewMetadata()
                .endMetadata()
                .withNewStatus()
                .withIncomplete(false)
                .addNewResourceRule()
                .withApiGroups("coordination.k8s.io")
                .withResources("leases")
                .withVerbs("*")
                .endResourceRule()
                .endStatus()
                .build())
        .always();
    CornacOperator op = k8s.startOperator(true);
    await().atMost(Duration.ofSeconds(20)).until(op::isLeader);
    assertThat(k8s.client().leases().inNamespace(NS).withName("cornac-postgres-operator").get())
        .isNotNull();
    Postgresql pg = k8s.create(ClusterLifecycleTest.MINIMAL);
    var sts =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    k8s.client()
                        .apps()
                        .statefulSets()
                        .inNamespace(NS)
                        .withName("acid-minimal-cluster")
                        .get(),
                s -> s != null);
    assertThat(sts.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getUid()).isEqualTo(pg.getMetadata().getUid());
              assertThat(r.getController()).isTrue();
            });
    HttpClient http = HttpClient.newHttpClient();
    var ready =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + op.httpPort() + "/readyz/"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).isEqualTo("\"OK\"");
    var live =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + op.httpPort() + "/healthz"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(live.statusCode()).isEqualTo(200);
  }
}
