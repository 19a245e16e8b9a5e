package dev.cornac.operator.kubernetes;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/** A Secret's fields as text: {@code data} decoded from base64, {@code stringData} as written. */
public final class SecretFields {
  private SecretFields() {}

  public static Optional<String> get(Secret s, String key) {
    Map<String, String> data = s.getData();
    if (data != null && data.get(key) != null) {
      return Optional.of(
          new String(Base64.getDecoder().decode(data.get(key)), StandardCharsets.UTF_8));
    }
    Map<String, String> plain = s.getStringData();
    return Optional.ofNullable(plain == null ? null : plain.get(key));
  }

  public static Set<String> keys(Secret s) {
    SortedSet<String> keys = new TreeSet<>();
    if (s.getData() != null) {
      keys.addAll(s.getData().keySet());
    }
    if (s.getStringData() != null) {
      keys.addAll(s.getStringData().keySet());
    }
    return keys;
  }

  public static Map<String, String> all(Secret s) {
    Map<String, String> out = new TreeMap<>();
    keys(s).forEach(k -> get(s, k).ifPresent(v -> out.put(k, v)));
    return out;
  }
}
