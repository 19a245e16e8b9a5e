package dev.cornac.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cornac.api.crd.CrdManifests;

/** The OpenAPI schemas of our CRDs, as shipped (see {@link CrdManifests}). */
public final class CrdSchemas {
  private static final JsonNode POSTGRESQL =
      schemaOf(CrdManifests.finished(CrdManifests.POSTGRESQL));

  private CrdSchemas() {}

  public static JsonNode postgresql() {
    return POSTGRESQL;
  }

  private static JsonNode schemaOf(JsonNode crd) {
    return crd.path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema");
  }
}
