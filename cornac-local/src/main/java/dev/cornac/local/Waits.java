package dev.cornac.local;

import dev.cornac.dataplane.wait.Poll;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The local runtime's waits ({@link Poll}): a probe's failure is "not yet" unless it is the
 * runtime's own error, and a wait that never ends says where to look.
 */
final class Waits {
  private Waits() {}

  static <T> T until(
      Duration timeout, Duration interval, Supplier<Optional<T>> probe, Supplier<String> onTimeout)
      throws InterruptedException {
    return Poll.until(
        timeout,
        interval,
        probe,
        e -> !(e instanceof LocalRuntimeException),
        () -> new LocalRuntimeException(onTimeout.get()));
  }
}
