package dev.cornac.operator.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cornac.api.model.ManifestMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Upstream's example infrastructure-role secrets and ConfigMap, read as upstream reads them. */
class InfrastructureRolesTest {
  static Path examples() {
    return dev.cornac.operator.OperatorHarness.upstreamExamples();
  }

  static Map<String, String> decoded(String file) throws Exception {
    Secret s =
        ManifestMapper.yaml().readValue(Files.readString(examples().resolve(file)), Secret.class);
    Map<String, String> data = new LinkedHashMap<>();
    s.getData()
        .forEach(
            (k, v) ->
                data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    return data;
  }

  @Test
  void theLegacyTemplateSecretWithItsConfigMap() throws Exception {
    ConfigMap cm =
        ManifestMapper.yaml()
            .readValue(
                Files.readString(examples().resolve("infrastructure-roles-configmap.yaml")),
                ConfigMap.class);
    List<InfrastructureRoles.Role> roles =
        InfrastructureRoles.fromTemplate(decoded("infrastructure-roles.yaml"), cm.getData());
    assertThat(roles)
        .extracting(InfrastructureRoles.Role::name)
        .containsExactly("robot_zmon_acid_monitoring", "testuser", "batman");
    assertThat(roles.get(0).password()).isEqualTo("foobar");
    assertThat(roles.get(0).memberOf()).containsExactly("robot_zmon");
    InfrastructureRoles.Role batman = roles.get(2);
    assertThat(batman.password()).isEqualTo("justice");
    assertThat(batman.memberOf()).containsExactly("admin");
    assertThat(batman.desired("default").flags()).containsExactly("LOGIN", "CREATEDB");
    assertThat(batman.parameters()).containsEntry("log_statement", "all");
  }

  @Test
  void definitionsInBothConfigurationForms() throws Exception {
    List<InfrastructureRoles.Definition> fromConfigMap =
        InfrastructureRoles.definitions(
            "secretname: team-a/postgresql-infrastructure-roles-new, userkey: user, passwordkey: password, rolekey: inrole");
    assertThat(fromConfigMap)
        .containsExactly(
            new InfrastructureRoles.Definition(
                "team-a",
                "postgresql-infrastructure-roles-new",
                "user",
                "password",
                "inrole",
                "",
                ""));
    var role =
        InfrastructureRoles.fromDefinition(
                fromConfigMap.get(0), decoded("infrastructure-roles-new.yaml"))
            .orElseThrow();
    assertThat(role.name()).isEqualTo("robot_zmon_acid_monitoring_new");
    assertThat(role.password()).isEqualTo("foobar_new");
    assertThat(role.memberOf()).isEmpty();

    List<InfrastructureRoles.Definition> fromCrd =
        InfrastructureRoles.definitions(
            """
        [{"secretname":"monitoring-roles","userkey":"user","passwordkey":"password","rolekey":"inrole"},
         {"secretname":"other","passwordkey":"pw","defaultuservalue":"robot","defaultrolevalue":"watchers"},
         {"secretname":"unusable","userkey":"user"}]""");
    assertThat(fromCrd)
        .extracting(InfrastructureRoles.Definition::secretName)
        .containsExactly("monitoring-roles", "other");
    var robot =
        InfrastructureRoles.fromDefinition(fromCrd.get(1), Map.of("pw", "secret")).orElseThrow();
    assertThat(robot.name()).isEqualTo("robot");
    assertThat(robot.memberOf()).containsExactly("watchers");
  }
}
