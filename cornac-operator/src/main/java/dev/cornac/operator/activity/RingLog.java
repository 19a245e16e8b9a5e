package dev.cornac.operator.activity;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The last log lines of each cluster and each worker, kept in memory for the operator API and the
 * UI (upstream's ring logs, {@code ring_log_lines} each). A line belongs to the cluster named in
 * the logging thread's MDC, which the reconciler sets for the length of a pass; lines outside a
 * pass are not kept.
 */
public final class RingLog extends AppenderBase<ILoggingEvent> {
  public static final String MDC_CLUSTER = "cluster";
  public static final String MDC_WORKER = "worker";

  public record Line(Instant time, String level, String cluster, Integer worker, String message) {}

  private final int size;
  private final Map<String, Deque<Line>> byCluster = new ConcurrentHashMap<>();
  private final Map<Integer, Deque<Line>> byWorker = new ConcurrentHashMap<>();

  public RingLog(int size) {
    this.size = Math.max(1, size);
    setName("cornac-ring-log");
  }

  /** Attaches a ring log to the root logger when Logback is the logging backend; null otherwise. */
  public static RingLog attach(int size) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return null;
    }
    RingLog ring = new RingLog(size);
    ring.setContext(context);
    ring.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(ring);
    return ring;
  }

  public void detach() {
    if (getContext() instanceof LoggerContext context) {
      context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(this);
    }
    stop();
  }

  /** Runs {@code body} with its log lines attributed to a cluster and its worker. */
  public static <T> T within(String cluster, int worker, Supplier<T> body) {
    try (var c = MDC.putCloseable(MDC_CLUSTER, cluster);
        var w = MDC.putCloseable(MDC_WORKER, Integer.toString(worker))) {
      return body.get();
    }
  }

  @Override
  protected void append(ILoggingEvent event) {
    Map<String, String> mdc = event.getMDCPropertyMap();
    String cluster = mdc == null ? null : mdc.get(MDC_CLUSTER);
    if (cluster == null) {
      return;
    }
    Integer worker = null;
    try {
      worker = mdc.get(MDC_WORKER) == null ? null : Integer.valueOf(mdc.get(MDC_WORKER));
    } catch (NumberFormatException e) {
      // not ours
    }
    Line line =
        new Line(
            Instant.ofEpochMilli(event.getTimeStamp()),
            level(event),
            cluster,
            worker,
            event.getFormattedMessage());
    add(byCluster.computeIfAbsent(cluster, k -> new ArrayDeque<>()), line);
    if (worker != null) {
      add(byWorker.computeIfAbsent(worker, k -> new ArrayDeque<>()), line);
    }
  }

  /** Upstream's level names. */
  private static String level(ILoggingEvent event) {
    return switch (event.getLevel().toString()) {
      case "WARN" -> "warning";
      default -> event.getLevel().toString().toLowerCase(Locale.ROOT);
    };
  }

  private void add(Deque<Line> ring, Line line) {
    synchronized (ring) {
      ring.addLast(line);
      while (ring.size() > size) {
        ring.removeFirst();
      }
    }
  }

  public List<Line> cluster(String key) {
    return copy(byCluster.get(key));
  }

  public List<Line> worker(int id) {
    return copy(byWorker.get(id));
  }

  public void forget(String cluster) {
    byCluster.remove(cluster);
  }

  private static List<Line> copy(Deque<Line> ring) {
    if (ring == null) {
      return List.of();
    }
    synchronized (ring) {
      return new ArrayList<>(ring);
    }
  }
}
