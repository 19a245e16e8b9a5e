package dev.cornac.api.config;

/**
 * {@code namespace/name} as the ConfigMap writes it; an empty namespace means the operator's own
 * namespace.
 */
public record NamespacedName(String namespace, String name) {
  public static NamespacedName parse(String key, String value) {
    int slash = value.indexOf('/');
    NamespacedName n =
        slash < 0
            ? new NamespacedName("", value)
            : new NamespacedName(value.substring(0, slash), value.substring(slash + 1));
    if (n.name.isEmpty()) {
      throw new ConfigException(
          "configuration key "
              + key
              + ": \""
              + value
              + "\" has an empty name (use namespace/name or name)");
    }
    return n;
  }

  public String namespaceOr(String fallback) {
    return namespace.isEmpty() ? fallback : namespace;
  }

  @Override
  public String toString() {
    return namespace.isEmpty() ? name : namespace + "/" + name;
  }
}
