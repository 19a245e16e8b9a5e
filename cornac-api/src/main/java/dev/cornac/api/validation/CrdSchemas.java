package dev.cornac.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cornac.api.model.ManifestMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The OpenAPI schemas of our CRDs, read from the CRD files the build generates from the model. */
public final class CrdSchemas {
  private static final JsonNode POSTGRESQL = load("postgresqls.acid.zalan.do-v1.yml");

  private CrdSchemas() {}

  public static JsonNode postgresql() {
    return POSTGRESQL;
  }

  private static JsonNode load(String file) {
    try (InputStream in = CrdSchemas.class.getResourceAsStream("/META-INF/fabric8/" + file)) {
      if (in == null) {
        throw new IllegalStateException("CRD " + file + " is missing from the classpath; build cornac-api first");
      }
      JsonNode crd = ManifestMapper.yaml().readTree(in);
      return crd.path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
