package dev.cornac.operator;

import static dev.cornac.operator.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cornac.api.crd.CrdManifests;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.api.model.PostgresTeam;
import dev.cornac.testkit.LocalPatroniCluster;
import dev.cornac.testkit.StrictApiServer;
import dev.cornac.testkit.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * PostgresTeam members reach a real PostgreSQL: the owning team's and its additional teams' people
 * as PAM login roles without password, superuser teams' people as superusers.
 */
@WithStrictApiServer
class TeamMembersOperatorTest {
  StrictApiServer api;
  OperatorHarness k8s;
  LocalPatroniCluster patroni;

  static final String CLUSTER = "acid-teamed";

  @AfterEach
  void tearDown() throws Exception {
    Closeables.closeAll(k8s, patroni);
  }

  @Test
  void teamMembersBecomeRolesWithoutPasswords() throws Exception {
    patroni = LocalPatroniCluster.start("cornac-operator-teams", List.of(CLUSTER + "-0"));
    LocalPatroniCluster.Member member = patroni.members().get(0);
    try (var c = patroni.connect(member);
        var s = c.createStatement()) {
      s.execute(
          "create role zalandos nologin; create role admin nologin"); // Spilo creates these at
      // bootstrap
    }
    k8s = new OperatorHarness(api);
    k8s.client()
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .resource(
            ManifestMapper.convert(
                CrdManifests.finished(CrdManifests.POSTGRES_TEAM), CustomResourceDefinition.class))
        .create();
    k8s.client()
        .resources(PostgresTeam.class)
        .inNamespace(NS)
        .resource(
            ManifestMapper.yaml()
                .readValue(
                    """
        apiVersion: acid.zalan.do/v1
        kind: PostgresTeam
        metadata: {name: custom-team-membership}
        spec:
          additionalTeams: {acid: [bteam]}
          additionalMembers: {acid: [alice], bteam: [bob], dba: [dora]}
        """,
                    PostgresTeam.class))
        .create();
    k8s.configMap(
        "manifests/configmap.yaml",
        Map.of(
            "watched_namespace",
            NS,
            "enable_postgres_team_crd",
            "true",
            "postgres_superuser_teams",
            "dba"));
    k8s.superuserSecret(CLUSTER, LocalPatroniCluster.SUPERUSER_PASSWORD);
    try (PatroniPods pods = new PatroniPods(k8s.client(), CLUSTER, patroni)) {
      k8s.startOperator(false, pods.endpoints());
      k8s.create(
          """
          apiVersion: acid.zalan.do/v1
          kind: postgresql
          metadata: {name: acid-teamed}
          spec: {teamId: acid, numberOfInstances: 1, volume: {size: 1Gi}, postgresql: {version: "15"}}
          """);
      pods.start();
      k8s.awaitStatus(CLUSTER, "Running");
      await()
          .atMost(Duration.ofSeconds(40))
          .untilAsserted(
              () ->
                  assertThat(
                          patroni.queryOne(
                              member,
                              "postgres",
                              "select string_agg(rolname, ',' order by rolname) from pg_roles where rolname in ('alice','bob','dora')"))
                      .isEqualTo("alice,bob,dora"));
      assertThat(
              patroni.queryOne(
                  member,
                  "postgres",
                  "select r.rolcanlogin::text || ' ' || r.rolsuper::text || ' '"
                      + " || pg_has_role('alice', 'zalandos', 'member')::text || ' ' || pg_has_role('alice', 'admin', 'member')"
                      + "::text || ' ' || array_to_string(r.rolconfig, ',') || ' ' || (a.rolpassword is null)::text"
                      + " from pg_roles r join pg_authid a using (oid) where r.rolname = 'alice'"))
          .isEqualTo("true false true true log_statement=all true");
      assertThat(
              patroni.queryOne(
                  member, "postgres", "select rolsuper::text from pg_roles where rolname = 'dora'"))
          .isEqualTo("true");
      assertThat(
              k8s.client()
                  .secrets()
                  .inNamespace(NS)
                  .withName("alice." + CLUSTER + ".credentials.postgresql.acid.zalan.do")
                  .get())
          .as("people have no secret")
          .isNull();
    }
  }
}
