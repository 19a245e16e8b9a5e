package dev.cornac.operator.reconcile;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes a cached Kubernetes object share what thousands of others hold too: its strings are
 * interned (env var names and values, images, paths, label keys are the same in every cluster's
 * StatefulSet), and its empty maps and lists become the shared immutable empty ones (fabric8's
 * model gives every object an empty {@code additionalProperties} map and most list fields an empty
 * list). Measured with bench/run.sh at 1000 clusters (docs/performance.md): about a third of the
 * operator's live heap.
 *
 * <p>Only objects of fabric8's model ({@code io.fabric8.kubernetes.api.model}) are walked. A cached
 * object is read, never changed: the reconciler copies what it edits, so the immutable empty
 * collections are never written to.
 */
final class SharedObjectParts {
  private static final String MODEL = "io.fabric8.kubernetes.api.model";

  /** The instance fields of each model class, accessible, read once per class. */
  private static final ClassValue<List<Field>> FIELDS =
      new ClassValue<>() {
        @Override
        protected List<Field> computeValue(Class<?> type) {
          List<Field> fields = new ArrayList<>();
          for (Class<?> c = type; c != null && isModel(c); c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
              if (!Modifier.isStatic(f.getModifiers()) && !Modifier.isFinal(f.getModifiers())) {
                f.setAccessible(true);
                fields.add(f);
              }
            }
          }
          return List.copyOf(fields);
        }
      };

  private SharedObjectParts() {}

  static void share(Object object) {
    if (object == null || !isModel(object.getClass())) {
      return;
    }
    try {
      for (Field f : FIELDS.get(object.getClass())) {
        Object value = f.get(object);
        Object shared = shared(value);
        if (shared != value) {
          f.set(object, shared);
        }
      }
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot compact " + object.getClass().getSimpleName(), e);
    }
  }

  private static Object shared(Object value) {
    if (value instanceof String s) {
      return s.intern();
    }
    if (value instanceof Map<?, ?> map) {
      return map.isEmpty() ? Map.of() : sharedMap(map);
    }
    if (value instanceof List<?> list) {
      return list.isEmpty() ? List.of() : sharedList(list);
    }
    share(value);
    return value;
  }

  /** A map of strings (labels, annotations, data) with its keys and values interned. */
  private static Map<?, ?> sharedMap(Map<?, ?> map) {
    Map<Object, Object> out = new LinkedHashMap<>(map.size() * 4 / 3 + 1);
    map.forEach((k, v) -> out.put(shared(k), shared(v)));
    return out;
  }

  /** A copy of exactly the list's size (an ArrayList read from JSON keeps spare room). */
  private static List<?> sharedList(List<?> list) {
    List<Object> out = new ArrayList<>(list.size());
    list.forEach(v -> out.add(shared(v)));
    return out;
  }

  private static boolean isModel(Class<?> c) {
    return c.getName().startsWith(MODEL);
  }
}
