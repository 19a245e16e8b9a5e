package dev.cornac.operator.activity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.api.model.Postgresql;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import java.util.zip.CRC32;

/**
 * What the reconciler is doing and has done, per cluster, for the operator API and the metrics: the
 * pass in progress, the last successful sync, failures, the generations handled and the spec
 * changes applied (upstream's cluster history). Clusters map to {@code workers} numbered workers by
 * a hash of their key, as upstream assigns them, so the API can show upstream's worker views
 * although JOSDK runs them on a shared pool.
 */
public final class ReconcileActivity {
  private static final int HISTORY = 100;

  public record Key(String namespace, String name) {
    @Override
    public String toString() {
      return namespace + "/" + name;
    }

    public static Key of(Postgresql pg) {
      return new Key(pg.getMetadata().getNamespace(), pg.getMetadata().getName());
    }
  }

  /** A pass in progress: upstream's {@code CurrentProcess}. */
  public record Running(String process, Instant startTime) {}

  /** One applied spec change: when it was seen, when it was processed, and the changed fields. */
  public record Change(Instant eventTime, Instant processTime, List<String> diff) {}

  /** The last outcome of a cluster's passes. */
  public record Record(
      String uid,
      Long generation,
      Optional<Instant> lastSuccess,
      Optional<String> lastError,
      long failures) {}

  private final Clock clock;
  private final int workers;
  private final Map<Key, Running> running = new ConcurrentHashMap<>();
  private final Map<Key, long[]> passes = new ConcurrentHashMap<>();
  private final Map<Key, Record> records = new ConcurrentHashMap<>();
  private final Map<Key, JsonNode> appliedSpecs = new ConcurrentHashMap<>();
  private final Map<Key, Deque<Change>> history = new ConcurrentHashMap<>();
  private final AtomicReference<Instant> lastSyncTime = new AtomicReference<>();

  /** A pass starts and ends on its worker thread. */
  private final ThreadLocal<Long> passStart = ThreadLocal.withInitial(System::nanoTime);

  private volatile LongConsumer onPassEnded = nanos -> {};

  public ReconcileActivity(Clock clock, int workers) {
    this.clock = clock;
    this.workers = Math.max(1, workers);
  }

  public int workers() {
    return workers;
  }

  /** The worker a cluster belongs to: a stable hash of its key. */
  public int workerOf(Key key) {
    CRC32 crc = new CRC32();
    crc.update(key.toString().getBytes(StandardCharsets.UTF_8));
    return (int) (crc.getValue() % workers);
  }

  public void started(Postgresql pg, String process) {
    running.put(Key.of(pg), new Running(process, clock.instant()));
    passStart.set(System.nanoTime());
    count(Key.of(pg), 0);
  }

  public void ended(Postgresql pg) {
    running.remove(Key.of(pg));
    count(Key.of(pg), 1);
    onPassEnded.accept(System.nanoTime() - passStart.get());
  }

  private void count(Key key, int which) {
    long[] counts = passes.computeIfAbsent(key, k -> new long[2]);
    synchronized (counts) {
      counts[which]++;
    }
  }

  /**
   * Passes of a cluster so far: {@code [started, ended]}. What the tests of "nothing happens" wait
   * on (a pass that began after the change has ended), rather than on a fixed sleep.
   */
  public long[] passes(Key key) {
    long[] counts = passes.getOrDefault(key, new long[2]);
    synchronized (counts) {
      return counts.clone();
    }
  }

  /** Called with the worker time of every pass (nanoseconds), for the metrics. */
  public void onPassEnded(LongConsumer listener) {
    this.onPassEnded = listener;
  }

  /** A pass's outcome; a success with a new spec records the change in the cluster's history. */
  public void finished(Postgresql pg, boolean success, String message) {
    Key key = Key.of(pg);
    Instant now = clock.instant();
    lastSyncTime.set(now);
    Record before = records.get(key);
    long failures = before == null ? 0 : before.failures();
    if (success) {
      JsonNode spec = ManifestMapper.json().valueToTree(pg.getSpec());
      JsonNode previous = appliedSpecs.put(key, spec);
      if (previous != null && !previous.equals(spec)) {
        Deque<Change> changes = history.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (changes) {
          Instant seen = running.containsKey(key) ? running.get(key).startTime() : now;
          changes.addLast(new Change(seen, now, SpecDiff.lines(previous, spec)));
          while (changes.size() > HISTORY) {
            changes.removeFirst();
          }
        }
      }
      records.put(
          key,
          new Record(
              pg.getMetadata().getUid(),
              pg.getMetadata().getGeneration(),
              Optional.of(now),
              Optional.empty(),
              failures));
    } else {
      records.put(
          key,
          new Record(
              pg.getMetadata().getUid(),
              pg.getMetadata().getGeneration(),
              before == null ? Optional.empty() : before.lastSuccess(),
              Optional.of(message),
              failures + 1));
    }
  }

  /** A deleted cluster leaves no trace (its metrics series end). */
  public void forget(Key key) {
    passes.remove(key);
    running.remove(key);
    records.remove(key);
    appliedSpecs.remove(key);
    history.remove(key);
  }

  public Optional<Running> running(Key key) {
    return Optional.ofNullable(running.get(key));
  }

  public Map<Key, Running> runningNow() {
    return Map.copyOf(running);
  }

  public Optional<Record> record(Key key) {
    return Optional.ofNullable(records.get(key));
  }

  public Map<Key, Record> records() {
    return Map.copyOf(records);
  }

  public List<Change> history(Key key) {
    Deque<Change> changes = history.get(key);
    if (changes == null) {
      return List.of();
    }
    synchronized (changes) {
      return new ArrayList<>(changes);
    }
  }

  public Optional<Instant> lastSyncTime() {
    return Optional.ofNullable(lastSyncTime.get());
  }

  /**
   * Whether a cluster waits for a pass, and why: never handled (ADD), a spec not yet handled
   * (UPDATE), or a failed pass to retry (SYNC). Empty when it is running or up to date.
   */
  public Optional<String> pending(Postgresql pg) {
    Key key = Key.of(pg);
    if (running.containsKey(key)) {
      return Optional.empty();
    }
    Record r = records.get(key);
    if (r == null) {
      return Optional.of("ADD");
    }
    if (!Objects.equals(r.generation(), pg.getMetadata().getGeneration())) {
      return Optional.of("UPDATE");
    }
    return r.lastError().isPresent() ? Optional.of("SYNC") : Optional.empty();
  }
}
