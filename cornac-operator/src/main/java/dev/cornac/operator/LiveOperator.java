package dev.cornac.operator;

import dev.cornac.api.config.OperatorConfig;
import dev.cornac.operator.config.ConfigurationStatus;
import dev.cornac.operator.config.ConfigurationWatch;
import dev.cornac.operator.config.OperatorConfigLoader;
import dev.cornac.operator.events.EventRecorder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator as it runs in production: its configuration applied live. A change of the ConfigMap
 * or OperatorConfiguration that validates replaces the running {@link CornacOperator} by one built
 * on the new revision, in the same process (caches are listed again, member operations resume from
 * what the pods show, as after a restart); one that does not validate is refused and the running
 * one stays ({@link ConfigurationWatch}). How many clusters then roll at once is bounded by {@code
 * max_concurrent_rolling_updates}.
 */
public final class LiveOperator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LiveOperator.class);

  private final KubernetesClient client;
  private final CornacOperator.Options options;
  private final ConfigurationStatus configuration;
  private final EventRecorder events;
  private final ConfigurationWatch watch;

  /** Changes are applied one after the other, off the watch's thread. */
  private final ExecutorService applier =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "cornac-configuration");
            t.setDaemon(true);
            return t;
          });

  private volatile CornacOperator current;
  private volatile boolean closed;

  public LiveOperator(KubernetesClient client, CornacOperator.Options options) {
    this.client = client;
    this.options = options;
    OperatorConfigLoader.Loaded loaded = OperatorConfigLoader.read(client, options.environment());
    this.configuration = new ConfigurationStatus(loaded.revision());
    this.current = new CornacOperator(client, options, loaded.config(), configuration);
    this.events = new EventRecorder(client);
    this.watch =
        new ConfigurationWatch(
            client,
            options.environment(),
            loaded,
            configuration,
            events,
            options.clock(),
            next -> applier.execute(() -> apply(next)),
            () -> applier.execute(() -> current.reconciler().rollingSlots().resume()));
  }

  public void start() {
    current.start();
    watch.start();
  }

  /** The operator running now (a new one after each applied change). */
  public CornacOperator current() {
    return current;
  }

  public ConfigurationStatus configuration() {
    return configuration;
  }

  private void apply(OperatorConfigLoader.Loaded next) {
    if (closed) {
      return;
    }
    CornacOperator before = current;
    List<String> changed = changedKeys(before.config(), next.config());
    LOG.info(
        "configuration revision {} changes {}: applying it without a restart",
        next.revision(),
        changed.isEmpty() ? "nothing the operator reads" : String.join(", ", changed));
    before.close();
    String previous = configuration.revision();
    configuration.applied(next.revision());
    try {
      CornacOperator after = new CornacOperator(client, options, next.config(), configuration);
      current = after;
      after.start();
    } catch (RuntimeException e) {
      // The new revision validated but the operator could not start on it (its CRD could not be
      // updated, say): the
      // previous one runs again, and the next change is tried as usual.
      LOG.error(
          "configuration revision {} could not be applied ({}); running revision {} again",
          next.revision(),
          e.getMessage(),
          previous);
      configuration.revertedTo(previous);
      CornacOperator again = new CornacOperator(client, options, before.config(), configuration);
      current = again;
      again.start();
    }
  }

  static List<String> changedKeys(OperatorConfig before, OperatorConfig after) {
    TreeSet<String> keys = new TreeSet<>(before.asMap().keySet());
    keys.addAll(after.asMap().keySet());
    keys.removeIf(k -> Objects.equals(before.asMap().get(k), after.asMap().get(k)));
    return List.copyOf(keys);
  }

  @Override
  public void close() {
    closed = true;
    watch.close();
    applier.shutdown();
    try {
      applier.awaitTermination(
          options.terminationTimeout().toMillis() + 5000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    current.close();
    events.close();
  }
}
