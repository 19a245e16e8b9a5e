package dev.cornac.api.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every configuration key: upstream's, loaded from {@code operator-config-keys.tsv} (upstream:
 * pkg/util/config/config.go, Config), then Cornac's own few from {@code cornac-config-keys.tsv}.
 */
public final class ConfigKeys {
  private static final String RESOURCE = "/dev/cornac/api/config/operator-config-keys.tsv";
  private static final String CORNAC_RESOURCE = "/dev/cornac/api/config/cornac-config-keys.tsv";
  private static final Map<String, ConfigKey> UPSTREAM = load(RESOURCE);
  private static final Map<String, ConfigKey> KEYS = merged();

  private ConfigKeys() {}

  public static Collection<ConfigKey> all() {
    return KEYS.values();
  }

  /** The keys upstream reads. */
  public static Collection<ConfigKey> upstream() {
    return UPSTREAM.values();
  }

  private static Map<String, ConfigKey> merged() {
    Map<String, ConfigKey> keys = new LinkedHashMap<>(UPSTREAM);
    keys.putAll(load(CORNAC_RESOURCE));
    return Collections.unmodifiableMap(keys);
  }

  public static Optional<ConfigKey> find(String name) {
    return Optional.ofNullable(KEYS.get(name));
  }

  public static ConfigKey get(String name) {
    ConfigKey key = KEYS.get(name);
    if (key == null) {
      throw new IllegalArgumentException("unknown configuration key " + name);
    }
    return key;
  }

  private static Map<String, ConfigKey> load(String resource) {
    Map<String, ConfigKey> keys = new LinkedHashMap<>();
    try (InputStream in = ConfigKeys.class.getResourceAsStream(resource);
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] c = line.split("\t", -1);
        ConfigKey key =
            new ConfigKey(
                c[0], Encoding.parse(c[1]), opt(c[2]), opt(c[3]), opt(c[4]), opt(c[5]), c[6]);
        keys.put(key.name(), CornacDefaults.apply(key));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Collections.unmodifiableMap(keys);
  }

  private static Optional<String> opt(String cell) {
    return "\\N".equals(cell) ? Optional.empty() : Optional.of(cell);
  }
}
