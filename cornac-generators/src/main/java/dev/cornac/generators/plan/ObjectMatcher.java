package dev.cornac.generators.plan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.api.quantity.Quantities;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Does the live object already say what we want? Every field we set must be present with the same
 * value; fields the API server adds (defaults, status, clusterIP …) are ignored; lists must have
 * the same length; quantities are compared by amount under {@code resources}/{@code storage};
 * integers and numeric strings of an IntOrString are equal. This is what keeps a resync from
 * rewriting objects in a loop.
 */
public final class ObjectMatcher {
  private ObjectMatcher() {}

  public static boolean covers(Object desired, Object actual) {
    return covers(ManifestMapper.tree(desired), ManifestMapper.tree(actual), "");
  }

  /**
   * Where the live object does not say what we want: the paths (e.g. {@code
   * .spec.template.spec.containers[0].image}) of the smallest parts that differ, by the same rules
   * as {@link #covers}.
   */
  public static List<String> differences(Object desired, Object actual) {
    List<String> out = new ArrayList<>();
    collect(ManifestMapper.tree(desired), ManifestMapper.tree(actual), "", out);
    return out;
  }

  private static void collect(JsonNode desired, JsonNode actual, String path, List<String> out) {
    if (covers(desired, actual, path)) {
      return;
    }
    if (desired.isObject() && actual != null && actual.isObject() && !desired.isEmpty()) {
      desired
          .fields()
          .forEachRemaining(
              f -> collect(f.getValue(), actual.get(f.getKey()), path + "." + f.getKey(), out));
    } else if (desired.isArray()
        && actual != null
        && actual.isArray()
        && actual.size() == desired.size()) {
      for (int i = 0; i < desired.size(); i++) {
        collect(desired.get(i), actual.get(i), path + "[" + i + "]", out);
      }
    } else {
      out.add(path.isEmpty() ? "." : path);
    }
  }

  public static boolean covers(JsonNode desired, JsonNode actual, String path) {
    if (desired == null || desired.isNull() || desired.isMissingNode()) {
      return true;
    }
    if (isEmptyContainer(desired)) {
      return actual == null
          || actual.isMissingNode()
          || actual.isNull()
          || isEmptyContainer(actual)
          || desired.isObject() && actual.isObject();
    }
    if (actual == null || actual.isMissingNode() || actual.isNull()) {
      return false;
    }
    if (desired.isObject()) {
      if (!actual.isObject()) {
        return false;
      }
      Iterator<Map.Entry<String, JsonNode>> fields = desired.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        if (!covers(f.getValue(), actual.get(f.getKey()), path + "." + f.getKey())) {
          return false;
        }
      }
      return true;
    }
    if (desired.isArray()) {
      if (!actual.isArray() || actual.size() != desired.size()) {
        return false;
      }
      for (int i = 0; i < desired.size(); i++) {
        if (!covers(desired.get(i), actual.get(i), path + "[" + i + "]")) {
          return false;
        }
      }
      return true;
    }
    return scalarEquals(desired, actual, path);
  }

  private static boolean scalarEquals(JsonNode desired, JsonNode actual, String path) {
    if (desired.equals(actual)) {
      return true;
    }
    String d = desired.asText();
    String a = actual.asText();
    if (d.equals(a) && (desired.isNumber() || actual.isNumber())) {
      return true;
    }
    if (path.contains(".resources.")
        || path.contains(".storage")
        || path.contains("requests.")
        || path.contains("limits.")) {
      try {
        return Quantities.compare(d, a) == 0;
      } catch (RuntimeException e) {
        return false;
      }
    }
    return false;
  }

  private static boolean isEmptyContainer(JsonNode n) {
    return (n.isObject() || n.isArray()) && n.isEmpty();
  }
}
