package dev.cornac.generators.plan;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;

/**
 * Upstream's pod annotation for "recreate this pod in the next rolling update": written before a
 * roll starts, so that the roll survives an operator restart, and read by the operator, the CLI,
 * the API and {@code cornac diff}.
 */
public final class RollingUpdateMark {
  public static final String ANNOTATION = "zalando-postgres-operator-rolling-update-required";

  private RollingUpdateMark() {}

  public static boolean isMarked(Pod pod) {
    Map<String, String> a = pod.getMetadata().getAnnotations();
    return a != null && "true".equalsIgnoreCase(a.get(ANNOTATION));
  }
}
