package dev.cornac.api.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cornac.api.TestFiles;
import dev.cornac.api.model.ManifestMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CrdManifestsTest {
  /** Run with -Dcornac.update=true to rewrite manifests/*.crd.yaml after a model change. */
  @ParameterizedTest
  @CsvSource({
    "postgresqls.acid.zalan.do, postgresql.crd.yaml",
    "operatorconfigurations.acid.zalan.do, operatorconfiguration.crd.yaml",
    "postgresteams.acid.zalan.do, postgresteam.crd.yaml"
  })
  void shippedCrdMatchesTheModel(String crd, String file) throws Exception {
    Path shipped = TestFiles.ourManifest(file);
    String expected = CrdManifests.yaml(crd);
    if (Boolean.getBoolean("cornac.update")) {
      Files.writeString(shipped, expected);
    }
    assertThat(Files.readString(shipped))
        .as(file + " is stale: rerun with -Dcornac.update=true")
        .isEqualTo(expected);
  }

  @Test
  void postgresqlCrdHasUpstreamsIdentityAndColumns() {
    JsonNode crd = CrdManifests.finished(CrdManifests.POSTGRESQL);
    JsonNode names = crd.path("spec").path("names");
    assertThat(names.path("kind").asText()).isEqualTo("postgresql");
    assertThat(names.path("listKind").asText()).isEqualTo("postgresqlList");
    assertThat(names.path("plural").asText()).isEqualTo("postgresqls");
    assertThat(names.path("shortNames").toString()).isEqualTo("[\"pg\"]");
    assertThat(names.path("categories").toString()).isEqualTo("[\"all\"]");
    JsonNode version = crd.path("spec").path("versions").get(0);
    List<String> columns = new ArrayList<>();
    version
        .path("additionalPrinterColumns")
        .forEach(c -> columns.add(c.path("name").asText() + "=" + c.path("jsonPath").asText()));
    assertThat(columns)
        .containsExactly(
            "Team=.spec.teamId",
            "Version=.spec.postgresql.version",
            "Pods=.spec.numberOfInstances",
            "Volume=.spec.volume.size",
            "CPU-Request=.spec.resources.requests.cpu",
            "Memory-Request=.spec.resources.requests.memory",
            "Age=.metadata.creationTimestamp",
            "Status=.status.PostgresClusterStatus");
    assertThat(version.path("subresources").has("status")).isTrue();
    assertThat(version.path("subresources").has("scale")).isFalse();
    JsonNode spec = version.path("schema").path("openAPIV3Schema").path("properties").path("spec");
    assertThat(spec.path("required").toString())
        .contains("teamId", "numberOfInstances", "postgresql", "volume");
    assertThat(spec.has("x-kubernetes-preserve-unknown-fields"))
        .as("upstream prunes unknown spec fields")
        .isFalse();
  }

  @Test
  void everyIntegerIsBoundedByTheJavaTypeThatReadsIt() {
    JsonNode spec =
        CrdManifests.finished(CrdManifests.POSTGRESQL)
            .path("spec")
            .path("versions")
            .get(0)
            .path("schema")
            .path("openAPIV3Schema")
            .path("properties")
            .path("spec")
            .path("properties");
    JsonNode instances = spec.path("numberOfInstances");
    assertThat(instances.path("format").asText()).isEqualTo("int32");
    assertThat(instances.path("maximum").asLong())
        .as("an informer must be able to read what the server stores")
        .isEqualTo(Integer.MAX_VALUE);
    assertThat(instances.path("minimum").asLong())
        .as("upstream's own lower bound stays")
        .isEqualTo(0);
    assertThat(spec.path("patroni").path("properties").path("ttl").path("maximum").asLong())
        .isEqualTo(Integer.MAX_VALUE);
    assertThat(spec.path("spiloRunAsUser").path("maximum").asLong())
        .as("formats alone bound nothing before 1.36")
        .isEqualTo(Long.MAX_VALUE);
    assertThat(
            spec.path("sidecars")
                .path("items")
                .path("properties")
                .path("ports")
                .path("items")
                .path("properties")
                .path("containerPort")
                .path("format")
                .asText())
        .as("fabric8's own types are walked too")
        .isEqualTo("int32");
    JsonNode workers =
        CrdManifests.finished(CrdManifests.OPERATOR_CONFIGURATION)
            .path("spec")
            .path("versions")
            .get(0)
            .path("schema")
            .path("openAPIV3Schema")
            .path("properties")
            .path("configuration")
            .path("properties")
            .path("workers");
    assertThat(workers.path("maximum").asLong()).isEqualTo(Integer.MAX_VALUE);
    List<String> unbounded = new ArrayList<>();
    collectUnboundedIntegers(CrdManifests.finished(CrdManifests.POSTGRESQL), "", unbounded);
    // int-or-string values (ports, quantities) are read as fabric8's IntOrString and Quantity, not
    // as Java ints
    assertThat(unbounded).as("integers without a maximum").isEmpty();
  }

  private static void collectUnboundedIntegers(JsonNode node, String path, List<String> out) {
    if (node.isObject()
        && node.path("type").asText().equals("integer")
        && !node.has("maximum")
        && !path.contains("additionalPrinterColumns")
        && !path.contains("anyOf")) {
      out.add(path);
    }
    node.fields()
        .forEachRemaining(
            e -> collectUnboundedIntegers(e.getValue(), path + "." + e.getKey(), out));
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        collectUnboundedIntegers(node.get(i), path + "[" + i + "]", out);
      }
    }
  }

  @Test
  void postgresqlCrdInjectsNoDefaultsIntoUserSpecs() {
    String yaml = CrdManifests.yaml(CrdManifests.POSTGRESQL);
    assertThat(yaml).doesNotContain("default:");
  }

  @Test
  void operatorConfigurationSchemaTypesEveryKey() {
    JsonNode configuration =
        CrdManifests.finished(CrdManifests.OPERATOR_CONFIGURATION)
            .path("spec")
            .path("versions")
            .get(0)
            .path("schema")
            .path("openAPIV3Schema")
            .path("properties")
            .path("configuration")
            .path("properties");
    assertThat(configuration.path("workers").path("type").asText()).isEqualTo("integer");
    assertThat(
            configuration
                .path("kubernetes")
                .path("properties")
                .path("cluster_labels")
                .path("type")
                .asText())
        .isEqualTo("object");
    assertThat(
            configuration
                .path("teams_api")
                .path("properties")
                .path("enable_postgres_team_crd")
                .path("default")
                .asBoolean())
        .isTrue();
  }

  @Test
  void shippedCrdsParseAsCrds() throws Exception {
    for (String f :
        List.of("postgresql.crd.yaml", "operatorconfiguration.crd.yaml", "postgresteam.crd.yaml")) {
      Map<?, ?> doc = ManifestMapper.yaml().readValue(TestFiles.ourManifest(f).toFile(), Map.class);
      assertThat(doc.get("kind")).isEqualTo("CustomResourceDefinition");
    }
  }
}
