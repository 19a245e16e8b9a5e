package dev.cornac.operator.reconcile;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cornac.generators.plan.ObjectPlan;
import dev.cornac.generators.plan.ObjectStep;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * The act step for objects: each {@link ObjectStep} of a plan becomes its one write, through {@link
 * KubernetesWriter}, in the plan's order; each is recorded (a log line and an Event, or a note in
 * the status) once it is done. A refused write stops the pass, as before: the rest waits for the
 * next one.
 */
public final class PlanExecutor {
  private PlanExecutor() {}

  public static void act(Reconciliation r, ObjectPlan plan) {
    for (ObjectStep step : plan.steps()) {
      write(r.writer(), step);
      if (step.event() != null) {
        r.acted(step.event(), step.message());
      } else if (step.message() != null) {
        r.note(step.message());
      }
    }
  }

  private static void write(KubernetesWriter writer, ObjectStep step) {
    if (step instanceof ObjectStep.Create create) {
      if (create.shared()) {
        writer.createShared(create.object());
      } else {
        writer.create(create.object());
      }
    } else if (step instanceof ObjectStep.Update update) {
      update(writer, update.object(), update.live());
    } else if (step instanceof ObjectStep.PatchMetadata patch) {
      writer.patchMetadata(
          patch.live(), patch.labels(), patch.annotations(), patch.ownerReferences());
    } else if (step instanceof ObjectStep.Recreate recreate) {
      if (recreate.keepDependents()) {
        writer.deleteOrphaningDependents(recreate.live());
      } else {
        writer.delete(recreate.live());
      }
      writer.create(recreate.object());
    } else if (step instanceof ObjectStep.Delete delete) {
      writer.delete(delete.live());
    } else if (step instanceof ObjectStep.Resize resize) {
      ObjectNode patch = JsonNodeFactory.instance.objectNode();
      patch
          .putObject("spec")
          .putObject("resources")
          .putObject("requests")
          .put("storage", resize.size());
      writer.mergePatch(resize.live(), patch);
    } else if (step instanceof ObjectStep.SetSecretData data) {
      writer.editSecretData(data.live(), data.put(), data.remove());
    } else if (step instanceof ObjectStep.MarkPod mark) {
      writer.markForRollingUpdate(mark.pod());
    }
    // ObjectStep.Note writes nothing.
  }

  @SuppressWarnings("unchecked")
  private static <R extends HasMetadata> void update(
      KubernetesWriter writer, HasMetadata desired, HasMetadata live) {
    writer.update((R) desired, (R) live);
  }
}
