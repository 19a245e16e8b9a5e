package dev.cornac.dataplane.rolling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cornac.dataplane.patroni.ClusterMember;
import dev.cornac.dataplane.patroni.PatroniRole;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The rolling update's next step, as data: what a pass does given what it sees. */
class RollPlannerTest {
  static final long MAX_LAG = 1_048_576;

  static RollMember marked(String name) {
    return new RollMember(name, true, true, false);
  }

  static RollMember rolled(String name) {
    return new RollMember(name, false, true, true);
  }

  static ClusterMember leader(String name) {
    return new ClusterMember(
        name,
        PatroniRole.LEADER,
        "running",
        "",
        5432,
        "",
        OptionalInt.of(1),
        OptionalLong.empty(),
        false);
  }

  static ClusterMember replica(String name, String state, long lag) {
    return new ClusterMember(
        name,
        PatroniRole.REPLICA,
        state,
        "",
        5432,
        "",
        OptionalInt.of(1),
        OptionalLong.of(lag),
        false);
  }

  static RollStep next(List<RollMember> members, List<ClusterMember> patroni) {
    return RollPlanner.next(new RollPlanner.Facts(members, patroni, MAX_LAG, false));
  }

  @Test
  void replicasGoFirstInOrdinalOrder() {
    assertThat(
            next(
                List.of(marked("a-2"), marked("a-0"), marked("a-1")),
                List.of(
                    leader("a-0"), replica("a-1", "streaming", 0), replica("a-2", "streaming", 0))))
        .isEqualTo(new RollStep.Recreate("a-1", false));
  }

  @Test
  void theNextReplicaWaitsUntilTheOneRolledStreamsWithinTheLagLimit() {
    List<RollMember> members = List.of(marked("a-0"), rolled("a-1"), marked("a-2"));
    assertThat(
            next(
                members,
                List.of(
                    leader("a-0"),
                    replica("a-1", "streaming", MAX_LAG + 1),
                    replica("a-2", "streaming", 0))))
        .isEqualTo(
            new RollStep.Wait("replica a-1 lags 1048577 bytes (maximum_lag_on_failover 1048576)"));
    assertThat(
            next(
                members,
                List.of(
                    leader("a-0"), replica("a-1", "starting", 0), replica("a-2", "streaming", 0))))
        .isEqualTo(new RollStep.Wait("replica a-1 is starting"));
    assertThat(next(members, List.of(leader("a-0"), replica("a-2", "streaming", 0))))
        .isEqualTo(new RollStep.Wait("replica a-1 has not joined the cluster yet"));
    assertThat(
            next(
                members,
                List.of(
                    leader("a-0"), replica("a-1", "streaming", 0), replica("a-2", "streaming", 0))))
        .isEqualTo(new RollStep.Recreate("a-2", false));
  }

  @Test
  void aPodNotBackYetHoldsEverything() {
    assertThat(
            next(
                List.of(marked("a-0"), new RollMember("a-1", false, false, false)),
                List.of(leader("a-0"))))
        .isEqualTo(new RollStep.Wait("pod a-1 is not running with a Patroni role yet"));
  }

  @Test
  void theLeaderGoesLastAfterOneSwitchoverToAReplicaOnTheNewSpec() {
    assertThat(
            next(
                List.of(marked("a-0"), rolled("a-1")),
                List.of(leader("a-0"), replica("a-1", "streaming", 0))))
        .isEqualTo(new RollStep.Switchover("a-0", "a-1"));
    // After the switchover the old leader is a marked replica like any other.
    assertThat(
            next(
                List.of(marked("a-0"), rolled("a-1")),
                List.of(replica("a-0", "streaming", 0), leader("a-1"))))
        .isEqualTo(new RollStep.Recreate("a-0", false));
  }

  @Test
  void theOldPrimaryIsNotStoppedBeforeItFollowsTheNewLeader() {
    List<RollMember> members = List.of(marked("a-0"), rolled("a-1"));
    ClusterMember demoting =
        new ClusterMember(
            "a-0",
            PatroniRole.REPLICA,
            "stopping",
            "",
            5432,
            "",
            OptionalInt.of(1),
            OptionalLong.empty(),
            false);
    assertThat(
            RollPlanner.next(
                new RollPlanner.Facts(
                    members, List.of(demoting, leader("a-1")), MAX_LAG, false, Optional.of("a-0"))))
        .isEqualTo(new RollStep.Wait("the old primary a-0 is still demoting"));
    assertThat(
            RollPlanner.next(
                new RollPlanner.Facts(
                    members,
                    List.of(replica("a-0", "streaming", 0), leader("a-1")),
                    MAX_LAG,
                    false,
                    Optional.of("a-0"))))
        .isEqualTo(new RollStep.Recreate("a-0", false));
  }

  @Test
  void neverSwitchesOverToAReplicaStillOnTheOldSpec() {
    // The replica's mark is not in the cache yet and it runs the old image: not a candidate.
    RollMember notRolled = new RollMember("a-1", false, true, false);
    assertThat(
            next(
                List.of(marked("a-0"), notRolled),
                List.of(leader("a-0"), replica("a-1", "streaming", 0))))
        .isInstanceOf(RollStep.Wait.class)
        .isEqualTo(
            new RollStep.Wait("no replica running the new spec is ready to take over from a-0"));
  }

  @Test
  void inSynchronousModeOnlyASynchronousStandbyTakesOver() {
    RollPlanner.Facts facts =
        new RollPlanner.Facts(
            List.of(marked("a-0"), rolled("a-1")),
            List.of(leader("a-0"), replica("a-1", "streaming", 0)),
            MAX_LAG,
            true);
    assertThat(RollPlanner.next(facts)).isInstanceOf(RollStep.Wait.class);
    ClusterMember sync =
        new ClusterMember(
            "a-1",
            PatroniRole.SYNC_STANDBY,
            "streaming",
            "",
            5432,
            "",
            OptionalInt.of(1),
            OptionalLong.of(0),
            false);
    assertThat(
            RollPlanner.next(
                new RollPlanner.Facts(
                    facts.members(), List.of(leader("a-0"), sync), MAX_LAG, true)))
        .isEqualTo(new RollStep.Switchover("a-0", "a-1"));
  }

  @Test
  void aSingleInstanceIsRecreatedWithDowntimeSaid() {
    assertThat(next(List.of(marked("a-0")), List.of()))
        .isEqualTo(new RollStep.Recreate("a-0", true));
  }

  @Test
  void withoutPatroniOrALeaderItWaits() {
    List<RollMember> members = List.of(marked("a-0"), marked("a-1"));
    assertThat(next(members, List.of()))
        .isEqualTo(new RollStep.Wait("no member answers Patroni's REST API"));
    assertThat(
            next(members, List.of(replica("a-0", "streaming", 0), replica("a-1", "streaming", 0))))
        .isEqualTo(new RollStep.Wait("the cluster has no leader right now"));
  }

  @Test
  void doneOnlyOnceNothingIsMarkedAndEveryReplicaStreams() {
    List<RollMember> members = List.of(rolled("a-0"), rolled("a-1"));
    assertThat(next(members, List.of(replica("a-0", "starting", 0), leader("a-1"))))
        .isEqualTo(new RollStep.Wait("replica a-0 is starting"));
    assertThat(next(members, List.of(replica("a-0", "streaming", 0), leader("a-1"))))
        .isEqualTo(new RollStep.Done());
  }
}
