package dev.cornac.operator.switchover;

import dev.cornac.operator.reconcile.Reconciliation;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests made by annotating the {@code postgresql} resource: the value is the request's identity,
 * handled once and reported as a status condition whose message starts with the quoted value.
 * Requests handled by this process are also remembered by resource uid: the status written
 * afterwards may reach the cache after the events the request itself causes, and a request must
 * never run twice.
 */
final class AnnotationRequests {
  private final String annotation;
  private final String conditionType;
  private final Map<String, String> handledHere = new ConcurrentHashMap<>();
  private final Map<String, Instant> triedSince = new ConcurrentHashMap<>();

  AnnotationRequests(String annotation, String conditionType) {
    this.annotation = annotation;
    this.conditionType = conditionType;
  }

  /** The annotation's value now, handled or not. */
  Optional<String> current(Reconciliation r) {
    String raw = r.cluster().annotations().get(annotation);
    return raw == null || raw.isBlank() ? Optional.empty() : Optional.of(raw.strip());
  }

  /** The value of a request not handled yet, now marked as handled by this process. */
  Optional<String> take(Reconciliation r) {
    String raw = r.cluster().annotations().get(annotation);
    if (raw == null || raw.isBlank()) {
      return Optional.empty();
    }
    String value = raw.strip();
    if (value.equals(handledHere.get(r.cluster().uid())) || reported(r, value)) {
      return Optional.empty();
    }
    handledHere.put(r.cluster().uid(), value);
    return Optional.of(value);
  }

  /**
   * The request could not be carried out yet (Patroni said "not yet"): it is taken again at the
   * next pass, for as long as {@code patience} from its first try.
   *
   * @return false when the patience is used up: the caller reports it as failed
   */
  boolean retryLater(Reconciliation r, String value, Duration patience, Instant now) {
    Instant first = triedSince.computeIfAbsent(r.cluster().uid() + "\n" + value, k -> now);
    if (Duration.between(first, now).compareTo(patience) >= 0) {
      triedSince.remove(r.cluster().uid() + "\n" + value);
      return false;
    }
    handledHere.remove(r.cluster().uid(), value);
    return true;
  }

  /** The request is settled (succeeded, failed, scheduled): its retry clock goes. */
  void settled(Reconciliation r, String value) {
    triedSince.remove(r.cluster().uid() + "\n" + value);
  }

  private boolean reported(Reconciliation r, String value) {
    var status = r.resource().getStatus();
    return status != null
        && status.conditions != null
        && status.conditions.stream()
            .anyMatch(
                c ->
                    conditionType.equals(c.getType())
                        && c.getMessage() != null
                        && c.getMessage().startsWith(prefix(value)));
  }

  static String prefix(String value) {
    return "\"" + value + "\": ";
  }

  Condition condition(String value, boolean ok, String reason, String outcome) {
    return new ConditionBuilder()
        .withType(conditionType)
        .withStatus(ok ? "True" : "False")
        .withReason(reason)
        .withMessage(prefix(value) + outcome)
        .build();
  }
}
