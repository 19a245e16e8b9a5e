package dev.cornac.operator.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cornac.dataplane.patroni.ClusterMember;
import dev.cornac.dataplane.patroni.MemberStatus;
import dev.cornac.dataplane.patroni.PatroniRole;
import dev.cornac.operator.upgrade.MajorUpgradeChecks.Action;
import dev.cornac.operator.upgrade.MajorUpgradeChecks.Decision;
import dev.cornac.operator.upgrade.MajorUpgradeChecks.Facts;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Upstream's checks before an in-place upgrade, in upstream's order (upstream:
 * pkg/cluster/majorversionupgrade.go, majorVersionUpgrade).
 */
class MajorUpgradeChecksTest {
  static MemberStatus member(String state, PatroniRole role, int version, String patroni) {
    return new MemberStatus(state, role, version, false, 1, patroni, "acid-x");
  }

  static Map<String, Optional<MemberStatus>> running(int version, String patroni) {
    Map<String, Optional<MemberStatus>> m = new LinkedHashMap<>();
    m.put("acid-x-0", Optional.of(member("running", PatroniRole.LEADER, version, patroni)));
    m.put("acid-x-1", Optional.of(member("running", PatroniRole.REPLICA, version, patroni)));
    return m;
  }

  static ClusterMember replica(String state, long lag) {
    return new ClusterMember(
        "acid-x-1",
        PatroniRole.REPLICA,
        state,
        "10.0.0.2",
        5432,
        "",
        OptionalInt.of(1),
        lag < 0 ? OptionalLong.empty() : OptionalLong.of(lag),
        false);
  }

  static Facts facts(
      String mode,
      String desired,
      Map<String, Optional<MemberStatus>> members,
      List<ClusterMember> view,
      Optional<String> failure,
      boolean window) {
    return new Facts(
        mode, List.of("allowed"), "acid", desired, desired, members, view, failure, window);
  }

  static Decision decide(Facts f) {
    return MajorUpgradeChecks.decide(f);
  }

  @Test
  void anOlderPrimaryWithHealthyMembersIsUpgradedInManualAndFullMode() {
    for (String mode : List.of("manual", "full")) {
      Decision d =
          decide(
              facts(
                  mode,
                  "16",
                  running(150018, "3.0.2"),
                  List.of(replica("streaming", 0)),
                  Optional.empty(),
                  true));
      assertThat(d.action()).isEqualTo(Action.RUN);
      assertThat(d.primaryPod()).isEqualTo("acid-x-0");
      assertThat(d.currentMajor()).isEqualTo(15);
    }
  }

  @Test
  void modeOffSkipsSilentlyUnlessTheTeamIsAllowed() {
    Facts off = facts("off", "16", running(150018, "3.0.2"), List.of(), Optional.empty(), true);
    assertThat(decide(off)).isEqualTo(Decision.skip(null));
    Facts allowed =
        new Facts(
            "off",
            List.of("ACID"),
            "acid",
            "16",
            "16",
            running(150018, "3.0.2"),
            List.of(),
            Optional.empty(),
            true);
    assertThat(decide(allowed).action()).isEqualTo(Action.RUN);
  }

  @Test
  void anUpToDateClusterDoesNothingAndClearsAFailureOnlyWhenTheManifestWasReverted() {
    assertThat(
            decide(
                    facts(
                        "manual",
                        "15",
                        running(150018, "3.0.2"),
                        List.of(),
                        Optional.empty(),
                        true))
                .action())
        .isEqualTo(Action.SKIP);
    assertThat(
            decide(
                    facts(
                        "manual",
                        "15",
                        running(150018, "3.0.2"),
                        List.of(),
                        Optional.of("2026-11-28T10:00:00Z"),
                        false))
                .action())
        .isEqualTo(Action.CLEAR_FAILURE);
    // Held back by a window: the gated version equals the running one, but the manifest still asks
    // for 16.
    Facts held =
        new Facts(
            "manual",
            List.of(),
            "acid",
            "15",
            "16",
            running(150018, "3.0.2"),
            List.of(),
            Optional.of("2026-11-28T10:00:00Z"),
            false);
    assertThat(decide(held).action()).isEqualTo(Action.SKIP);
  }

  @Test
  void aRecordedFailureIsNotRetried() {
    Decision d =
        decide(
            facts(
                "manual",
                "16",
                running(150018, "3.0.2"),
                List.of(replica("streaming", 0)),
                Optional.of("2026-11-28T10:00:00Z"),
                true));
    assertThat(d.action()).isEqualTo(Action.SKIP);
    assertThat(d.waiting()).isFalse();
    assertThat(d.reason().orElseThrow())
        .contains(
            "failed at 2026-11-28T10:00:00Z",
            "is not retried",
            MajorVersionUpgrade.FAILURE_ANNOTATION,
            "spec.postgresql.version back to 15");
  }

  @Test
  void outsideAMaintenanceWindowItWaits() {
    Decision d =
        decide(facts("manual", "16", running(150018, "3.0.2"), List.of(), Optional.empty(), false));
    assertThat(d.action()).isEqualTo(Action.SKIP);
    assertThat(d.reason().orElseThrow()).contains("waits for a maintenance window");
  }

  @Test
  void aLaggingOrUnknownReplicaHoldsTheUpgrade() {
    Decision lagging =
        decide(
            facts(
                "manual",
                "16",
                running(150018, "3.0.2"),
                List.of(replica("streaming", 17L * 1024 * 1024)),
                Optional.empty(),
                true));
    assertThat(lagging.reason().orElseThrow()).contains("acid-x-1 lags 17 MiB");
    assertThat(lagging.waiting()).as("looked at again soon").isTrue();
    assertThat(
            decide(
                    facts(
                        "manual",
                        "16",
                        running(150018, "3.0.2"),
                        List.of(replica("streaming", 16L * 1024 * 1024)),
                        Optional.empty(),
                        true))
                .action())
        .isEqualTo(Action.RUN);
    assertThat(
            decide(
                    facts(
                        "manual",
                        "16",
                        running(150018, "3.0.2"),
                        List.of(replica("stopped", -1)),
                        Optional.empty(),
                        true))
                .reason()
                .orElseThrow())
        .contains("an unknown amount");
  }

  @Test
  void fromPatroni304EveryReplicaMustStream() {
    List<ClusterMember> view = List.of(replica("running", 0));
    assertThat(
            decide(facts("manual", "16", running(150018, "3.0.2"), view, Optional.empty(), true))
                .action())
        .isEqualTo(Action.RUN);
    assertThat(
            decide(facts("manual", "16", running(150018, "3.0.4"), view, Optional.empty(), true))
                .reason()
                .orElseThrow())
        .contains("waits until acid-x-1 streams");
    assertThat(
            decide(
                    facts(
                        "manual",
                        "16",
                        running(150018, "4.0.0"),
                        List.of(replica("streaming", 0)),
                        Optional.empty(),
                        true))
                .action())
        .isEqualTo(Action.RUN);
  }

  @Test
  void everyMemberMustRunAndThereMustBeAPrimary() {
    Map<String, Optional<MemberStatus>> oneDown = running(150018, "3.0.2");
    oneDown.put("acid-x-1", Optional.empty());
    assertThat(
            decide(facts("manual", "16", oneDown, List.of(), Optional.empty(), true))
                .reason()
                .orElseThrow())
        .contains("waits until every member runs");
    Map<String, Optional<MemberStatus>> noPrimary = new LinkedHashMap<>();
    noPrimary.put("acid-x-0", Optional.of(member("running", PatroniRole.REPLICA, 150018, "3.0.2")));
    assertThat(decide(facts("manual", "16", noPrimary, List.of(), Optional.empty(), true)))
        .isEqualTo(Decision.waitFor(null));
  }

  @Test
  void aStandbyClusterIsNotUpgraded() {
    Map<String, Optional<MemberStatus>> standby = new LinkedHashMap<>();
    standby.put(
        "acid-x-0", Optional.of(member("running", PatroniRole.STANDBY_LEADER, 150018, "3.0.2")));
    assertThat(
            decide(facts("manual", "16", standby, List.of(), Optional.empty(), true))
                .reason()
                .orElseThrow())
        .contains("standby cluster");
  }

  @Test
  void unusableVersionsNeverUpgrade() {
    assertThat(
            decide(
                    facts(
                        "manual",
                        "9.6",
                        running(90600, "3.0.2"),
                        List.of(),
                        Optional.empty(),
                        true))
                .action())
        .isEqualTo(Action.SKIP);
    assertThat(MajorUpgradeChecks.atLeast("3.0.4", 3, 0, 4)).isTrue();
    assertThat(MajorUpgradeChecks.atLeast("3.0.2", 3, 0, 4)).isFalse();
    assertThat(MajorUpgradeChecks.atLeast("3.1.0rc1", 3, 0, 4)).isTrue();
    assertThat(MajorUpgradeChecks.atLeast("", 3, 0, 4)).isFalse();
  }
}
