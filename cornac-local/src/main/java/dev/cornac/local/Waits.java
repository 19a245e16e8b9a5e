package dev.cornac.local;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/** Polling until something holds, with a deadline and a message that says where to look when it never does. */
final class Waits {
  private Waits() {}

  static <T> T until(Duration timeout, Duration interval, Supplier<Optional<T>> probe, Supplier<String> onTimeout)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      Optional<T> result;
      try {
        result = probe.get();
      } catch (LocalRuntimeException e) {
        throw e;
      } catch (RuntimeException e) {
        result = Optional.empty();
      }
      if (result.isPresent()) {
        return result.get();
      }
      if (Instant.now().isAfter(deadline)) {
        throw new LocalRuntimeException(onTimeout.get());
      }
      Thread.sleep(interval.toMillis());
    }
  }
}
