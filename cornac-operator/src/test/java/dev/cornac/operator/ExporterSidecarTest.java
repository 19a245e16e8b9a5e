package dev.cornac.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cornac.api.config.OperatorConfig;
import dev.cornac.api.config.OperatorConfigReader;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.api.model.Postgresql;
import dev.cornac.dataplane.sql.ClusterSqlSync;
import dev.cornac.generators.Cluster;
import dev.cornac.generators.DesiredState;
import dev.cornac.generators.DesiredStateGenerator;
import dev.cornac.generators.monitoring.ExporterContainer;
import dev.cornac.generators.secrets.Credentials;
import dev.cornac.generators.security.RestrictedProfile;
import dev.cornac.testkit.LocalPatroniCluster;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code enable_postgres_exporter}: the generated sidecar, its role and secret; then the same role
 * created by the SQL sync on a real PostgreSQL, and a real postgres_exporter (Debian) run with the
 * sidecar's environment, scraping as that unprivileged role.
 */
class ExporterSidecarTest {
  static final String MANIFEST =
      """
      apiVersion: acid.zalan.do/v1
      kind: postgresql
      metadata: {name: acid-monitored, namespace: default, uid: 9c4d8a4e-1f2b-4c3d-8e9f-0a1b2c3d4e5f}
      spec: {teamId: acid, numberOfInstances: 2, volume: {size: 1Gi}, postgresql: {version: "15"}}
      """;

  LocalPatroniCluster patroni;
  RealExporter exporter;

  @AfterEach
  void tearDown() throws Exception {
    Closeables.closeAll(exporter, patroni);
  }

  private static Cluster cluster(Map<String, String> settings) throws Exception {
    Map<String, String> data = new HashMap<>(settings);
    OperatorConfig config = OperatorConfigReader.fromConfigMap(data);
    return new Cluster(ManifestMapper.yaml().readValue(MANIFEST, Postgresql.class), config);
  }

  private static String value(Container c, String name) {
    return c.getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .map(EnvVar::getValue)
        .findFirst()
        .orElse(null);
  }

  @Test
  void theSidecarScrapesARealPostgresqlAsItsOwnPgMonitorRole() throws Exception {
    Cluster off = cluster(Map.of());
    assertThat(
            DesiredStateGenerator.generate(off, Credentials.placeholder())
                .statefulSet()
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers())
        .extracting(Container::getName)
        .as("off by default")
        .containsExactly("postgres");

    Cluster c = cluster(Map.of("enable_postgres_exporter", "true"));
    DesiredState desired = DesiredStateGenerator.generate(c, Credentials.placeholder());
    var pod = desired.statefulSet().getSpec().getTemplate().getSpec();
    Container sidecar =
        pod.getContainers().stream()
            .filter(x -> x.getName().equals(ExporterContainer.NAME))
            .findFirst()
            .orElseThrow();
    assertThat(sidecar.getImage())
        .isEqualTo("quay.io/prometheuscommunity/postgres-exporter:v0.15.0");
    assertThat(sidecar.getPorts().get(0).getName()).isEqualTo("exporter");
    EnvVar pass =
        sidecar.getEnv().stream()
            .filter(e -> e.getName().equals("DATA_SOURCE_PASS"))
            .findFirst()
            .orElseThrow();
    String secretName = "postgres-exporter.acid-monitored.credentials.postgresql.acid.zalan.do";
    assertThat(pass.getValueFrom().getSecretKeyRef().getName()).isEqualTo(secretName);
    assertThat(desired.credentialSecrets())
        .anySatisfy(s -> assertThat(s.getMetadata().getName()).isEqualTo(secretName));
    var onlySidecar =
        new io.fabric8.kubernetes.api.model.PodSpecBuilder().withContainers(sidecar).build();
    assertThat(RestrictedProfile.violations(onlySidecar))
        .as("the sidecar itself is restricted")
        .isEmpty();

    // The role, as the operator's SQL sync creates it, on a real cluster.
    patroni = LocalPatroniCluster.start("cornac-exporter", 2);
    LocalPatroniCluster.Member leader = patroni.leader();
    String exporterPassword = "exporter-" + Long.toHexString(System.nanoTime());
    ClusterSqlSync.sync(
        c,
        db ->
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + leader.pgPort() + "/" + db,
                "postgres",
                LocalPatroniCluster.SUPERUSER_PASSWORD),
        user -> user.equals("postgres_exporter") ? exporterPassword : "pw-" + user);
    assertThat(
            patroni.queryOne(
                leader,
                "postgres",
                "select rolsuper::text || ',' || pg_has_role('postgres_exporter',"
                    + " 'pg_monitor', 'member')::text from pg_roles where rolname = 'postgres_exporter'"))
        .isEqualTo("false,true");

    // The Debian exporter with the sidecar's own environment (its localhost:5432 is the member's
    // port here).
    exporter =
        RealExporter.start(
            Map.of(
                "DATA_SOURCE_URI",
                    value(sidecar, "DATA_SOURCE_URI")
                        .replace("localhost:5432", "127.0.0.1:" + leader.pgPort()),
                "DATA_SOURCE_USER", value(sidecar, "DATA_SOURCE_USER"),
                "DATA_SOURCE_PASS", exporterPassword));
    String metrics =
        await()
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptions()
            .until(exporter::scrape, body -> body.contains("pg_stat_replication_pg_wal_lsn_diff"));
    assertThat(metrics)
        .contains("pg_up 1")
        .contains("pg_stat_database_numbackends")
        .as("pg_monitor reads the replication statistics")
        .contains("pg_stat_replication_pg_wal_lsn_diff");
    assertThat(
            patroni.queryOne(
                leader,
                "postgres",
                "select (count(*) > 0)::text from pg_stat_activity where usename = "
                    + "'postgres_exporter'"))
        .as("it connected as its own role")
        .isEqualTo("true");
    assertThat(List.of(metrics)).noneMatch(m -> m.contains(exporterPassword));
  }
}
