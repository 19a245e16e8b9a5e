package dev.cornac.operator.kubernetes;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;

/**
 * Client-side QPS/burst (upstream's {@code -kubeqps}/{@code -kubeburst}), a token bucket in front
 * of every request. Watches are long-lived and are not throttled after they start; a rate of 0 or
 * less disables throttling.
 */
public final class RequestRateLimiter implements Interceptor {
  private final double permitsPerNano;
  private final double burst;
  private double tokens;
  private long last = System.nanoTime();

  public RequestRateLimiter(double qps, int burst) {
    this.permitsPerNano = qps / 1e9;
    this.burst = Math.max(1, burst);
    this.tokens = this.burst;
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    if (permitsPerNano <= 0) {
      return;
    }
    long waitNanos;
    synchronized (this) {
      long now = System.nanoTime();
      tokens = Math.min(burst, tokens + (now - last) * permitsPerNano);
      last = now;
      tokens -= 1;
      waitNanos = tokens >= 0 ? 0 : (long) (-tokens / permitsPerNano);
    }
    if (waitNanos > 0) {
      try {
        Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
