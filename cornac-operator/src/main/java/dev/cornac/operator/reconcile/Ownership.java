package dev.cornac.operator.reconcile;

import dev.cornac.api.model.Postgresql;
import java.util.Map;

/**
 * Which operator handles a cluster (upstream: pkg/controller/controller.go, hasOwnership): the one
 * whose {@code CONTROLLER_ID} equals the {@code acid.zalan.do/controller} annotation; resources
 * without it belong to the operator without an id.
 */
public record Ownership(String controllerId) {
  public static final String CONTROLLER_ANNOTATION = "acid.zalan.do/controller";

  public boolean owns(Postgresql pg) {
    Map<String, String> a = pg.getMetadata().getAnnotations();
    String owner = a == null ? null : a.get(CONTROLLER_ANNOTATION);
    return owner == null ? controllerId.isEmpty() : owner.equals(controllerId);
  }
}
