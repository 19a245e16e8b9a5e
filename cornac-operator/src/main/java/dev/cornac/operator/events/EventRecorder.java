package dev.cornac.operator.events;

import dev.cornac.api.model.Postgresql;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events on the {@code postgresql} resource, with upstream's source component and
 * reasons (upstream: pkg/controller/controller.go, NewController; the eventRecorder calls in
 * pkg/cluster/cluster.go and pkg/cluster/sync.go). Only actions and failures produce events, so an
 * idle resync writes none. Events are best effort, as in client-go: they are sent from a bounded
 * queue by their own client and rate limit, so that a burst of creations never spends the budget of
 * the objects themselves; a full queue drops events, a failure is logged.
 */
public final class EventRecorder {
  public static final String COMPONENT = "postgres-operator";
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);

  static final int QUEUE = 2000;

  private final KubernetesClient client;
  private final ThreadPoolExecutor sender =
      new ThreadPoolExecutor(
          1,
          1,
          0,
          TimeUnit.SECONDS,
          new ArrayBlockingQueue<>(QUEUE),
          r -> {
            Thread t = new Thread(r, "cornac-events");
            t.setDaemon(true);
            return t;
          },
          (task, pool) -> LOG.debug("event queue full, an event was dropped"));

  public EventRecorder(KubernetesClient client) {
    this.client = client;
  }

  /** Drops the events not sent yet; called before the event client is closed. */
  public void close() {
    sender.shutdownNow();
  }

  /** Waits until queued events are sent (tests, shutdown). */
  public void flush(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while ((!sender.getQueue().isEmpty() || sender.getActiveCount() > 0)
        && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  public void normal(Postgresql pg, String reason, String message) {
    record(pg, "Normal", reason, message);
  }

  public void warning(Postgresql pg, String reason, String message) {
    record(pg, "Warning", reason, message);
  }

  /** A Warning about another object than a cluster: the operator's configuration, say. */
  public void warning(HasMetadata involved, String reason, String message) {
    record(involved, "Warning", reason, message);
  }

  private void record(HasMetadata involved, String type, String reason, String message) {
    String ns = involved.getMetadata().getNamespace();
    String name = involved.getMetadata().getName();
    String now =
        DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    Event event =
        new EventBuilder()
            .withNewMetadata()
            .withName(name + "." + Long.toHexString(System.nanoTime()))
            .withNamespace(ns)
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(HasMetadata.getApiVersion(involved.getClass()))
                    .withKind(HasMetadata.getKind(involved.getClass()))
                    .withName(name)
                    .withNamespace(ns)
                    .withUid(involved.getMetadata().getUid())
                    .withResourceVersion(involved.getMetadata().getResourceVersion())
                    .build())
            .withType(type)
            .withReason(reason)
            .withMessage(message)
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .withReportingComponent(COMPONENT)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .build();
    sender.execute(
        () -> {
          try {
            client.v1().events().inNamespace(ns).resource(event).create();
          } catch (RuntimeException e) {
            LOG.warn(
                "{} {}/{}: could not record event {} ({})",
                HasMetadata.getKind(involved.getClass()),
                ns,
                name,
                reason,
                e.getMessage());
          }
        });
  }
}
