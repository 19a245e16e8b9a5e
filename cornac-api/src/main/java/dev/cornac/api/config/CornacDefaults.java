package dev.cornac.api.config;

import java.util.Map;
import java.util.Optional;

/**
 * The few keys whose default Cornac changes on purpose, because upstream's default loses data when
 * a cluster is deleted: volumes and credentials are kept unless the configuration asks, in so many
 * words, to delete them. An explicit value (true, as in upstream's example ConfigMap) behaves
 * exactly as upstream. Listed in docs/compatibility.md.
 */
final class CornacDefaults {
  private static final Map<String, String> DEFAULTS =
      Map.of(
          "enable_persistent_volume_claim_deletion", "false",
          "enable_secrets_deletion", "false");

  private CornacDefaults() {}

  static ConfigKey apply(ConfigKey key) {
    String value = DEFAULTS.get(key.name());
    if (value == null) {
      return key;
    }
    return new ConfigKey(
        key.name(),
        key.encoding(),
        Optional.of(value),
        key.crdPath(),
        Optional.of(value),
        Optional.of(value),
        key.meaning());
  }
}
