package dev.cornac.generators.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cornac.api.config.OperatorConfig;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.api.model.Postgresql;
import dev.cornac.generators.Cluster;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PasswordRotationTest {
  static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

  private static Cluster cluster(String spec, OperatorConfig config) throws Exception {
    Postgresql pg =
        ManifestMapper.yaml()
            .readValue(
                """
        apiVersion: acid.zalan.do/v1
        kind: postgresql
        metadata: {name: acid-rot, namespace: default}
        spec:
          teamId: acid
          numberOfInstances: 1
          volume: {size: 1Gi}
          postgresql: {version: "15"}
          users: {app: [], owner: [], quiet: []}
          databases: {appdb: owner}
        """
                    + spec,
                Postgresql.class);
    return new Cluster(pg, config);
  }

  private static DesiredRole role(Cluster c, String name) {
    return DesiredRoles.of(c).stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void modesFollowTheManifestThenTheConfiguration() throws Exception {
    Cluster c =
        cluster(
            "  usersWithSecretRotation: [owner]\n  usersWithInPlaceSecretRotation: [postgres]\n",
            OperatorConfig.defaults());
    assertThat(PasswordRotation.mode(c, role(c, "owner")))
        .isEqualTo(PasswordRotation.Mode.NEW_USER);
    assertThat(PasswordRotation.mode(c, role(c, "postgres")))
        .isEqualTo(PasswordRotation.Mode.IN_PLACE);
    assertThat(PasswordRotation.mode(c, role(c, "app")))
        .as("rotation is off by default")
        .isEqualTo(PasswordRotation.Mode.NONE);
    Cluster global =
        cluster(
            "  usersIgnoringSecretRotation: [quiet]\n",
            OperatorConfig.defaults().with("enable_password_rotation", true));
    assertThat(PasswordRotation.mode(global, role(global, "app")))
        .isEqualTo(PasswordRotation.Mode.NEW_USER);
    assertThat(PasswordRotation.mode(global, role(global, "owner")))
        .as("database owners are not rotated globally")
        .isEqualTo(PasswordRotation.Mode.NONE);
    assertThat(PasswordRotation.mode(global, role(global, "quiet")))
        .isEqualTo(PasswordRotation.Mode.NONE);
    assertThat(PasswordRotation.mode(global, role(global, "postgres")))
        .isEqualTo(PasswordRotation.Mode.NONE);
  }

  @Test
  void aSecretIsScheduledThenRotatedWhenDue() {
    var fresh = new PasswordRotation.SecretState("app", "old", null);
    var scheduled =
        PasswordRotation.decide(PasswordRotation.Mode.NEW_USER, "app", fresh, NOW, 90, () -> "new")
            .orElseThrow();
    assertThat(scheduled.rotated()).isFalse();
    assertThat(scheduled.password()).isEqualTo("old");
    assertThat(scheduled.nextRotation()).isEqualTo("2027-02-26T10:00:00Z");

    var waiting = new PasswordRotation.SecretState("app", "old", scheduled.nextRotation());
    assertThat(
            PasswordRotation.decide(
                PasswordRotation.Mode.NEW_USER,
                "app",
                waiting,
                NOW.plusSeconds(3600),
                90,
                () -> "new"))
        .as("not due: nothing to write")
        .isEmpty();

    Instant due = Instant.parse("2027-02-27T08:00:00Z");
    var rotated =
        PasswordRotation.decide(
                PasswordRotation.Mode.NEW_USER, "app", waiting, due, 90, () -> "new")
            .orElseThrow();
    assertThat(rotated.username()).isEqualTo("app270227");
    assertThat(rotated.password()).isEqualTo("new");
    assertThat(rotated.rotated()).isTrue();
    var inPlace =
        PasswordRotation.decide(
                PasswordRotation.Mode.IN_PLACE, "app", waiting, due, 90, () -> "new")
            .orElseThrow();
    assertThat(inPlace.username()).isEqualTo("app");

    var switched =
        PasswordRotation.decide(
                PasswordRotation.Mode.IN_PLACE,
                "app",
                new PasswordRotation.SecretState("app270227", "p", "2027-05-28T08:00:00Z"),
                NOW,
                90,
                () -> "new")
            .orElseThrow();
    assertThat(switched.username())
        .as("from new-user to in-place: at once, back to the role")
        .isEqualTo("app");
    assertThat(switched.rotated()).isTrue();

    var shortened =
        PasswordRotation.decide(
                PasswordRotation.Mode.NEW_USER, "app", waiting, NOW, 10, () -> "new")
            .orElseThrow();
    assertThat(shortened.nextRotation())
        .as("capped at one new interval")
        .isEqualTo("2026-12-08T10:00:00Z");
    assertThat(shortened.rotated()).isFalse();
  }

  @Test
  void switchingRotationOffGivesTheSecretBackToTheRole() {
    var rotatedSecret = new PasswordRotation.SecretState("app270227", "p", "2027-05-28T08:00:00Z");
    var reset =
        PasswordRotation.decide(
                PasswordRotation.Mode.NONE, "app", rotatedSecret, NOW, 90, () -> "fresh")
            .orElseThrow();
    assertThat(reset.username()).isEqualTo("app");
    assertThat(reset.password()).isEqualTo("fresh");
    assertThat(reset.nextRotation()).isEmpty();
    var other = new PasswordRotation.SecretState("team.app", "p", null);
    assertThat(
            PasswordRotation.decide(PasswordRotation.Mode.NONE, "app", other, NOW, 90, () -> "x"))
        .as("only dated names of the role itself")
        .isEmpty();
    assertThat(PasswordRotation.retentionDays(cluster0())).isEqualTo(180);
  }

  private static Cluster cluster0() {
    try {
      return cluster("", OperatorConfig.defaults().with("password_rotation_interval", 30));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
