package dev.cornac.dataplane.wait;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The one way to wait for something to hold, for the places where blocking is right (the CLI, the
 * local runtime; never a reconcile pass, which reschedules instead): look, and look again every
 * {@code interval} until a deadline.
 */
public final class Poll {
  private Poll() {}

  /**
   * The probe's first answer, or empty once {@code timeout} has passed; an exception the probe
   * throws counts as "not yet" when {@code notYet} says so, and ends the wait otherwise.
   */
  public static <T> Optional<T> within(
      Duration timeout,
      Duration interval,
      Supplier<Optional<T>> probe,
      Predicate<RuntimeException> notYet)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<T> result;
      try {
        result = probe.get();
      } catch (RuntimeException e) {
        if (!notYet.test(e)) {
          throw e;
        }
        result = Optional.empty();
      }
      if (result.isPresent() || System.nanoTime() - deadline > 0) {
        return result;
      }
      Thread.sleep(interval.toMillis());
    }
  }

  /**
   * As {@link #within}, throwing what {@code onTimeout} gives (which says what did not happen and
   * where to look).
   */
  public static <T> T until(
      Duration timeout,
      Duration interval,
      Supplier<Optional<T>> probe,
      Predicate<RuntimeException> notYet,
      Supplier<? extends RuntimeException> onTimeout)
      throws InterruptedException {
    return within(timeout, interval, probe, notYet).orElseThrow(onTimeout);
  }
}
