package dev.cornac.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cornac.api.TestFiles;
import dev.cornac.api.config.OperatorConfig;
import dev.cornac.api.config.OperatorConfigReader;
import dev.cornac.api.model.ManifestMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ManifestValidatorTest {
  private static final String VALID =
      """
      apiVersion: acid.zalan.do/v1
      kind: postgresql
      metadata: {name: acid-test}
      spec:
        teamId: acid
        numberOfInstances: 2
        volume: {size: 1Gi}
        postgresql: {version: "17"}
      """;

  private final ManifestValidator validator = new ManifestValidator(OperatorConfig.defaults());

  static Stream<Path> examples() {
    return TestFiles.allPostgresqlExamples();
  }

  @ParameterizedTest
  @MethodSource("examples")
  void everyExampleIsValidWithoutWarnings(Path file) {
    for (JsonNode doc : ManifestReader.documents(file)) {
      if (!"postgresql".equals(doc.path("kind").asText())) {
        continue;
      }
      ValidationResult result = validator.validate(doc);
      assertThat(result.violations()).as(file.toString()).isEmpty();
    }
  }

  @Test
  void acceptsAMinimalManifest() {
    assertThat(validate(VALID).isValid()).isTrue();
  }

  @Test
  void reportsEveryErrorTogetherWithFieldValueAndFix() {
    ValidationResult result =
        validate(
            VALID
                .replace("numberOfInstances: 2", "numberOfInstances: -1")
                .replace("size: 1Gi", "size: lots")
                .replace("version: \"17\"", "version: \"12\""));
    assertThat(result.isValid()).isFalse();
    assertThat(messages(result))
        .containsExactlyInAnyOrder(
            "spec.numberOfInstances: \"-1\" must be >= 0; use 0 or more",
            "spec.volume.size: \"lots\" is not valid; use a quantity like 500Mi, 1Gi or 1000000",
            "spec.postgresql.version: \"12\" is not valid; supported versions are 14, 15, 16, 17 and 18");
  }

  @Test
  void reportsWrongTypesWithTheirPath() {
    ValidationResult result =
        validate(
            VALID
                .replace("numberOfInstances: 2", "numberOfInstances: two")
                .replace("teamId: acid", "teamId: [acid]"));
    assertThat(messages(result))
        .contains(
            "spec.numberOfInstances: \"two\" must be an integer; write a whole number without quotes",
            "spec.teamId: \"[\"acid\"]\" must be a string; quote the value");
  }

  @Test
  void reportsMissingRequiredFields() {
    ValidationResult result =
        validate(
            """
        apiVersion: acid.zalan.do/v1
        kind: postgresql
        metadata: {name: acid-test}
        spec: {teamId: acid}
        """);
    assertThat(messages(result))
        .contains(
            "spec.numberOfInstances: is required; add numberOfInstances",
            "spec.postgresql: is required; add postgresql",
            "spec.volume: is required; add volume");
  }

  @Test
  void rejectsMalformedQuantities() {
    ValidationResult result =
        validate(VALID + "  resources:\n    requests: {cpu: 100mc, memory: 1GB}\n");
    assertThat(result.errors())
        .extracting(Violation::field)
        .containsExactlyInAnyOrder("spec.resources.requests.cpu", "spec.resources.requests.memory");
  }

  @Test
  void rejectsBadMaintenanceWindowsTheGoParserRejects() {
    ValidationResult result =
        validate(
            VALID
                + "  maintenanceWindows: [\"Sat:01:00-04:00\", \"01:00-06:00\", "
                + "\"10:00-09:00\", \"Sat:1:5-02:00\", \"Mon:24:00-25:00\"]\n");
    assertThat(result.errors())
        .extracting(Violation::field)
        .containsExactlyInAnyOrder(
            "spec.maintenanceWindows[2]",
            "spec.maintenanceWindows[3]",
            "spec.maintenanceWindows[4]");
    assertThat(messages(result))
        .anyMatch(m -> m.contains("10:00-09:00") && m.contains("ends before it starts"));
  }

  @Test
  void enforcesTheTeamPrefixOnlyWhenConfigured() {
    String foreign = VALID.replace("name: acid-test", "name: other-test");
    assertThat(validate(foreign).isValid()).isTrue();
    OperatorConfig enforcing =
        OperatorConfigReader.fromConfigMap(Map.of("enable_team_id_clustername_prefix", "true"));
    ValidationResult result = new ManifestValidator(enforcing).validate(tree(foreign));
    assertThat(messages(result))
        .containsExactly(
            "metadata.name: \"other-test\" name must match {TEAM}-{NAME} format; name the cluster acid-<name>");
  }

  @Test
  void rejectsBadUsersAndDatabases() {
    ValidationResult result =
        validate(
            VALID
                + """
          users:
            foo: [superuser, nosuperuser]
            Bad: []
            app: [flying]
          databases:
            1db: app
        """);
    assertThat(result.errors())
        .extracting(Violation::field)
        .contains("spec.users.foo", "spec.users.Bad", "spec.users.app[0]", "spec.databases.1db");
    assertThat(messages(result)).anyMatch(m -> m.contains("has both SUPERUSER and NOSUPERUSER"));
  }

  @Test
  void rejectsInvalidPoolerCloneAndStandbySettings() {
    ValidationResult result =
        validate(
            VALID
                + """
          connectionPooler: {mode: statement, numberOfInstances: 0}
          clone: {cluster: acid-source, timestamp: "2024-05-01 12:00:00"}
          standby: {s3_wal_path: "s3://a", gs_wal_path: "gs://b"}
        """);
    assertThat(result.errors())
        .extracting(Violation::field)
        .contains(
            "spec.connectionPooler.mode",
            "spec.connectionPooler.numberOfInstances",
            "spec.clone.timestamp",
            "spec.standby",
            "spec.clone");
  }

  @Test
  void rejectsAStandbyWithoutSource() {
    ValidationResult result = validate(VALID + "  standby: {standby_port: \"5433\"}\n");
    assertThat(messages(result))
        .contains(
            "spec.standby: needs s3_wal_path, gs_wal_path or standby_host; give the WAL archive path or the primary's host");
  }

  @Test
  void rejectsNamesThatCannotBecomeServices() {
    String longName = "acid-" + "x".repeat(60);
    ValidationResult result = validate(VALID.replace("name: acid-test", "name: " + longName));
    assertThat(result.errors()).extracting(Violation::field).contains("metadata.name");
  }

  @Test
  void warnsAboutUnknownFieldsThatTheApiServerWouldDrop() {
    ValidationResult result = validate(VALID + "  enableShmVoulme: true\n");
    assertThat(result.isValid()).isTrue();
    assertThat(result.warnings())
        .extracting(Violation::field)
        .containsExactly("spec.enableShmVoulme");
  }

  @Test
  void rejectsSidecarsWhenTheConfigurationDisablesThem() {
    OperatorConfig config = OperatorConfigReader.fromConfigMap(Map.of("enable_sidecars", "false"));
    ValidationResult result =
        new ManifestValidator(config)
            .validate(tree(VALID + "  sidecars: [{name: s, image: busybox}]\n"));
    assertThat(result.errors()).extracting(Violation::field).containsExactly("spec.sidecars");
  }

  @Test
  void rejectsTheWrongKindAndApiVersion() {
    ValidationResult result =
        validate(
            VALID
                .replace("kind: postgresql", "kind: Postgresql")
                .replace("acid.zalan.do/v1", "acid.zalan.do/v2"));
    assertThat(result.errors()).extracting(Violation::field).contains("kind", "apiVersion");
  }

  private ValidationResult validate(String yaml) {
    return validator.validate(tree(yaml));
  }

  private static JsonNode tree(String yaml) {
    try {
      return ManifestMapper.yaml().readTree(yaml);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> messages(ValidationResult result) {
    return result.errors().stream().map(Violation::message).toList();
  }
}
