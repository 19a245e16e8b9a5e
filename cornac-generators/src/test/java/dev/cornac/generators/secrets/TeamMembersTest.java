package dev.cornac.generators.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cornac.api.config.OperatorConfig;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.api.model.PostgresTeamSpec;
import dev.cornac.api.model.Postgresql;
import dev.cornac.generators.Cluster;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TeamMembersTest {
  static final OperatorConfig ON =
      OperatorConfig.defaults()
          .with("enable_postgres_team_crd", true)
          .with("postgres_superuser_teams", List.of("dba"));

  private static Cluster cluster(OperatorConfig config) throws Exception {
    return new Cluster(
        ManifestMapper.yaml()
            .readValue(
                """
        apiVersion: acid.zalan.do/v1
        kind: postgresql
        metadata: {name: acid-team, namespace: default}
        spec: {teamId: acid, numberOfInstances: 1, volume: {size: 1Gi}, postgresql: {version: "15"}}
        """,
                Postgresql.class),
        config);
  }

  private static PostgresTeamSpec team() throws Exception {
    return ManifestMapper.yaml()
        .readValue(
            """
        additionalTeams: {acid: [bteam], bteam: [cteam], cteam: [acid]}
        additionalMembers: {acid: [alice], bteam: [bob], cteam: [cora], dba: [dora], elite: [eve]}
        additionalSuperuserTeams: {acid: [elite]}
        """,
            PostgresTeamSpec.class);
  }

  private static Map<String, DesiredRole> byName(List<DesiredRole> roles) {
    return roles.stream().collect(java.util.stream.Collectors.toMap(DesiredRole::name, r -> r));
  }

  @Test
  void membersOfTheTeamAndItsAdditionalTeamsTransitivelyAndSuperuserTeams() throws Exception {
    Map<String, DesiredRole> roles = byName(TeamMembers.of(cluster(ON), List.of(team())));
    assertThat(roles.keySet()).containsExactlyInAnyOrder("alice", "bob", "cora", "dora");
    assertThat(roles.get("alice").flags()).containsExactly("LOGIN");
    assertThat(roles.get("alice").memberOf()).containsExactly("zalandos", "admin");
    assertThat(roles.get("alice").parameters()).containsEntry("log_statement", "all");
    assertThat(roles.get("dora").flags()).containsExactly("LOGIN", "SUPERUSER");
    assertThat(roles.get("dora").memberOf()).isEmpty();
    assertThat(roles.get("bob").canLogin()).isTrue();

    Map<String, DesiredRole> withCrdSuperusers =
        byName(
            TeamMembers.of(
                cluster(ON.with("enable_postgres_team_crd_superusers", true)), List.of(team())));
    assertThat(withCrdSuperusers.get("eve").flags()).contains("SUPERUSER");

    Map<String, DesiredRole> teamSuperuser =
        byName(TeamMembers.of(cluster(ON.with("enable_team_superuser", true)), List.of(team())));
    assertThat(teamSuperuser.get("alice").flags()).contains("SUPERUSER");
    assertThat(teamSuperuser.get("alice").memberOf()).containsExactly("zalandos");
    assertThat(teamSuperuser.get("bob").flags()).doesNotContain("SUPERUSER");
  }

  @Test
  void offByDefaultAndOnlySuperusersForASuperuserTeam() throws Exception {
    assertThat(TeamMembers.of(cluster(OperatorConfig.defaults()), List.of(team()))).isEmpty();
    Map<String, DesiredRole> roles =
        byName(
            TeamMembers.of(
                cluster(ON.with("postgres_superuser_teams", List.of("acid", "dba"))),
                List.of(team())));
    assertThat(roles.keySet()).containsExactlyInAnyOrder("alice", "dora");
    assertThat(roles.values()).allSatisfy(r -> assertThat(r.flags()).contains("SUPERUSER"));
  }
}
