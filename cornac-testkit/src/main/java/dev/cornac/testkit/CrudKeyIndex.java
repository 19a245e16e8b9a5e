package dev.cornac.testkit;

import static io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor.NAME;
import static io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor.NAMESPACE;
import static io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor.PLURAL;

import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;
import io.fabric8.mockwebserver.crud.Value;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys of fabric8's CRUD store by plural, namespace and name, so that a query naming them is
 * compared with the few stored objects that can match it instead of with every one. It only
 * narrows: the caller still runs fabric8's {@link AttributeSet#matches} on every candidate, so
 * versions, groups, label and field selectors keep fabric8's meaning. Candidates come in the order
 * they were stored, which is the order of fabric8's map, so lists keep their order too.
 *
 * <p>Not thread-safe: {@link IndexedCrudDispatcher} changes it under its write lock and reads it
 * under its read lock.
 */
final class CrudKeyIndex {
  /**
   * fabric8's {@link Value} equals every value when either side is {@code *}: such keys cannot be
   * filed under one value.
   */
  private static final String ANY = "*";

  private record Indexed(AttributeSet key, long sequence) {}

  /**
   * plural → namespace (null for cluster-scoped objects) → name → the keys stored under them:
   * usually one, more when one plural is stored under several groups or versions.
   */
  private final Map<String, Map<String, Map<String, List<Indexed>>>> byPlural = new HashMap<>();

  /**
   * Keys whose plural, namespace or name is {@code *} (or missing a plural or name): candidates of
   * every query, as fabric8 would match them.
   */
  private final List<Indexed> unfiled = new ArrayList<>();

  private long sequence;

  /**
   * Records a key fabric8 just put into its map. A key already present keeps its place, as it does
   * in fabric8's {@code LinkedHashMap}.
   */
  void add(AttributeSet key) {
    List<Indexed> slot = slot(key, true);
    if (slot.stream().noneMatch(i -> i.key().equals(key))) {
      slot.add(new Indexed(key, sequence++));
    }
  }

  void remove(AttributeSet key) {
    List<Indexed> slot = slot(key, false);
    if (slot != null) {
      slot.removeIf(i -> i.key().equals(key));
      if (slot != unfiled && slot.isEmpty()) {
        prune(key);
      }
    }
  }

  void clear() {
    byPlural.clear();
    unfiled.clear();
  }

  /**
   * The stored keys that can match {@code query}, in store order; null when the query names no
   * plural, so that any stored key can match it.
   */
  List<AttributeSet> candidates(AttributeSet query) {
    String plural = constraint(query, PLURAL);
    if (plural == null) {
      return null;
    }
    String namespace = constraint(query, NAMESPACE);
    String name = constraint(query, NAME);
    List<Indexed> found = new ArrayList<>(unfiled);
    Map<String, Map<String, List<Indexed>>> namespaces = byPlural.getOrDefault(plural, Map.of());
    Collection<Map<String, List<Indexed>>> inNamespaces =
        namespace == null ? namespaces.values() : listOf(namespaces.get(namespace));
    for (Map<String, List<Indexed>> names : inNamespaces) {
      Collection<List<Indexed>> slots = name == null ? names.values() : listOf(names.get(name));
      slots.forEach(found::addAll);
    }
    if (found.size() > 1) {
      found.sort(Comparator.comparingLong(Indexed::sequence));
    }
    return found.stream().map(Indexed::key).toList();
  }

  private List<Indexed> slot(AttributeSet key, boolean create) {
    if (!fileable(key)) {
      return unfiled;
    }
    String plural = value(key, PLURAL);
    String namespace = value(key, NAMESPACE);
    String name = value(key, NAME);
    if (create) {
      return byPlural
          .computeIfAbsent(plural, p -> new HashMap<>())
          .computeIfAbsent(namespace, n -> new HashMap<>())
          .computeIfAbsent(name, n -> new ArrayList<>(1));
    }
    return byPlural.getOrDefault(plural, Map.of()).getOrDefault(namespace, Map.of()).get(name);
  }

  private void prune(AttributeSet key) {
    String plural = value(key, PLURAL);
    String namespace = value(key, NAMESPACE);
    Map<String, Map<String, List<Indexed>>> namespaces = byPlural.get(plural);
    Map<String, List<Indexed>> names = namespaces.get(namespace);
    names.remove(value(key, NAME));
    if (names.isEmpty()) {
      namespaces.remove(namespace);
      if (namespaces.isEmpty()) {
        byPlural.remove(plural);
      }
    }
  }

  /**
   * Whether a stored key can be filed under one plural, namespace (or none) and name: a value that
   * is {@code *}, or several values, would match more than the one slot.
   */
  private static boolean fileable(AttributeSet key) {
    return single(key.getAttribute(PLURAL))
        && single(key.getAttribute(NAME))
        && (key.getAttribute(NAMESPACE) == null || single(key.getAttribute(NAMESPACE)));
  }

  private static boolean single(Attribute a) {
    return a != null && a.getValues().size() == 1 && !ANY.equals(a.getValues().get(0).toString());
  }

  /** The value of a fileable key's attribute; null when it has none (cluster-scoped objects). */
  private static String value(AttributeSet key, String attribute) {
    Attribute a = key.getAttribute(attribute);
    return a == null ? null : a.getValues().get(0).toString();
  }

  /**
   * The one value a query requires for {@code attribute}, or null when it requires none: absent,
   * negated or set-based (field selectors can give any of these), or the wildcard {@code *}.
   */
  private static String constraint(AttributeSet query, String attribute) {
    Attribute a = query.getAttribute(attribute);
    return single(a) && a.getType() == AttributeType.WITH ? a.getValues().get(0).toString() : null;
  }

  private static <T> List<T> listOf(T nullable) {
    return nullable == null ? List.of() : List.of(nullable);
  }
}
