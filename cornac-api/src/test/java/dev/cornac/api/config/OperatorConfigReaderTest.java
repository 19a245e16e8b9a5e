package dev.cornac.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cornac.api.TestFiles;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorConfigReaderTest {
  @Test
  void registryHoldsEveryUpstreamKey() {
    assertThat(ConfigKeys.upstream()).hasSize(187);
    assertThat(ConfigKeys.all()).as("with Cornac's own keys").hasSize(187 + 9);
    assertThat(ConfigKeys.find("workers")).isPresent();
    assertThat(ConfigKeys.get("pod_role_label").crdPath()).contains("kubernetes.pod_role_label");
  }

  @Test
  void emptyConfigMapGivesUpstreamCodeDefaults() {
    OperatorConfig config = OperatorConfig.defaults();
    assertThat(config.bool("enable_master_load_balancer")).isTrue();
    assertThat(config.bool("enable_teams_api")).isTrue();
    assertThat(config.bool("kubernetes_use_configmaps")).isTrue();
    assertThat(config.clusterLabels()).isEqualTo(Map.of("application", "spilo"));
    assertThat(config.list("protected_role_names")).containsExactly("admin", "cron_admin");
    assertThat(config.duration("resync_period")).isEqualTo(Duration.ofMinutes(30));
    assertThat(config.duration("pod_terminate_grace_period")).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.integer("workers")).contains(8L);
    assertThat(config.integer("spilo_runasuser")).isEmpty();
    assertThat(config.string("secret_name_template"))
        .isEqualTo("{username}.{cluster}.credentials.{tprkind}.{tprgroup}");
    assertThat(config.string("docker_image")).isEqualTo("ghcr.io/zalando/spilo-18:4.1-p2");
    assertThat(config.namespacedName("oauth_token_secret_name"))
        .contains(new NamespacedName("", "postgresql-operator"));
    assertThat(config.string("default_cpu_request")).isEmpty();
    assertThat(config.integer("password_rotation_user_retention")).contains(180L);
  }

  @Test
  void emptyValueIsTheZeroValueNotTheDefault() {
    OperatorConfig config =
        OperatorConfigReader.fromConfigMap(Map.of("enable_shm_volume", "", "cluster_labels", ""));
    assertThat(config.bool("enable_shm_volume")).isFalse();
    assertThat(config.clusterLabels()).isEmpty();
    assertThatThrownBy(() -> OperatorConfigReader.fromConfigMap(Map.of("workers", "")))
        .hasMessageContaining("workers must be greater than 0");
  }

  @Test
  void readsTheUpstreamExampleConfigMap() {
    OperatorConfig config =
        OperatorConfigReader.fromFile(TestFiles.upstreamManifest("configmap.yaml"));
    assertThat(config.source()).isEqualTo(OperatorConfig.Source.CONFIG_MAP);
    assertThat(config.bool("enable_master_load_balancer")).isFalse();
    assertThat(config.bool("kubernetes_use_configmaps")).isFalse();
    assertThat(config.string("watched_namespace")).isEqualTo("*");
    assertThat(config.string("min_cpu_limit")).isEqualTo("250m");
    assertThat(config.duration("ready_wait_interval")).isEqualTo(Duration.ofSeconds(3));
    assertThat(config.list("postgres_superuser_teams")).containsExactly("postgres_superusers");
    assertThat(config.map("persistent_volume_claim_retention_policy"))
        .containsEntry("when_deleted", "retain")
        .containsEntry("when_scaled", "retain");
    assertThat(config.warnings()).isEmpty();
  }

  @Test
  void readsTheUpstreamDefaultOperatorConfiguration() {
    OperatorConfig config =
        OperatorConfigReader.fromFile(
            TestFiles.upstreamManifest("postgresql-operator-default-configuration.yaml"));
    assertThat(config.source()).isEqualTo(OperatorConfig.Source.OPERATOR_CONFIGURATION);
    assertThat(config.bool("kubernetes_use_configmaps")).isTrue();
    assertThat(config.string("default_memory_limit")).isEqualTo("500Mi");
    assertThat(config.podRoleLabel()).isEqualTo("spilo-role");
    assertThat(config.warnings()).isEmpty();
  }

  @Test
  void crdModeDefaultsDifferFromConfigMapModeAsUpstreams() {
    Map<String, Object> withSections = new LinkedHashMap<>();
    withSections.put("teams_api", Map.of());
    withSections.put("users", Map.of());
    withSections.put("kubernetes", Map.of());
    withSections.put("load_balancer", Map.of());
    OperatorConfig sectionsPresent = OperatorConfigReader.fromOperatorConfiguration(withSections);
    OperatorConfig sectionsAbsent = OperatorConfigReader.fromOperatorConfiguration(Map.of());

    assertThat(sectionsPresent.bool("enable_master_load_balancer")).isFalse();
    assertThat(sectionsPresent.bool("enable_teams_api")).isFalse();
    assertThat(sectionsPresent.bool("enable_postgres_team_crd")).isTrue();
    assertThat(sectionsAbsent.bool("enable_postgres_team_crd")).isFalse();
    assertThat(sectionsPresent.string("team_admin_role")).isEqualTo("admin");
    assertThat(sectionsAbsent.string("team_admin_role")).isEmpty();
    assertThat(sectionsPresent.integer("password_rotation_user_retention")).contains(120L);
    assertThat(sectionsAbsent.integer("password_rotation_user_retention")).contains(180L);
    assertThat(sectionsPresent.duration("master_pod_move_timeout"))
        .isEqualTo(Duration.ofMinutes(20));
    assertThat(sectionsAbsent.duration("master_pod_move_timeout"))
        .isEqualTo(Duration.ofMinutes(10));
    assertThat(sectionsAbsent.string("secret_name_template")).isEmpty();
    assertThat(sectionsPresent.string("node_readiness_label_merge")).isEmpty();
  }

  @Test
  void crdModeRaisesPoolerInstancesToTwo() {
    OperatorConfig config =
        OperatorConfigReader.fromOperatorConfiguration(
            Map.of("connection_pooler", Map.of("connection_pooler_number_of_instances", 1)));
    assertThat(config.integer("connection_pooler_number_of_instances")).contains(2L);
    OperatorConfig cm =
        OperatorConfigReader.fromConfigMap(Map.of("connection_pooler_number_of_instances", "1"));
    assertThat(cm.integer("connection_pooler_number_of_instances")).contains(1L);
  }

  @Test
  void rejectsInvalidConfigurationNamingEveryProblem() {
    assertThatThrownBy(
            () ->
                OperatorConfigReader.fromConfigMap(
                    Map.of(
                        "workers",
                        "0",
                        "min_instances",
                        "3",
                        "max_instances",
                        "2",
                        "connection_pooler_user",
                        "postgres")))
        .hasMessageContaining("workers must be greater than 0")
        .hasMessageContaining("min_instances (3) must not be greater than max_instances (2)")
        .hasMessageContaining("connection_pooler_user must differ from super_username");
  }

  @Test
  void unknownKeysAreWarningsNotFailures() {
    OperatorConfig config =
        OperatorConfigReader.fromConfigMap(Map.of("no_such_key", "1", "workers", "4"));
    assertThat(config.warnings())
        .containsExactly("unknown configuration key no_such_key is ignored");
    assertThat(config.integer("workers")).contains(4L);
  }

  @Test
  void sidecarsCannotBeSetInAConfigMapButCanInTheCrd() {
    OperatorConfig cm = OperatorConfigReader.fromConfigMap(Map.of("sidecars", "x"));
    assertThat(cm.sidecars()).isEmpty();
    assertThat(cm.warnings()).anyMatch(w -> w.contains("sidecars"));
    OperatorConfig crd =
        OperatorConfigReader.fromOperatorConfiguration(
            Map.of("sidecars", List.of(Map.of("name", "global", "image", "busybox"))));
    assertThat(crd.sidecars())
        .singleElement()
        .satisfies(c -> assertThat(c.getImage()).isEqualTo("busybox"));
  }

  @Test
  void setMemoryRequestToLimitRaisesTheDefaultRequest() {
    OperatorConfig config =
        OperatorConfigReader.fromConfigMap(
            Map.of(
                "set_memory_request_to_limit",
                "true",
                "default_memory_request",
                "100Mi",
                "default_memory_limit",
                "1Gi"));
    assertThat(config.string("default_memory_request")).isEqualTo("1Gi");
  }
}
