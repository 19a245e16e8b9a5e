package dev.cornac.generators.connectionpooler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cornac.generators.Cluster;
import dev.cornac.generators.DesiredStateGenerator;
import dev.cornac.generators.Fixtures;
import dev.cornac.generators.naming.Role;
import dev.cornac.generators.secrets.Credentials;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectionPoolerGeneratorTest {
  private static Map<String, String> env(Container c) {
    Map<String, String> m = new LinkedHashMap<>();
    for (EnvVar e : c.getEnv()) {
      m.put(
          e.getName(),
          e.getValue() != null
              ? e.getValue()
              : "secret:"
                  + e.getValueFrom().getSecretKeyRef().getName()
                  + "/"
                  + e.getValueFrom().getSecretKeyRef().getKey());
    }
    return m;
  }

  @Test
  void defaultSizingSplitsSixtyConnectionsOverTwoInstances() {
    Cluster c = Fixtures.cluster(Fixtures.minimalWith("connectionPooler: {}\n"), Map.of());
    Deployment d = ConnectionPoolerGenerator.deployment(c, Role.MASTER);
    assertThat(d.getSpec().getReplicas()).isEqualTo(2);
    Map<String, String> env = env(d.getSpec().getTemplate().getSpec().getContainers().get(0));
    assertThat(env)
        .containsExactly(
            Map.entry("PGHOST", "acid-test"),
            Map.entry("PGPORT", "5432"),
            Map.entry(
                "PGUSER", "secret:pooler.acid-test.credentials.postgresql.acid.zalan.do/username"),
            Map.entry("PGSCHEMA", "pooler"),
            Map.entry(
                "PGPASSWORD",
                "secret:pooler.acid-test.credentials.postgresql.acid.zalan.do/password"),
            Map.entry("CONNECTION_POOLER_PORT", "5432"),
            Map.entry("CONNECTION_POOLER_MODE", "transaction"),
            Map.entry("CONNECTION_POOLER_DEFAULT_SIZE", "15"),
            Map.entry("CONNECTION_POOLER_MIN_SIZE", "7"),
            Map.entry("CONNECTION_POOLER_RESERVE_SIZE", "7"),
            Map.entry("CONNECTION_POOLER_MAX_CLIENT_CONN", "10000"),
            Map.entry("CONNECTION_POOLER_MAX_DB_CONN", "30"));
  }

  @Test
  void poolerObjectsCarryPoolerLabelsAndSecurity() {
    Cluster c =
        Fixtures.cluster(
            Fixtures.minimalWith(
                "enableReplicaConnectionPooler: true\nconnectionPooler: {mode: session, numberOfInstances: 3}\n"
                    + "spiloFSGroup: 103\n"),
            Map.of("enable_pod_antiaffinity", "true"));
    Deployment d = ConnectionPoolerGenerator.deployment(c, Role.REPLICA);
    assertThat(d.getMetadata().getName()).isEqualTo("acid-test-pooler-repl");
    assertThat(d.getMetadata().getLabels())
        .isEqualTo(
            Map.of(
                "application",
                "db-connection-pooler",
                "cluster-name",
                "acid-test",
                "team",
                "acid",
                "connection-pooler",
                "acid-test-pooler-repl",
                "spilo-role",
                "replica"));
    assertThat(d.getSpec().getSelector().getMatchLabels())
        .isEqualTo(
            Map.of(
                "application",
                "db-connection-pooler",
                "cluster-name",
                "acid-test",
                "connection-pooler",
                "acid-test-pooler-repl"));
    var pod = d.getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(100L);
    assertThat(pod.getSecurityContext().getRunAsGroup()).isEqualTo(101L);
    assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(103L);
    assertThat(
            pod.getAffinity()
                .getPodAntiAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution())
        .singleElement()
        .satisfies(
            t ->
                assertThat(t.getLabelSelector().getMatchLabels())
                    .containsEntry("connection-pooler", "acid-test-pooler-repl"));
    Container container = pod.getContainers().get(0);
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getReadinessProbe().getTcpSocket().getPort().getIntVal()).isEqualTo(5432);
    assertThat(env(container))
        .containsEntry("PGHOST", "acid-test-repl")
        .containsEntry("CONNECTION_POOLER_MODE", "session")
        .containsEntry("CONNECTION_POOLER_MAX_DB_CONN", "20");
    assertThat(container.getVolumeMounts())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.getMountPath()).isEqualTo("/etc/pgbouncer/userlist.txt");
              assertThat(m.getSubPath()).isEqualTo("userlist.txt");
              assertThat(m.getReadOnly()).isTrue();
            });
  }

  @Test
  void poolerServiceSelectsItsPodsAndCanBeALoadBalancer() {
    Cluster c =
        Fixtures.cluster(
            Fixtures.minimalWith(
                "enableConnectionPooler: true\nenableMasterPoolerLoadBalancer: true\n"),
            Map.of());
    var service = ConnectionPoolerGenerator.service(c, Role.MASTER);
    assertThat(service.getSpec().getSelector())
        .isEqualTo(Map.of("connection-pooler", "acid-test-pooler"));
    assertThat(service.getSpec().getType()).isEqualTo("LoadBalancer");
    assertThat(service.getMetadata().getLabels()).doesNotContainKeys("team", "spilo-role");
    assertThat(service.getMetadata().getAnnotations())
        .containsEntry(
            "external-dns.alpha.kubernetes.io/hostname", "acid-test-pooler.default.db.example.com");
    assertThat(service.getSpec().getPorts().get(0).getName()).isEqualTo("acid-test-pooler");
  }

  @Test
  void authSecretHoldsTheUserlist() {
    Cluster c = Fixtures.cluster(Fixtures.minimalWith("enableConnectionPooler: true\n"), Map.of());
    var secret = ConnectionPoolerGenerator.authSecret(c, Role.MASTER, (name, user) -> "s3cr3t");
    assertThat(secret.getMetadata().getName()).isEqualTo("acid-test-pooler-u");
    assertThat(
            new String(java.util.Base64.getDecoder().decode(secret.getData().get("userlist.txt"))))
        .isEqualTo("\"pooler\" \"s3cr3t\"\n");
  }

  @Test
  void enablementFollowsUpstreamsTable() {
    assertThat(poolers("")).isEmpty();
    assertThat(poolers("connectionPooler: {}\n")).containsExactly("acid-test-pooler");
    assertThat(poolers("enableConnectionPooler: false\nconnectionPooler: {}\n")).isEmpty();
    assertThat(poolers("enableReplicaConnectionPooler: true\n"))
        .containsExactly("acid-test-pooler-repl");
    assertThat(poolers("enableConnectionPooler: true\nenableReplicaConnectionPooler: true\n"))
        .containsExactly("acid-test-pooler", "acid-test-pooler-repl");
  }

  private static java.util.List<String> poolers(String spec) {
    Cluster c =
        Fixtures.cluster(spec.isEmpty() ? Fixtures.MINIMAL : Fixtures.minimalWith(spec), Map.of());
    return DesiredStateGenerator.generate(c, Credentials.placeholder()).poolers().stream()
        .map(p -> p.deployment().getMetadata().getName())
        .toList();
  }
}
