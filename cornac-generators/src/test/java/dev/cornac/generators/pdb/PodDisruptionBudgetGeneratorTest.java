package dev.cornac.generators.pdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cornac.generators.Cluster;
import dev.cornac.generators.Fixtures;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodDisruptionBudgetGeneratorTest {
  @Test
  void budgetsRelaxWhenTheClusterIsScaledToZero() {
    Cluster c =
        Fixtures.cluster(
            Fixtures.MINIMAL.replace("numberOfInstances: 2", "numberOfInstances: 0"), Map.of());
    assertThat(PodDisruptionBudgetGenerator.primary(c).getSpec().getMinAvailable().getIntVal())
        .isZero();
    assertThat(
            PodDisruptionBudgetGenerator.criticalOperation(c)
                .getSpec()
                .getMaxUnavailable()
                .getStrVal())
        .isEqualTo("100%");
  }

  @Test
  void budgetsRelaxWhenDisabledInTheConfiguration() {
    Cluster c = Fixtures.cluster(Fixtures.MINIMAL, Map.of("enable_pod_disruption_budget", "false"));
    assertThat(PodDisruptionBudgetGenerator.primary(c).getSpec().getMinAvailable().getIntVal())
        .isZero();
  }

  @Test
  void strictSynchronousModeWithoutMasterSelectorNeedsTheSyncStandbys() {
    Cluster c =
        Fixtures.cluster(
            Fixtures.minimalWith(
                "patroni: {synchronous_mode_strict: true, synchronous_node_count: 2}\n"),
            Map.of("pdb_master_label_selector", "false", "pdb_name_format", "pdb-{cluster}"));
    var pdb = PodDisruptionBudgetGenerator.primary(c);
    assertThat(pdb.getMetadata().getName()).isEqualTo("pdb-acid-test");
    assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(3);
    assertThat(pdb.getSpec().getSelector().getMatchLabels()).doesNotContainKey("spilo-role");
  }

  @Test
  void budgetUsesTheManifestCountNotTheClampedOne() {
    Cluster c =
        Fixtures.cluster(
            Fixtures.MINIMAL.replace("numberOfInstances: 2", "numberOfInstances: 0"),
            Map.of("min_instances", "1"));
    assertThat(c.effectiveInstances()).isEqualTo(1);
    assertThat(PodDisruptionBudgetGenerator.primary(c).getSpec().getMinAvailable().getIntVal())
        .isZero();
  }

  @Test
  void aSingleInstanceNeverBlocksANodeDrainWhileTwoKeepTheirPrimary() {
    Cluster single =
        Fixtures.cluster(
            Fixtures.MINIMAL.replace("numberOfInstances: 2", "numberOfInstances: 1"), Map.of());
    assertThat(PodDisruptionBudgetGenerator.primary(single).getSpec().getMinAvailable().getIntVal())
        .as("upstream's 1 would make its only pod unevictable")
        .isZero();
    assertThat(
            PodDisruptionBudgetGenerator.criticalOperation(single)
                .getSpec()
                .getMaxUnavailable()
                .getIntVal())
        .as("still no eviction during bootstrap and major upgrades")
        .isZero();
    Cluster two = Fixtures.cluster(Fixtures.MINIMAL, Map.of());
    assertThat(PodDisruptionBudgetGenerator.primary(two).getSpec().getMinAvailable().getIntVal())
        .isEqualTo(1);
  }
}
