package dev.cornac.operator.config;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which revision of the operator configuration runs and what became of its changes since start:
 * shown in {@code /config/} and the metrics, kept across the rebuilds a change causes.
 */
public final class ConfigurationStatus {
  /** A change that was not applied: its revision and why. */
  public record Refusal(String revision, String reason, Instant at) {}

  private volatile String revision;
  private volatile Optional<Refusal> lastRefusal = Optional.empty();
  private final AtomicLong applied = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();

  public ConfigurationStatus(String revision) {
    this.revision = revision;
  }

  public String revision() {
    return revision;
  }

  public long applied() {
    return applied.get();
  }

  public long refused() {
    return refused.get();
  }

  public Optional<Refusal> lastRefusal() {
    return lastRefusal;
  }

  /** A new revision runs from now on. */
  public void applied(String revision) {
    this.revision = revision;
    applied.incrementAndGet();
  }

  /** A revision that was applied could not run after all: the previous one runs again. */
  public void revertedTo(String revision) {
    this.revision = revision;
    applied.decrementAndGet();
  }

  void refused(String revision, String reason, Instant at) {
    lastRefusal = Optional.of(new Refusal(revision, reason, at));
    refused.incrementAndGet();
  }
}
