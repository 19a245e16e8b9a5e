package dev.cornac.dataplane.patroni;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cornac.dataplane.patroni.PendingRestarts.Decision;
import dev.cornac.dataplane.patroni.PendingRestarts.Member;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The order of restarts after a configuration change, as data: one decision per pass, never a wait.
 */
class PendingRestartsTest {
  static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
  static final Duration SETTLE = Duration.ofSeconds(22);

  static Member leader(boolean pending) {
    return new Member("m0", true, true, pending);
  }

  static Member replica(String name, boolean pending) {
    return new Member(name, false, true, pending);
  }

  static Member down(String name) {
    return new Member(name, false, false, false);
  }

  @Test
  void replicasRestartFirstAndTheLeaderOnlyOnceTheChangeHasSettled() {
    RestartRound round = RestartRound.afterChange(false, T0, SETTLE);
    Decision first =
        PendingRestarts.decide(
            List.of(leader(true), replica("m1", true), replica("m2", false)),
            round,
            T0.plusSeconds(3));
    assertThat(first.restartNow()).containsExactly("m1");
    assertThat(first.inProgress()).isTrue();
    round = round.restarted(first.restartNow(), T0.plusSeconds(3));

    // m2 raises its flag late; m1 is back and clean: m2 goes, the leader still waits.
    Decision second =
        PendingRestarts.decide(
            List.of(leader(true), replica("m1", false), replica("m2", true)),
            round,
            T0.plusSeconds(8));
    assertThat(second.restartNow()).containsExactly("m2");
    round = round.restarted(second.restartNow(), T0.plusSeconds(8));

    // m2 is coming back (not answering yet): the leader waits although the change has settled.
    Decision third =
        PendingRestarts.decide(
            List.of(leader(true), replica("m1", false), down("m2")), round, T0.plusSeconds(25));
    assertThat(third.restartNow()).isEmpty();
    assertThat(third.inProgress()).isTrue();

    Decision fourth =
        PendingRestarts.decide(
            List.of(leader(true), replica("m1", false), replica("m2", false)),
            round,
            T0.plusSeconds(26));
    assertThat(fourth.restartNow()).containsExactly("m0");
    round = round.restarted(fourth.restartNow(), T0.plusSeconds(26));

    Decision done =
        PendingRestarts.decide(
            List.of(leader(false), replica("m1", false), replica("m2", false)),
            round,
            T0.plusSeconds(28));
    assertThat(done.restartNow()).isEmpty();
    assertThat(done.inProgress()).isFalse();
  }

  @Test
  void whileSettlingTheLeaderWaitsEvenWhenNoReplicaIsPendingYet() {
    Decision d =
        PendingRestarts.decide(
            List.of(leader(true), replica("m1", false)),
            RestartRound.afterChange(false, T0, SETTLE),
            T0.plusSeconds(2));
    assertThat(d.restartNow()).isEmpty();
    assertThat(d.inProgress()).isTrue();
  }

  @Test
  void loweredMaxConnectionsRestartTheLeaderFirstAndTheReplicasWaitForItsReturn() {
    RestartRound round = RestartRound.afterChange(true, T0, SETTLE);
    Decision first =
        PendingRestarts.decide(
            List.of(leader(true), replica("m1", true)), round, T0.plusSeconds(3));
    assertThat(first.restartNow()).containsExactly("m0");
    round = round.restarted(first.restartNow(), T0.plusSeconds(3));

    Decision waiting =
        PendingRestarts.decide(
            List.of(new Member("m0", true, false, false), replica("m1", true)),
            round,
            T0.plusSeconds(4));
    assertThat(waiting.restartNow()).as("the replica waits while the leader comes back").isEmpty();
    assertThat(waiting.inProgress()).isTrue();

    Decision then =
        PendingRestarts.decide(
            List.of(leader(false), replica("m1", true)), round, T0.plusSeconds(6));
    assertThat(then.restartNow()).containsExactly("m1");
  }

  @Test
  void withoutARoundPendingRestartsLeftByAnEarlierChangeGoReplicasFirstThenTheLeader() {
    RestartRound none = RestartRound.none();
    assertThat(
            PendingRestarts.decide(List.of(leader(true), replica("m1", true)), none, T0)
                .restartNow())
        .containsExactly("m1");
    Decision leaderAlone =
        PendingRestarts.decide(List.of(leader(true), replica("m1", false)), none, T0);
    assertThat(leaderAlone.restartNow()).containsExactly("m0");
    Decision nothing =
        PendingRestarts.decide(List.of(leader(false), replica("m1", false)), none, T0);
    assertThat(nothing.restartNow()).isEmpty();
    assertThat(nothing.inProgress()).as("an idle cluster needs no early pass").isFalse();
  }

  @Test
  void aMemberStillPendingAfterTwoRestartsIsLeftAloneAndReported() {
    RestartRound round =
        RestartRound.none()
            .restarted(List.of("m1"), T0)
            .restarted(List.of("m1"), T0.plusSeconds(30));
    Decision d =
        PendingRestarts.decide(
            List.of(leader(false), replica("m1", true)), round, T0.plusSeconds(60));
    assertThat(d.restartNow()).isEmpty();
    assertThat(d.givenUp()).containsExactly("m1");
    assertThat(d.inProgress()).isFalse();
  }

  @Test
  void aReplicaThatDoesNotAnswerAndWasNotRestartedByUsDoesNotHoldTheLeaderBack() {
    Decision d = PendingRestarts.decide(List.of(leader(true), down("m1")), RestartRound.none(), T0);
    assertThat(d.restartNow()).containsExactly("m0");
  }
}
