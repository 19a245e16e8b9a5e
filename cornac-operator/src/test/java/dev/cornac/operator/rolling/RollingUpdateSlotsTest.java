package dev.cornac.operator.rolling;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * max_concurrent_rolling_updates: a bound on clusters rolling at once, waiters served in order and
 * woken.
 */
class RollingUpdateSlotsTest {
  static ResourceID id(String name) {
    return new ResourceID(name, "default");
  }

  @Test
  void atMostMaxClustersRollAndTheNextInLineIsWokenWhenOneFinishes() {
    RollingUpdateSlots slots = new RollingUpdateSlots(2);
    List<ResourceID> woken = new ArrayList<>();
    slots.onFree(woken::add);

    assertThat(slots.tryAcquire(id("a"))).isTrue();
    assertThat(slots.tryAcquire(id("b"))).isTrue();
    assertThat(slots.tryAcquire(id("c"))).isFalse();
    assertThat(slots.tryAcquire(id("d"))).isFalse();
    assertThat(slots.tryAcquire(id("a"))).as("a holder keeps its slot").isTrue();
    assertThat(slots.rolling()).isEqualTo(2);
    assertThat(slots.waiting()).isEqualTo(2);

    slots.release(id("a"));
    assertThat(woken).containsExactly(id("c"));
    assertThat(slots.tryAcquire(id("d"))).as("d is behind c in line").isFalse();
    assertThat(slots.tryAcquire(id("c"))).isTrue();
    slots.release(id("b"));
    assertThat(woken).containsExactly(id("c"), id("d"));
    assertThat(slots.tryAcquire(id("d"))).isTrue();
  }

  @Test
  void aClusterThatNoLongerNeedsItsPlaceLeavesTheLine() {
    RollingUpdateSlots slots = new RollingUpdateSlots(1);
    List<ResourceID> woken = new ArrayList<>();
    slots.onFree(woken::add);
    slots.tryAcquire(id("a"));
    slots.tryAcquire(id("b"));
    slots.tryAcquire(id("c"));
    slots.release(id("b"));
    assertThat(woken).as("nothing freed: a still rolls").isEmpty();
    slots.release(id("a"));
    assertThat(woken).containsExactly(id("c"));
  }

  @Test
  void theSlotOfADeletedClusterIsFreed() {
    RollingUpdateSlots slots = new RollingUpdateSlots(1);
    slots.tryAcquire(id("gone"));
    assertThat(slots.tryAcquire(id("next"))).isFalse();
    slots.releaseGone(cluster -> !cluster.equals(id("gone")));
    assertThat(slots.tryAcquire(id("next"))).isTrue();
  }

  @Test
  void zeroMeansNoBound() {
    RollingUpdateSlots slots = new RollingUpdateSlots(0);
    for (int i = 0; i < 100; i++) {
      assertThat(slots.tryAcquire(id("c" + i))).isTrue();
    }
  }

  @Test
  void theCanaryRollsAloneThenTheOthersUpToTheBound() {
    RollingUpdateSlots slots = new RollingUpdateSlots(2, 1, true);
    List<ResourceID> woken = new ArrayList<>();
    slots.onFree(woken::add);
    assertThat(slots.tryAcquire(id("a"))).isTrue();
    assertThat(slots.tryAcquire(id("b"))).as("the canary rolls alone").isFalse();
    assertThat(slots.tryAcquire(id("c"))).isFalse();
    assertThat(slots.rollout().phase()).isEqualTo(RollingUpdateSlots.Phase.CANARY);
    assertThat(slots.whyWaiting())
        .contains("the canary must finish first", "default/a", "0 of 1 done");

    slots.completed(id("a"));
    assertThat(woken).containsExactly(id("b"), id("c"));
    assertThat(slots.rollout().phase()).isEqualTo(RollingUpdateSlots.Phase.ROLLING);
    assertThat(slots.rollout().canaryDone()).containsExactly("default/a");
    assertThat(slots.tryAcquire(id("b"))).isTrue();
    assertThat(slots.tryAcquire(id("c"))).isTrue();
    assertThat(slots.tryAcquire(id("d"))).as("the bound after the canary").isFalse();
  }

  @Test
  void aCanaryThatIsReleasedWithoutFinishingDoesNotCountAndTheNextBecomesTheCanary() {
    RollingUpdateSlots slots = new RollingUpdateSlots(10, 1, true);
    slots.tryAcquire(id("a"));
    assertThat(slots.tryAcquire(id("b"))).isFalse();
    slots.release(id("a"));
    assertThat(slots.rollout().phase()).isEqualTo(RollingUpdateSlots.Phase.CANARY);
    assertThat(slots.tryAcquire(id("b"))).isTrue();
    assertThat(slots.tryAcquire(id("c"))).isFalse();
  }

  @Test
  void aFailedRollPausesNewRollsUntilResumedWhileRollsUnderWayGoOn() {
    RollingUpdateSlots slots = new RollingUpdateSlots(3, 0, true);
    List<ResourceID> woken = new ArrayList<>();
    slots.onFree(woken::add);
    slots.tryAcquire(id("a"));
    slots.tryAcquire(id("b"));
    assertThat(slots.failed(id("a"), "pod a-1 is not running"))
        .as("news: the rollout pauses")
        .isTrue();
    assertThat(slots.failed(id("b"), "another")).as("paused already").isFalse();
    assertThat(slots.tryAcquire(id("b"))).as("a roll under way goes on").isTrue();
    assertThat(slots.tryAcquire(id("c"))).isFalse();
    assertThat(slots.rollout().phase()).isEqualTo(RollingUpdateSlots.Phase.PAUSED);
    assertThat(slots.rollout().pausedBy()).contains("default/a");
    assertThat(slots.whyWaiting())
        .contains(
            "paused", "default/a", "pod a-1 is not running", RollingUpdateSlots.RESUME_ANNOTATION);
    slots.completed(id("b"));
    assertThat(woken).as("no new roll while paused").isEmpty();

    slots.resume();
    assertThat(woken).containsExactly(id("c"));
    assertThat(slots.tryAcquire(id("c"))).isTrue();
  }

  @Test
  void withoutPauseOnFailureTheOthersGoOn() {
    RollingUpdateSlots slots = new RollingUpdateSlots(1, 0, false);
    slots.tryAcquire(id("a"));
    assertThat(slots.failed(id("a"), "stuck")).isFalse();
    assertThat(slots.paused()).isFalse();
  }
}
