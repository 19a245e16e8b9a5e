package dev.cornac.operator;

import static dev.cornac.operator.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cornac.testkit.LocalPatroniCluster;
import dev.cornac.testkit.StrictApiServer;
import dev.cornac.testkit.WithStrictApiServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Password rotation on a real PostgreSQL behind the mock API server, with the operator's clock
 * moved forward: new-user rotation creates dated login roles the secret then names, in-place
 * rotation changes the password, the role itself keeps working, and dated roles older than the
 * retention are dropped.
 */
@WithStrictApiServer
class PasswordRotationOperatorTest {
  StrictApiServer api;
  OperatorHarness k8s;
  LocalPatroniCluster patroni;
  LocalPatroniCluster.Member member;

  static final String CLUSTER = "acid-rotating";

  @AfterEach
  void tearDown() throws Exception {
    Closeables.closeAll(k8s, patroni);
  }

  @Test
  void rotatesNewUserAndInPlaceAndDropsOnlyExpiredDatedRoles() throws Exception {
    patroni = LocalPatroniCluster.start("cornac-operator-rotation", List.of(CLUSTER + "-0"));
    member = patroni.members().get(0);
    MovableClock clock = new MovableClock(Instant.parse("2026-11-28T10:00:00Z"));
    k8s = OperatorHarness.withExampleConfig(api);
    k8s.superuserSecret(CLUSTER, LocalPatroniCluster.SUPERUSER_PASSWORD);
    PatroniPods pods = new PatroniPods(k8s.client(), CLUSTER, patroni);
    k8s.startOperator(false, pods.endpoints(), clock);
    k8s.create(
        """
        apiVersion: acid.zalan.do/v1
        kind: postgresql
        metadata: {name: acid-rotating}
        spec:
          teamId: acid
          numberOfInstances: 1
          volume: {size: 1Gi}
          postgresql: {version: "15"}
          users: {app: [], reporting: []}
          usersWithSecretRotation: [app]
          usersWithInPlaceSecretRotation: [reporting]
        """);
    try (pods) {
      pods.start();
      k8s.awaitStatus(CLUSTER, "Running");
      String appSecret = "app." + CLUSTER + ".credentials.postgresql.acid.zalan.do";
      String reportingSecret = "reporting." + CLUSTER + ".credentials.postgresql.acid.zalan.do";
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                assertThat(field(appSecret, "nextRotation")).isEqualTo("2027-02-26T10:00:00Z");
                assertThat(
                        LocalPatroniCluster.canLogIn(member, "app", field(appSecret, "password")))
                    .isTrue();
              });
      String appPassword = field(appSecret, "password");
      String reportingBefore = field(reportingSecret, "password");

      clock.set(Instant.parse("2027-02-27T09:00:00Z"));
      k8s.annotate(CLUSTER, "cornac.dev/sync", "rotate-1");
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                assertThat(field(appSecret, "username")).isEqualTo("app270227");
                assertThat(
                        LocalPatroniCluster.canLogIn(
                            member, "app270227", field(appSecret, "password")))
                    .isTrue();
                assertThat(field(reportingSecret, "username")).isEqualTo("reporting");
                assertThat(field(reportingSecret, "password")).isNotEqualTo(reportingBefore);
                assertThat(
                        LocalPatroniCluster.canLogIn(
                            member, "reporting", field(reportingSecret, "password")))
                    .isTrue();
              });
      assertThat(LocalPatroniCluster.canLogIn(member, "app", appPassword))
          .as("the role itself keeps its password")
          .isTrue();
      assertThat(LocalPatroniCluster.canLogIn(member, "reporting", reportingBefore))
          .as("in place: the old password is gone")
          .isFalse();
      assertThat(
              patroni.queryOne(
                  member, "postgres", "select pg_has_role('app270227', 'app', 'member')::text"))
          .isEqualTo("true");

      clock.set(
          Instant.parse(
              "2027-05-29T09:00:00Z")); // 91 days later: a second dated role, the first kept
      k8s.annotate(CLUSTER, "cornac.dev/sync", "rotate-2");
      // The secret is written first, the role created right after in the same sync.
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                assertThat(field(appSecret, "username")).isEqualTo("app270529");
                assertThat(roles()).contains("app", "app270227", "app270529");
              });

      clock.set(
          Instant.parse(
              "2027-08-28T09:00:00Z")); // 182 days after the first: past the 180-day retention
      k8s.annotate(CLUSTER, "cornac.dev/sync", "rotate-3");
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                assertThat(field(appSecret, "username")).isEqualTo("app270828");
                assertThat(roles())
                    .contains("app", "app270529", "app270828")
                    .doesNotContain("app270227");
              });
    }
  }

  private String roles() throws Exception {
    return patroni.queryOne(
        member,
        "postgres",
        "select string_agg(rolname, ',' order by rolname) from pg_roles where rolname like 'app%'");
  }

  private String field(String secret, String key) {
    var s = k8s.client().secrets().inNamespace(NS).withName(secret).get();
    String b64 = s == null || s.getData() == null ? null : s.getData().get(key);
    return b64 == null ? null : new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
  }
}
