package dev.cornac.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cornac.api.validation.ManifestReader;
import java.nio.file.Path;

/**
 * The cluster name of a manifest file, read before it is validated (to find the cluster's saved
 * settings).
 */
final class LocalManifestNames {
  private LocalManifestNames() {}

  static String peek(Path file) {
    try {
      for (JsonNode doc : ManifestReader.documents(file)) {
        String name = doc.path("metadata").path("name").asText("");
        if (!name.isEmpty()) {
          return name;
        }
      }
    } catch (RuntimeException e) {
      // validation reports the problem properly
    }
    return null;
  }
}
