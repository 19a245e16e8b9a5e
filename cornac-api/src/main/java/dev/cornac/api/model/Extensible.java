package dev.cornac.api.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A manifest object that keeps the fields Cornac does not know. The API server prunes them with our
 * CRD, but files given to the CLI or the UI may carry fields of a newer upstream release, and an
 * edit must never drop them.
 *
 * <p>The Jackson any-getter/any-setter live in {@link ManifestMapper}'s mix-in, not here, so that
 * the CRD generator does not mark the schema with {@code x-kubernetes-preserve-unknown-fields}
 * (upstream's schema prunes).
 */
public abstract class Extensible {
  private final Map<String, Object> unknownFields = new LinkedHashMap<>();

  public Map<String, Object> unknownFields() {
    return unknownFields;
  }

  public void putUnknownField(String name, Object value) {
    unknownFields.put(name, value);
  }
}
