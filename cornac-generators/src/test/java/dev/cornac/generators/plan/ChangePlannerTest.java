package dev.cornac.generators.plan;

import static dev.cornac.generators.Fixtures.cluster;
import static dev.cornac.generators.Fixtures.minimalWith;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cornac.generators.Cluster;
import dev.cornac.generators.DesiredState;
import dev.cornac.generators.DesiredStateGenerator;
import dev.cornac.generators.Fixtures;
import dev.cornac.generators.secrets.Credentials;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Plans as data: what a change of manifest does, with the operator's own rules. */
class ChangePlannerTest {
  static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z"); // a Wednesday

  static DesiredState desired(Cluster c) {
    return DesiredStateGenerator.generate(c, Credentials.placeholder());
  }

  /** Offline: the new manifest against the objects of the old one. */
  static ChangePlan offline(String before, String after, Map<String, String> config) {
    Cluster old = cluster(before, config);
    Cluster now = cluster(after, config);
    return ChangePlanner.plan(
        now,
        desired(now),
        ChangePlanner.Current.offline(old.spec(), desired(old).inCreationOrder()),
        NOW);
  }

  static ChangePlan offline(String before, String after) {
    return offline(before, after, Map.of());
  }

  @Test
  void anImageChangeRollsReplicasFirstWithOneSwitchover() {
    ChangePlan plan =
        offline(Fixtures.MINIMAL, minimalWith("dockerImage: ghcr.io/zalando/spilo-17:4.0-p3"));
    assertThat(plan.objects())
        .containsExactly(
            new ChangePlan.ObjectChange(
                "StatefulSet",
                "acid-test",
                ChangePlan.Action.UPDATE,
                List.of(".spec.template.spec.containers[0].image")));
    assertThat(plan.podRestarts())
        .containsExactly("acid-test-1", "acid-test-0 (the primary, if it still leads)");
    assertThat(plan.switchover()).isPresent();
    assertThat(plan.refused()).isEmpty();
  }

  @Test
  void withLazyUpgradesAnImageChangeRollsNothing() {
    ChangePlan plan =
        offline(
            Fixtures.MINIMAL,
            minimalWith("dockerImage: ghcr.io/zalando/spilo-17:4.0-p3"),
            Map.of("enable_lazy_spilo_upgrade", "true"));
    assertThat(plan.objects())
        .extracting(ChangePlan.ObjectChange::action)
        .containsExactly(ChangePlan.Action.UPDATE);
    assertThat(plan.podRestarts()).isEmpty();
    assertThat(plan.switchover()).isEmpty();
  }

  @Test
  void aNewStorageClassReplacesTheStatefulSetKeepingThePods() {
    ChangePlan plan =
        offline(
            Fixtures.MINIMAL,
            Fixtures.MINIMAL.replace(
                "volume: {size: 1Gi}", "volume: {size: 1Gi, storageClass: rook-ceph-block}"));
    assertThat(plan.objects())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.action()).isEqualTo(ChangePlan.Action.REPLACE);
              assertThat(o.fields()).anyMatch(f -> f.startsWith(".spec.volumeClaimTemplates"));
            });
    assertThat(plan.podRestarts()).isEmpty();
  }

  @Test
  void scalingUpAddsPodsWithoutRestartingAny() {
    ChangePlan plan =
        offline(
            Fixtures.MINIMAL,
            Fixtures.MINIMAL.replace("numberOfInstances: 2", "numberOfInstances: 3"));
    assertThat(plan.scaling())
        .containsExactly("pod acid-test-2 added (a new replica, copied from the primary)");
    assertThat(plan.podRestarts()).isEmpty();
  }

  @Test
  void aMajorVersionOutsideTheWindowWaitsUntilItOpens() {
    ChangePlan plan =
        offline(
            minimalWith("maintenanceWindows: [\"Sat:01:00-02:00\"]"),
            minimalWith("maintenanceWindows: [\"Sat:01:00-02:00\"]")
                .replace("version: \"17\"", "version: \"18\""));
    assertThat(plan.waits())
        .first()
        .asString()
        .isEqualTo(
            "PostgreSQL 17 → 18 waits for a maintenance window (next opening 2026-12-05T01:00:00Z)");
  }

  @Test
  void rolesAndDatabasesAreCreatedAndNeverDropped() {
    ChangePlan plan =
        offline(
            minimalWith("users: {old: []}\ndatabases: {olddb: old}"),
            minimalWith("users: {app: []}\ndatabases: {app: app}"));
    assertThat(plan.inside())
        .containsExactly(
            "role app created, with its credentials secret",
            "role old kept: Cornac never drops a role (drop it yourself if you mean it)",
            "database app created, owned by app",
            "database olddb kept: Cornac never drops a database");
    assertThat(plan.objects())
        .anyMatch(o -> o.kind().equals("Secret") && o.action() == ChangePlan.Action.CREATE)
        .noneMatch(o -> o.kind().equals("Secret") && o.action() == ChangePlan.Action.DELETE);
  }

  @Test
  void turningThePoolerOffDeletesItsObjectsAsTheOperatorDoes() {
    ChangePlan plan = offline(minimalWith("enableConnectionPooler: true"), Fixtures.MINIMAL);
    assertThat(plan.objects())
        .filteredOn(o -> o.action() == ChangePlan.Action.DELETE)
        .extracting(ChangePlan.ObjectChange::kind)
        .containsExactlyInAnyOrder("Deployment", "Service", "Secret");
  }

  @Test
  void againstRunningPodsTheRealPrimaryGoesLast() {
    Cluster now = cluster(minimalWith("dockerImage: ghcr.io/zalando/spilo-17:4.0-p3"), Map.of());
    Cluster old = cluster(Fixtures.MINIMAL, Map.of());
    List<HasMetadata> live = desired(old).inCreationOrder();
    String oldImage =
        desired(old)
            .statefulSet()
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0)
            .getImage();
    List<Pod> pods =
        List.of(pod("acid-test-0", "replica", oldImage), pod("acid-test-1", "master", oldImage));
    ChangePlan plan =
        ChangePlanner.plan(
            now,
            desired(now),
            new ChangePlanner.Current(Optional.of(old.spec()), live, pods, java.util.Set.of()),
            NOW);
    assertThat(plan.podRestarts()).containsExactly("acid-test-0", "acid-test-1 (the primary)");
  }

  @Test
  void anUnchangedManifestChangesNothing() {
    assertThat(offline(Fixtures.MINIMAL, Fixtures.MINIMAL).changesNothing()).isTrue();
  }

  static Pod pod(String name, String role, String image) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(Map.of("spilo-role", role))
        .endMetadata()
        .withNewSpec()
        .withContainers(new ContainerBuilder().withName("postgres").withImage(image).build())
        .endSpec()
        .build();
  }
}
