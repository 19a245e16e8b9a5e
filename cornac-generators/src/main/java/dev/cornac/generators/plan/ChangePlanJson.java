package dev.cornac.generators.plan;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/** A plan as JSON, the one shape of {@code cornac diff -o json} and the UI's edit page. */
public final class ChangePlanJson {
  private ChangePlanJson() {}

  /**
   * @param against what the plan was computed against (a file, the live cluster, the stored
   *     resource)
   */
  public static ObjectNode of(ChangePlan plan, String against) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    root.put("cluster", plan.cluster());
    root.put("against", against);
    root.put("changes", !plan.changesNothing());
    strings(root.putArray("refused"), plan.refused());
    ArrayNode objects = root.putArray("objects");
    for (ChangePlan.ObjectChange o : plan.objects()) {
      ObjectNode n = objects.addObject();
      n.put("kind", o.kind());
      n.put("name", o.name());
      n.put("action", o.action().name().toLowerCase(Locale.ROOT));
      strings(n.putArray("fields"), o.fields());
    }
    strings(root.putArray("podRestarts"), plan.podRestarts());
    plan.switchover()
        .ifPresentOrElse(s -> root.put("switchover", s), () -> root.putNull("switchover"));
    strings(root.putArray("scaling"), plan.scaling());
    strings(root.putArray("waits"), plan.waits());
    strings(root.putArray("inside"), plan.inside());
    return root;
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }
}
