package dev.cornac.operator.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestRateLimiterTest {
  @Test
  void burstPassesAtOnceThenRequestsAreSpacedByTheRate() {
    RequestRateLimiter limiter = new RequestRateLimiter(50, 5);
    long start = System.nanoTime();
    for (int i = 0; i < 5; i++) {
      limiter.before(null, null, null);
    }
    long burst = System.nanoTime() - start;
    for (int i = 0; i < 10; i++) {
      limiter.before(null, null, null);
    }
    long total = System.nanoTime() - start;
    assertThat(burst).isLessThan(50_000_000L);
    assertThat(total)
        .as("10 requests beyond the burst at 50/s take about 200 ms")
        .isBetween(150_000_000L, 1_000_000_000L);
  }

  @Test
  void zeroRateDisablesThrottling() {
    RequestRateLimiter limiter = new RequestRateLimiter(0, 1);
    long start = System.nanoTime();
    for (int i = 0; i < 1000; i++) {
      limiter.before(null, null, null);
    }
    assertThat(System.nanoTime() - start).isLessThan(100_000_000L);
  }
}
