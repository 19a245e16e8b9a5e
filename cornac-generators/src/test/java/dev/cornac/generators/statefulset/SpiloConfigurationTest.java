package dev.cornac.generators.statefulset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cornac.api.config.OperatorConfigReader;
import dev.cornac.generators.Cluster;
import dev.cornac.generators.Fixtures;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpiloConfigurationTest {
  @Test
  void minimalManifestWritesOnlyInitdbDefaultsAndFailsafe() {
    Cluster c = Fixtures.cluster(Fixtures.MINIMAL, Map.of());
    assertThat(SpiloConfiguration.json(c))
        .isEqualTo(
            "{\"postgresql\":{},\"bootstrap\":{\"initdb\":"
                + "[{\"auth-host\":\"scram-sha-256\"},{\"auth-local\":\"trust\"}],\"dcs\":{\"failsafe_mode\":false}}}");
  }

  @Test
  void referenceExampleOfTheCompleteManifest() {
    Cluster c =
        Fixtures.cluster(
            Fixtures.minimalWith(
                    """
        postgresql:
          version: "17"
          parameters: {shared_buffers: 32MB, max_connections: "10", log_statement: all}
        patroni:
          initdb: {encoding: UTF8, locale: en_US.UTF-8, data-checksums: "true"}
          ttl: 30
          loop_wait: 10
          retry_timeout: 10
          synchronous_mode: false
          synchronous_mode_strict: false
          synchronous_node_count: 1
          maximum_lag_on_failover: 33554432
          failsafe_mode: false
        """)
                .replace("  postgresql: {version: \"17\"}\n", ""),
            Map.of());
    assertThat(SpiloConfiguration.json(c))
        .isEqualTo(
            "{\"postgresql\":{\"parameters\":{\"shared_buffers\":\"32MB\"}},"
                + "\"bootstrap\":{\"initdb\":[{\"auth-host\":\"scram-sha-256\"},{\"auth-local\":\"trust\"},\"data-checksums\","
                + "{\"encoding\":\"UTF8\"},{\"locale\":\"en_US.UTF-8\"}],\"dcs\":{\"ttl\":30,\"loop_wait\":10,"
                + "\"retry_timeout\":10,\"maximum_lag_on_failover\":33554432,\"synchronous_node_count\":1,\"postgresql\":"
                + "{\"parameters\":{\"log_statement\":\"all\",\"max_connections\":\"10\"}},\"failsafe_mode\":false}}}");
  }

  @Test
  void initdbOptionsReplaceAuthInPlaceAndKeepFalseFlagsAsObjects() {
    Cluster c =
        Fixtures.cluster(
            Fixtures.minimalWith(
                """
        patroni:
          initdb: {auth-host: md5, data-checksums: "false", no-locale: "true"}
        """),
            Map.of());
    assertThat(SpiloConfiguration.tree(c).path("bootstrap").path("initdb").toString())
        .isEqualTo(
            "[{\"auth-host\":\"md5\"},{\"auth-local\":\"trust\"},{\"data-checksums\":\"false\"},\"no-locale\"]");
  }

  @Test
  void localParametersAndPgHbaGoToTheLocalSectionAndSlotsToTheDcs() {
    Cluster c =
        Fixtures.cluster(
            Fixtures.minimalWith(
                    """
        patroni:
          pg_hba: ["hostssl all all 0.0.0.0/0 md5"]
          slots: {permanent_1: {type: physical}}
          synchronous_mode: true
          synchronous_mode_strict: true
          failsafe_mode: true
        """)
                .replace(
                    "postgresql: {version: \"17\"}",
                    "postgresql: {version: \"17\", parameters: {ssl: \"on\", work_mem: 4MB, shared_preload_libraries: a<b&c}}"),
            Map.of());
    String json = SpiloConfiguration.json(c);
    assertThat(json)
        .startsWith(
            "{\"postgresql\":{\"parameters\":{\"shared_preload_libraries\":\"a\\u003cb\\u0026c\","
                + "\"ssl\":\"on\"},\"pg_hba\":[\"hostssl all all 0.0.0.0/0 md5\"]}");
    assertThat(json)
        .contains(
            "\"dcs\":{\"synchronous_mode\":true,\"synchronous_mode_strict\":true,"
                + "\"postgresql\":{\"parameters\":{\"work_mem\":\"4MB\"}},\"slots\":{\"permanent_1\":{\"type\":\"physical\"}},"
                + "\"failsafe_mode\":true}");
  }

  @Test
  void binDirOnlyWithoutThePgVersionVariableAndFailsafeFromConfig() {
    Cluster c =
        Fixtures.cluster(
            Fixtures.MINIMAL,
            OperatorConfigReader.fromConfigMap(
                Map.of(
                    "enable_pgversion_env_var", "false", "enable_patroni_failsafe_mode", "true")));
    String json = SpiloConfiguration.json(c);
    assertThat(json).startsWith("{\"postgresql\":{\"bin_dir\":\"/usr/lib/postgresql/17/bin\"}");
    assertThat(json).endsWith("\"dcs\":{\"failsafe_mode\":true}}}");
  }

  @Test
  void maximumLagIsRoundedLikeAFloat32() {
    Cluster c =
        Fixtures.cluster(
            Fixtures.minimalWith("patroni: {maximum_lag_on_failover: 33554433}\n"), Map.of());
    assertThat(SpiloConfiguration.json(c)).contains("\"maximum_lag_on_failover\":33554432");
  }
}
