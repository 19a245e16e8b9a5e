package dev.cornac.operator.activity;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The changed fields between two specs, one line per leaf: {@code path: old -> new}, in path order.
 */
public final class SpecDiff {
  private SpecDiff() {}

  public static List<String> lines(JsonNode before, JsonNode after) {
    Map<String, String> a = new TreeMap<>();
    Map<String, String> b = new TreeMap<>();
    flatten("", before, a);
    flatten("", after, b);
    List<String> out = new ArrayList<>();
    SortedSet<String> paths = new TreeSet<>(a.keySet());
    paths.addAll(b.keySet());
    for (String path : paths) {
      String was = a.get(path);
      String is = b.get(path);
      if (!Objects.equals(was, is)) {
        out.add(
            path + ": " + (was == null ? "(none)" : was) + " -> " + (is == null ? "(none)" : is));
      }
    }
    return out;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return;
    }
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        var f = fields.next();
        flatten(prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey(), f.getValue(), out);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        flatten(prefix + "[" + i + "]", node.get(i), out);
      }
    } else {
      out.put(prefix, node.asText());
    }
  }
}
