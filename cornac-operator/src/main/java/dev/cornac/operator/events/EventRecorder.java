package dev.cornac.operator.events;

import dev.cornac.api.model.Postgresql;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events on the {@code postgresql} resource, with upstream's source component and reasons (reference
 * a.9). Only actions and failures produce events, so an idle resync writes none. A failure to record an event is
 * logged and never fails the reconciliation.
 */
public final class EventRecorder {
  public static final String COMPONENT = "postgres-operator";
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);

  private final KubernetesClient client;

  public EventRecorder(KubernetesClient client) {
    this.client = client;
  }

  public void normal(Postgresql pg, String reason, String message) {
    record(pg, "Normal", reason, message);
  }

  public void warning(Postgresql pg, String reason, String message) {
    record(pg, "Warning", reason, message);
  }

  private void record(Postgresql pg, String type, String reason, String message) {
    String ns = pg.getMetadata().getNamespace();
    String now = DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    Event event = new EventBuilder()
        .withNewMetadata()
          .withName(pg.getMetadata().getName() + "." + Long.toHexString(System.nanoTime()))
          .withNamespace(ns)
        .endMetadata()
        .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(Postgresql.API_VERSION)
            .withKind(Postgresql.KIND).withName(pg.getMetadata().getName()).withNamespace(ns)
            .withUid(pg.getMetadata().getUid()).withResourceVersion(pg.getMetadata().getResourceVersion()).build())
        .withType(type).withReason(reason).withMessage(message)
        .withNewSource().withComponent(COMPONENT).endSource()
        .withReportingComponent(COMPONENT)
        .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
        .build();
    try {
      client.v1().events().inNamespace(ns).resource(event).create();
    } catch (KubernetesClientException e) {
      LOG.warn("cluster {}/{}: could not record event {} ({})", ns, pg.getMetadata().getName(), reason, e.getMessage());
    }
  }
}
