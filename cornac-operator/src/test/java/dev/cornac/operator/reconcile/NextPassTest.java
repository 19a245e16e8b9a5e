package dev.cornac.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cornac.operator.rolling.RollingUpdateSync.State;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When the next pass comes, as data. */
class NextPassTest {
  static final Duration RESYNC = Duration.ofMinutes(30);

  @Test
  void aClusterWaitingForItsPodsIsWokenByTheirEventsNotPolled() {
    // Every pod event (created, addressed, labelled by Patroni) brings a pass; the timed one
    // only covers a lost event. It was a 10 s poll.
    assertThat(NextPass.after(State.IDLE, false, false, Optional.empty(), RESYNC))
        .isGreaterThanOrEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void aStepThatAsksForASoonerPassGetsItEvenWhilePodsAreAwaited() {
    assertThat(NextPass.after(State.IDLE, false, false, Optional.of(Duration.ofSeconds(2)), RESYNC))
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(NextPass.after(State.IDLE, false, false, Optional.of(Duration.ofMinutes(5)), RESYNC))
        .isEqualTo(NextPass.PODS_AWAITED);
  }

  @Test
  void aReadyClusterWithNothingUnderWayWaitsForTheResync() {
    assertThat(NextPass.after(State.IDLE, false, true, Optional.empty(), RESYNC)).isEqualTo(RESYNC);
    assertThat(NextPass.after(State.IDLE, false, true, Optional.of(Duration.ofSeconds(10)), RESYNC))
        .isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void aRollTakesItsNextStepInSecondsAndAFailedPatroniSyncIsRetried() {
    assertThat(NextPass.after(State.ROLLING, false, true, Optional.empty(), RESYNC))
        .isEqualTo(Reconciliation.NEXT_STEP);
    assertThat(NextPass.after(State.ROLLING, true, true, Optional.empty(), RESYNC))
        .isEqualTo(NextPass.DATA_PLANE_RETRY);
    assertThat(NextPass.after(State.WAITING_FOR_SLOT, false, true, Optional.empty(), RESYNC))
        .isEqualTo(NextPass.ROLL_SLOT_RECHECK);
    assertThat(NextPass.after(State.WAITING_FOR_WINDOW, false, true, Optional.empty(), RESYNC))
        .isEqualTo(RESYNC);
  }
}
