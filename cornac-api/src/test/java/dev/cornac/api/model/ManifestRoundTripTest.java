package dev.cornac.api.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cornac.api.TestFiles;
import dev.cornac.api.validation.ManifestReader;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ManifestRoundTripTest {
  static Stream<Path> postgresqlManifests() {
    return TestFiles.allPostgresqlExamples();
  }

  @ParameterizedTest
  @MethodSource("postgresqlManifests")
  void everyExampleSurvivesParseAndSerialise(Path file) throws Exception {
    List<JsonNode> docs = ManifestReader.documents(file);
    assertThat(docs).isNotEmpty();
    for (JsonNode doc : docs) {
      if (!Postgresql.KIND.equals(doc.path("kind").asText())) {
        continue;
      }
      Postgresql pg = ManifestMapper.json().treeToValue(doc, Postgresql.class);
      assertThat(plain(ManifestMapper.tree(pg)))
          .as(file.getFileName().toString())
          .isEqualTo(plain(doc));
    }
  }

  @Test
  void keepsFieldsItDoesNotKnowAtEveryLevel() throws Exception {
    String yaml =
        """
        apiVersion: acid.zalan.do/v1
        kind: postgresql
        metadata: {name: acid-x}
        spec:
          teamId: acid
          numberOfInstances: 1
          volume: {size: 1Gi, futureVolumeField: fast}
          postgresql: {version: "17", futureSwitch: true}
          useLoadBalancer: true
          futureSection: {a: [1, 2], b: {c: d}}
          patroni: {ttl: 30, newPatroniKnob: 5}
        """;
    JsonNode doc = ManifestMapper.yaml().readTree(yaml);
    Postgresql pg = ManifestMapper.json().treeToValue(doc, Postgresql.class);
    assertThat(pg.getSpec().unknownFields()).containsKeys("useLoadBalancer", "futureSection");
    assertThat(pg.getSpec().volume.unknownFields()).containsEntry("futureVolumeField", "fast");
    assertThat(plain(ManifestMapper.tree(pg))).isEqualTo(plain(doc));
  }

  @Test
  void readsStatusAsObjectOrBareStringAndWritesTheObjectForm() throws Exception {
    String base = "apiVersion: acid.zalan.do/v1\nkind: postgresql\nmetadata: {name: acid-x}\n";
    Postgresql fromObject =
        ManifestMapper.yaml()
            .readValue(base + "status: {PostgresClusterStatus: Running}\n", Postgresql.class);
    Postgresql fromString =
        ManifestMapper.yaml().readValue(base + "status: Running\n", Postgresql.class);
    assertThat(fromObject.getStatus().postgresClusterStatus).isEqualTo("Running");
    assertThat(fromString.getStatus().postgresClusterStatus).isEqualTo("Running");
    assertThat(ManifestMapper.toJson(fromString.getStatus()))
        .isEqualTo("{\"PostgresClusterStatus\":\"Running\"}");
  }

  @Test
  void readsPostgresTeamAndOperatorConfigurationExamples() throws Exception {
    JsonNode team =
        ManifestReader.documents(TestFiles.upstreamManifest("custom-team-membership.yaml")).get(0);
    PostgresTeam pt = ManifestMapper.json().treeToValue(team, PostgresTeam.class);
    assertThat(pt.getSpec().additionalMembers).containsEntry("acid", List.of("elephant"));
    assertThat(plain(ManifestMapper.tree(pt))).isEqualTo(plain(team));
    JsonNode opconfig =
        ManifestReader.documents(
                TestFiles.upstreamManifest("postgresql-operator-default-configuration.yaml"))
            .get(0);
    OperatorConfiguration oc =
        ManifestMapper.json().treeToValue(opconfig, OperatorConfiguration.class);
    assertThat(oc.getConfiguration()).containsKey("kubernetes");
    assertThat(plain(ManifestMapper.tree(oc))).isEqualTo(plain(opconfig));
  }

  /**
   * Plain maps, lists and numbers: YAML's int and Jackson's long for the same value compare equal.
   */
  static Object plain(JsonNode node) throws Exception {
    return ManifestMapper.json()
        .readValue(ManifestMapper.json().writeValueAsString(node), Object.class);
  }
}
