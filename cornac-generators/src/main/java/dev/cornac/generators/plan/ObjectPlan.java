package dev.cornac.generators.plan;

import java.util.List;

/**
 * The writes of one pass, in upstream's creation order, decided from the desired state and one
 * observation; {@code statefulSet} is the StatefulSet's decision, which the rolling update and
 * {@code cornac diff} read too.
 */
public record ObjectPlan(List<ObjectStep> steps, StatefulSetChange statefulSet) {
  public ObjectPlan {
    steps = List.copyOf(steps);
  }
}
