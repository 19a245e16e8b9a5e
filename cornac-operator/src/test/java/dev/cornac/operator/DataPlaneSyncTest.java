package dev.cornac.operator;

import static dev.cornac.operator.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cornac.dataplane.MemberEndpoints;
import dev.cornac.dataplane.patroni.PatroniClient;
import dev.cornac.testkit.Kubelet;
import dev.cornac.testkit.LocalPatroniCluster;
import dev.cornac.testkit.StrictApiServer;
import dev.cornac.testkit.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The operator on the mock API server driving a real Patroni member: the pod resolves to a local
 * Patroni and PostgreSQL, the manifest's Patroni settings and its roles and databases reach them,
 * and a resync changes nothing.
 */
@WithStrictApiServer
class DataPlaneSyncTest {
  StrictApiServer api;
  OperatorHarness k8s;
  LocalPatroniCluster patroni;

  static final String CLUSTER = "acid-db-cluster";
  static final String MANIFEST =
      """
      apiVersion: acid.zalan.do/v1
      kind: postgresql
      metadata: {name: acid-db-cluster}
      spec:
        teamId: acid
        numberOfInstances: 1
        volume: {size: 1Gi}
        postgresql: {version: "15", parameters: {work_mem: 12MB}}
        patroni: {ttl: 14}
        users: {zalando: [superuser, createdb], foo_user: []}
        databases: {foo: zalando}
        preparedDatabases: {bar: {defaultUsers: true}}
      """;

  @AfterEach
  void tearDown() throws Exception {
    Closeables.closeAll(k8s, patroni);
  }

  @Test
  void rolesDatabasesAndPatroniSettingsReachTheRealClusterAndAResyncChangesNothing()
      throws Exception {
    patroni = LocalPatroniCluster.start("cornac-operator-dataplane", 1);
    LocalPatroniCluster.Member member = patroni.members().get(0);
    k8s = OperatorHarness.withExampleConfig(api);
    k8s.superuserSecret(CLUSTER, LocalPatroniCluster.SUPERUSER_PASSWORD);
    MemberEndpoints local =
        new MemberEndpoints() {
          @Override
          public PatroniClient patroni(Member m) {
            return member.client(PatroniClient::of);
          }

          @Override
          public String jdbcUrl(Member m, String database) {
            return "jdbc:postgresql://127.0.0.1:" + member.pgPort() + "/" + database;
          }
        };
    var operator = k8s.startOperator(false, local);
    k8s.create(MANIFEST);
    StatefulSet sts =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> k8s.client().apps().statefulSets().inNamespace(NS).withName(CLUSTER).get(),
                s -> s != null);
    Kubelet.run(
        k8s.client(),
        new PodBuilder()
            .withNewMetadata()
            .withName(CLUSTER + "-0")
            .withNamespace(NS)
            .withLabels(
                Map.of(
                    "application",
                    "spilo",
                    "cluster-name",
                    CLUSTER,
                    "team",
                    "acid",
                    "spilo-role",
                    "master"))
            .endMetadata()
            .withNewSpec()
            .withContainers(
                new ContainerBuilder()
                    .withName("postgres")
                    .withImage(
                        sts.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                    .build())
            .endSpec()
            .build(),
        "127.0.0.1");
    k8s.awaitStatus(CLUSTER, "Running");

    await()
        .atMost(Duration.ofSeconds(40))
        .untilAsserted(
            () -> {
              assertThat(
                      patroni.queryOne(
                          member,
                          "postgres",
                          "select pg_get_userbyid(datdba) from pg_database where datname = 'foo'"))
                  .isEqualTo("zalando");
              assertThat(
                      patroni.queryOne(
                          member,
                          "postgres",
                          "select pg_get_userbyid(datdba) from pg_database where datname = 'bar'"))
                  .isEqualTo("bar_owner");
              assertThat(
                      patroni.queryOne(
                          member,
                          "postgres",
                          "select rolcanlogin::text from pg_roles where rolname = 'bar_writer_user'"))
                  .isEqualTo("true");
            });
    assertThat(member.client(PatroniClient::of).config().path("ttl").asInt()).isEqualTo(14);
    assertThat(
            member
                .client(PatroniClient::of)
                .config()
                .path("postgresql")
                .path("parameters")
                .path("work_mem")
                .asText())
        .isEqualTo("12MB");
    try (java.sql.Connection asUser =
        java.sql.DriverManager.getConnection(
            "jdbc:postgresql://127.0.0.1:" + member.pgPort() + "/foo",
            "foo_user",
            password("foo-user." + CLUSTER + ".credentials.postgresql.acid.zalan.do"))) {
      assertThat(asUser.isValid(2)).as("foo_user logs in with the password of its secret").isTrue();
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> !syncEvents().isEmpty());
    int before = syncEvents().size();
    k8s.afterNextPass(CLUSTER, () -> k8s.annotate(CLUSTER, "cornac.dev/sync", "again"));
    k8s.flushEvents();
    assertThat(syncEvents())
        .as("a resync of an unchanged cluster issues no statement and no patch")
        .hasSize(before);

    // A setting that needs a restart: the member restarts once the change has settled, and no pass
    // waits for it (the
    // pod is marked for a rolling update too, as the setting is in its environment; no kubelet
    // brings it back here).
    AtomicLong longestPass = new AtomicLong();
    operator.activity().onPassEnded(nanos -> longestPass.accumulateAndGet(nanos, Math::max));
    k8s.editSpec(
        CLUSTER,
        spec -> spec.postgresql.parameters = Map.of("work_mem", "12MB", "max_connections", "150"));
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(patroni.queryOne(member, "postgres", "show max_connections"))
                    .isEqualTo("150"));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                syncEvents().stream()
                    .anyMatch(e -> e.getMessage().startsWith("restarted PostgreSQL at ")));
    assertThat(member.client(PatroniClient::of).patroni().pendingRestart()).isFalse();
    assertThat(Duration.ofNanos(longestPass.get()))
        .as("the restart is a later pass, not a wait on the worker")
        .isLessThan(Duration.ofSeconds(5));
  }

  private List<Event> syncEvents() {
    return k8s.client().v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> "Sync".equals(e.getReason()))
        .toList();
  }

  private String password(String secret) {
    return new String(
        Base64.getDecoder()
            .decode(
                k8s.client()
                    .secrets()
                    .inNamespace(NS)
                    .withName(secret)
                    .get()
                    .getData()
                    .get("password")),
        StandardCharsets.UTF_8);
  }
}
