package dev.cornac.operator;

import static dev.cornac.operator.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cornac.testkit.LocalPatroniCluster;
import dev.cornac.testkit.StrictApiServer;
import dev.cornac.testkit.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kubernetes connection pooler in front of a real PostgreSQL: the operator creates the pooler
 * role and the lookup function in every database; a real PgBouncer (Debian), configured from
 * nothing but the pooler Deployment's environment and secret as the pooler image's entrypoint does,
 * lets a manifest user in through that function with the pool settings the manifest asked for.
 * Turning the pooler off removes its objects and keeps the data.
 */
@WithStrictApiServer
class PoolerOperatorTest {
  StrictApiServer api;
  OperatorHarness k8s;
  LocalPatroniCluster patroni;
  PatroniPods pods;
  RealPgBouncer pgbouncer;
  @TempDir Path dir;

  static final String CLUSTER = "acid-pooled";
  static final String MANIFEST =
      """
      apiVersion: acid.zalan.do/v1
      kind: postgresql
      metadata: {name: acid-pooled}
      spec:
        teamId: acid
        numberOfInstances: 1
        volume: {size: 1Gi}
        postgresql: {version: "15"}
        users: {foo_user: []}
        databases: {foo: foo_user}
        enableConnectionPooler: true
        connectionPooler: {mode: transaction, numberOfInstances: 2, maxDBConnections: 20}
      """;

  @AfterEach
  void tearDown() throws Exception {
    Closeables.closeAll(pgbouncer, k8s, pods, patroni);
  }

  private String secretField(String secret, String key) {
    return new String(
        Base64.getDecoder()
            .decode(
                k8s.client().secrets().inNamespace(NS).withName(secret).get().getData().get(key)),
        StandardCharsets.UTF_8);
  }

  /**
   * The container's environment with its secret references resolved, as the kubelet hands it over.
   */
  private Map<String, String> environment(Deployment d) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar e : d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
      env.put(
          e.getName(),
          e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null
              ? secretField(
                  e.getValueFrom().getSecretKeyRef().getName(),
                  e.getValueFrom().getSecretKeyRef().getKey())
              : e.getValue());
    }
    return env;
  }

  @Test
  void aRealPgBouncerLetsManifestUsersInThroughTheLookupFunction() throws Exception {
    patroni = LocalPatroniCluster.start("cornac-operator-pooler", List.of(CLUSTER + "-0"));
    LocalPatroniCluster.Member member = patroni.members().get(0);
    k8s = OperatorHarness.withExampleConfig(api);
    k8s.superuserSecret(CLUSTER, LocalPatroniCluster.SUPERUSER_PASSWORD);
    pods = new PatroniPods(k8s.client(), CLUSTER, patroni);
    k8s.startOperator(false, pods.endpoints());
    k8s.create(MANIFEST);
    pods.start();
    k8s.awaitStatus(CLUSTER, "Running");

    // The operator's SQL: the pooler role (not a superuser) and the lookup function in every
    // database.
    await()
        .atMost(Duration.ofSeconds(40))
        .untilAsserted(
            () -> {
              for (String db : List.of("postgres", "foo")) {
                assertThat(
                        patroni.queryOne(
                            member,
                            db,
                            "select count(*) from pg_proc p join pg_namespace n "
                                + "on n.oid = p.pronamespace where n.nspname = 'pooler' and p.proname = 'user_lookup' and p.prosecdef"))
                    .as("lookup function in " + db)
                    .isEqualTo("1");
              }
            });
    assertThat(
            patroni.queryOne(
                member,
                "postgres",
                "select rolsuper::text || rolcanlogin::text from pg_roles "
                    + "where rolname = 'pooler'"))
        .isEqualTo("falsetrue");

    Deployment deployment =
        k8s.client().apps().deployments().inNamespace(NS).withName(CLUSTER + "-pooler").get();
    Map<String, String> env = environment(deployment);
    assertThat(env)
        .containsEntry("CONNECTION_POOLER_MODE", "transaction")
        .containsEntry("CONNECTION_POOLER_MAX_DB_CONN", "10")
        .containsEntry("CONNECTION_POOLER_DEFAULT_SIZE", "5")
        .containsEntry("PGUSER", "pooler")
        .containsEntry("PGSCHEMA", "pooler");

    // The pooler image's part: PgBouncer from that environment (PGHOST is the master Service: the
    // member here).
    Files.writeString(
        dir.resolve("userlist.txt"),
        "\"" + env.get("PGUSER") + "\" \"" + env.get("PGPASSWORD") + "\"\n");
    pgbouncer =
        RealPgBouncer.start(
            dir,
            "* = host=127.0.0.1 port=" + member.pgPort(),
            """
        auth_type = scram-sha-256
        auth_file = %s
        auth_user = %s
        auth_query = SELECT * FROM %s.user_lookup($1)
        pool_mode = %s
        default_pool_size = %s
        min_pool_size = %s
        reserve_pool_size = %s
        max_db_connections = %s
        max_client_conn = 100
        admin_users = %s
        """
                .formatted(
                    dir.resolve("userlist.txt"),
                    env.get("PGUSER"),
                    env.get("PGSCHEMA"),
                    env.get("CONNECTION_POOLER_MODE"),
                    env.get("CONNECTION_POOLER_DEFAULT_SIZE"),
                    env.get("CONNECTION_POOLER_MIN_SIZE"),
                    env.get("CONNECTION_POOLER_RESERVE_SIZE"),
                    env.get("CONNECTION_POOLER_MAX_DB_CONN"),
                    env.get("PGUSER")));
    int port = pgbouncer.port();
    String fooPassword =
        secretField("foo-user." + CLUSTER + ".credentials.postgresql.acid.zalan.do", "password");
    String url = "jdbc:postgresql://127.0.0.1:" + port + "/foo?preferQueryMode=simple";
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              try (Connection c = DriverManager.getConnection(url, "foo_user", fooPassword);
                  ResultSet rs =
                      c.createStatement().executeQuery("select current_user, current_database()")) {
                rs.next();
                assertThat(rs.getString(1) + "@" + rs.getString(2)).isEqualTo("foo_user@foo");
              }
            });
    assertThat(Files.readString(dir.resolve("userlist.txt")))
        .as("foo_user came through the lookup function")
        .doesNotContain("foo_user");
    try (Connection wrong = DriverManager.getConnection(url, "foo_user", "not-the-password")) {
      throw new AssertionError("a wrong password got in");
    } catch (java.sql.SQLException expected) {
      assertThat(expected.getMessage()).contains("authentication failed");
    }

    // Off: Deployment, Service and the pooler's secret go; the role, the function and the data
    // stay.
    k8s.editSpec(CLUSTER, s -> s.enableConnectionPooler = false);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(
                      k8s.client()
                          .apps()
                          .deployments()
                          .inNamespace(NS)
                          .withName(CLUSTER + "-pooler")
                          .get())
                  .isNull();
              assertThat(
                      k8s.client().services().inNamespace(NS).withName(CLUSTER + "-pooler").get())
                  .isNull();
            });
    assertThat(
            patroni.queryOne(
                member, "foo", "select count(*) from pg_proc where proname = 'user_lookup'"))
        .isEqualTo("1");
    assertThat(
            patroni.queryOne(
                member, "postgres", "select count(*) from pg_roles where rolname = 'pooler'"))
        .isEqualTo("1");
  }
}
