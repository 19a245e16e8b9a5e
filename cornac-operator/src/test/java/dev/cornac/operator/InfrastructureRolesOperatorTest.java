package dev.cornac.operator;

import static dev.cornac.operator.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cornac.api.model.ManifestMapper;
import dev.cornac.testkit.LocalPatroniCluster;
import dev.cornac.testkit.StrictApiServer;
import dev.cornac.testkit.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Upstream's example infrastructure roles, configured both ways, reach a real PostgreSQL behind the
 * mock API server: login roles with their passwords, flags and parameters, and a credential secret
 * in the cluster's namespace.
 */
@WithStrictApiServer
class InfrastructureRolesOperatorTest {
  StrictApiServer api;
  OperatorHarness k8s;
  LocalPatroniCluster patroni;

  static final String CLUSTER = "acid-infra";

  @AfterEach
  void tearDown() throws Exception {
    Closeables.closeAll(k8s, patroni);
  }

  private void install(
      String file, Class<? extends io.fabric8.kubernetes.api.model.HasMetadata> type)
      throws Exception {
    var object =
        ManifestMapper.yaml()
            .readValue(Files.readString(OperatorHarness.upstreamExamples().resolve(file)), type);
    object.getMetadata().setNamespace(NS);
    k8s.client().resource(object).create();
  }

  @Test
  void infrastructureRolesAreCreatedInEveryClusterWithTheirSecret() throws Exception {
    patroni = LocalPatroniCluster.start("cornac-operator-infra", List.of(CLUSTER + "-0"));
    LocalPatroniCluster.Member member = patroni.members().get(0);
    k8s = new OperatorHarness(api);
    install("infrastructure-roles.yaml", Secret.class);
    install("infrastructure-roles-configmap.yaml", ConfigMap.class);
    install("infrastructure-roles-new.yaml", Secret.class);
    k8s.configMap(
        "manifests/configmap.yaml",
        Map.of(
            "watched_namespace",
            NS,
            "infrastructure_roles_secret_name",
            "postgresql-infrastructure-roles",
            "infrastructure_roles_secrets",
            "secretname:postgresql-infrastructure-roles-new,userkey:user,"
                + "passwordkey:password"));
    k8s.superuserSecret(CLUSTER, LocalPatroniCluster.SUPERUSER_PASSWORD);
    try (PatroniPods pods = new PatroniPods(k8s.client(), CLUSTER, patroni)) {
      k8s.startOperator(false, pods.endpoints());
      k8s.create(
          """
          apiVersion: acid.zalan.do/v1
          kind: postgresql
          metadata: {name: acid-infra}
          spec: {teamId: acid, numberOfInstances: 1, volume: {size: 1Gi}, postgresql: {version: "15"}}
          """);
      pods.start();
      k8s.awaitStatus(CLUSTER, "Running");
      await()
          .atMost(Duration.ofSeconds(40))
          .untilAsserted(
              () -> {
                assertThat(LocalPatroniCluster.canLogIn(member, "batman", "justice")).isTrue();
                assertThat(
                        LocalPatroniCluster.canLogIn(
                            member, "robot_zmon_acid_monitoring", "foobar"))
                    .isTrue();
                assertThat(LocalPatroniCluster.canLogIn(member, "testuser", "testpassword"))
                    .isTrue();
                assertThat(
                        LocalPatroniCluster.canLogIn(
                            member, "robot_zmon_acid_monitoring_new", "foobar_new"))
                    .isTrue();
              });
      assertThat(
              patroni.queryOne(
                  member,
                  "postgres",
                  "select rolcreatedb::text || ' ' || array_to_string(rolconfig, ',') from pg_roles where rolname = 'batman'"))
          .isEqualTo("true log_statement=all");
      Secret secret =
          k8s.client()
              .secrets()
              .inNamespace(NS)
              .withName("batman." + CLUSTER + ".credentials.postgresql.acid.zalan.do")
              .get();
      assertThat(
              new String(
                  Base64.getDecoder().decode(secret.getData().get("password")),
                  StandardCharsets.UTF_8))
          .isEqualTo("justice");
    }
  }
}
