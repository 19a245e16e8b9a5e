package dev.cornac.operator.deletion;

import dev.cornac.api.config.OperatorConfig;
import dev.cornac.api.model.Postgresql;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;

/**
 * Upstream's delete protection (upstream: pkg/controller/controller.go,
 * meetsClusterDeleteAnnotations): with {@code delete_annotation_date_key} the resource must carry
 * that annotation equal to today's date, with {@code delete_annotation_name_key} one equal to its
 * name. Unlike upstream, Cornac holds the resource with a finalizer until the annotations are
 * there, instead of letting it vanish.
 */
public final class DeleteProtection {
  private final OperatorConfig config;
  private final Clock clock;

  public DeleteProtection(OperatorConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  public boolean configured() {
    return !config.string("delete_annotation_date_key").isEmpty()
        || !config.string("delete_annotation_name_key").isEmpty();
  }

  /**
   * Why deletion is refused, naming the annotations that would allow it; empty when it may proceed.
   */
  public Optional<String> refusal(Postgresql pg) {
    Map<String, String> a =
        pg.getMetadata().getAnnotations() == null ? Map.of() : pg.getMetadata().getAnnotations();
    String dateKey = config.string("delete_annotation_date_key");
    String nameKey = config.string("delete_annotation_name_key");
    String today = LocalDate.now(clock).toString();
    StringBuilder missing = new StringBuilder();
    if (!dateKey.isEmpty() && !today.equals(a.get(dateKey))) {
      missing.append(dateKey).append("=").append(today);
    }
    if (!nameKey.isEmpty() && !pg.getMetadata().getName().equals(a.get(nameKey))) {
      missing
          .append(missing.length() > 0 ? " and " : "")
          .append(nameKey)
          .append("=")
          .append(pg.getMetadata().getName());
    }
    if (missing.length() == 0) {
      return Optional.empty();
    }
    return Optional.of(
        "deletion of cluster "
            + pg.getMetadata().getName()
            + " is protected: annotate it with "
            + missing
            + " to let it go (kubectl annotate postgresql "
            + pg.getMetadata().getName()
            + " ...)");
  }
}
