package dev.cornac.generators;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cornac.api.config.OperatorConfig;
import dev.cornac.api.config.OperatorConfigReader;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.api.model.Postgresql;
import java.nio.file.Path;
import java.util.Map;

/** Builds clusters for generator tests from YAML text and configuration maps. */
public final class Fixtures {
  public static final String MINIMAL =
      """
      apiVersion: acid.zalan.do/v1
      kind: postgresql
      metadata: {name: acid-test, namespace: default, uid: 9c4d8a4e-1f2b-4c3d-8e9f-0a1b2c3d4e5f}
      spec:
        teamId: acid
        numberOfInstances: 2
        volume: {size: 1Gi}
        postgresql: {version: "17"}
      """;

  private Fixtures() {}

  public static Path repoRoot() {
    String root = System.getProperty("cornac.repo.root");
    return (root != null ? Path.of(root) : Path.of("..")).toAbsolutePath().normalize();
  }

  public static Path upstream(String file) {
    return repoRoot().resolve("../shared/upstream-examples/manifests").resolve(file).normalize();
  }

  public static Postgresql postgresql(String yaml) {
    try {
      return ManifestMapper.yaml().readValue(yaml, Postgresql.class);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  public static Cluster cluster(String yaml, Map<String, String> configMap) {
    return new Cluster(postgresql(yaml), OperatorConfigReader.fromConfigMap(configMap));
  }

  public static Cluster cluster(String yaml, OperatorConfig config) {
    return new Cluster(postgresql(yaml), config);
  }

  /** The minimal manifest with extra spec lines appended (indented by two spaces). */
  public static String minimalWith(String specLines) {
    return MINIMAL
        + specLines.stripIndent().lines().map(l -> "  " + l).reduce("", (a, b) -> a + b + "\n");
  }

  public static JsonNode tree(Object o) {
    return ManifestMapper.tree(o);
  }

  public static Object plain(Object o) {
    try {
      return ManifestMapper.json().readValue(ManifestMapper.toJson(o), Object.class);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
