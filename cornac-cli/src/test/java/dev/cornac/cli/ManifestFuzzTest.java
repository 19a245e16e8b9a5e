package dev.cornac.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cornac.api.config.OperatorConfig;
import dev.cornac.api.config.OperatorConfigReader;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.api.model.Postgresql;
import dev.cornac.api.validation.ManifestReader;
import dev.cornac.api.validation.ManifestValidator;
import dev.cornac.api.validation.ValidationResult;
import dev.cornac.api.validation.Violation;
import dev.cornac.generators.Cluster;
import dev.cornac.generators.DesiredStateGenerator;
import dev.cornac.generators.secrets.Credentials;
import dev.cornac.operator.kubernetes.KubernetesClients;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of deterministic mutations of the example manifests through {@code cornac validate} and
 * through the operator's own path (read a stored object, validate it, generate its objects):
 * nothing escapes as an exception, exit codes are 0 or 1, and every rejection names the place to
 * fix.
 */
class ManifestFuzzTest {
  private static final List<String> EXAMPLES =
      List.of(
          "manifests/minimal-postgres-manifest.yaml",
          "manifests/complete-postgres-manifest.yaml",
          "manifests/standby-manifest.yaml");

  /** What a user must never see: a stack trace, a Java type, an exception's name. */
  private static final Pattern LEAK =
      Pattern.compile(
          "\\tat |Exception|java\\.|javax\\.|com\\.fasterxml|io\\.fabric8|dev\\.cornac|NullPointer|\\bnull\\b is null");

  /**
   * {@code error: file: ...}, {@code error: file:3:7: ...} or {@code error: file (name): field:
   * ...}.
   */
  private static final Pattern ERROR_LINE =
      Pattern.compile("^error: (\\S+?)( \\(.*\\))?(:\\d+:\\d+)?: \\S.*$");

  private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}&&[^\\n]]|\\u202E");
  private static final int TREE_MUTATIONS = 2400;
  private static final int TEXT_MUTATIONS = 900;

  @TempDir Path dir;

  private static List<JsonNode> examples() {
    List<JsonNode> docs = new ArrayList<>();
    EXAMPLES.forEach(e -> docs.addAll(ManifestReader.documents(CliRunner.repo().resolve(e))));
    return docs;
  }

  @Test
  void validateNeverFailsAndEveryErrorSaysWhereToLook() throws Exception {
    ManifestMutations mutations = new ManifestMutations(18);
    List<JsonNode> examples = examples();
    int rejected = 0;
    for (int i = 0; i < TREE_MUTATIONS + TEXT_MUTATIONS; i++) {
      JsonNode example = examples.get(i % examples.size());
      byte[] content =
          i < TREE_MUTATIONS
              ? ManifestMapper.toYaml(mutations.mutateTree(example))
                  .getBytes(StandardCharsets.UTF_8)
              : mutations.mutateText(ManifestMapper.toYaml(example));
      Path file = dir.resolve("m" + i + ".yaml");
      Files.write(file, content);
      CliRunner.Result r = CliRunner.run("validate", "-f", file.toString());
      String context =
          "mutation "
              + i
              + ":\n"
              + new String(content, StandardCharsets.UTF_8)
              + "\n---\n"
              + r.err();
      assertThat(r.exit()).as(context).isIn(CliErrors.EXIT_OK, CliErrors.EXIT_INVALID);
      assertThat(r.err()).as(context).doesNotContainPattern(LEAK);
      assertThat(r.err() + r.out()).as(context).doesNotContainPattern(CONTROL);
      for (String line : r.err().lines().toList()) {
        assertThat(line)
            .as(context)
            .matches(
                l -> l.startsWith("warning: ") || ERROR_LINE.matcher(l).matches(),
                "a warning, or an error that names the file and what is wrong");
      }
      if (r.exit() == CliErrors.EXIT_INVALID) {
        rejected++;
        assertThat(r.err()).as(context).contains("error: " + file);
      }
      Files.delete(file);
    }
    // The mutations must mostly break the manifests, or the test would only prove that valid files
    // pass.
    assertThat(rejected).isGreaterThan((TREE_MUTATIONS + TEXT_MUTATIONS) / 2);
  }

  @Test
  void theOperatorReadsValidatesAndGeneratesAnyStoredObjectWithoutFailing() throws Exception {
    ManifestMutations mutations = new ManifestMutations(1818);
    KubernetesSerialization serialization = KubernetesClients.serialization();
    List<OperatorConfig> configs =
        List.of(
            OperatorConfig.defaults(),
            OperatorConfigReader.fromFile(CliRunner.repo().resolve("manifests/configmap.yaml")));
    List<JsonNode> examples = examples();
    int unreadable = 0;
    int invalid = 0;
    int generated = 0;
    for (int i = 0; i < TREE_MUTATIONS; i++) {
      JsonNode mutated = mutations.mutateTree(examples.get(i % examples.size()));
      String json = ManifestMapper.toJson(mutated);
      String context = "mutation " + i + ": " + json;
      if (!mutated.isObject()) {
        continue;
      }
      Postgresql pg = serialization.unmarshal(json, Postgresql.class);
      if (pg.unreadable().isPresent()) {
        unreadable++;
        assertThat(pg.unreadable().get())
            .as(context)
            .doesNotContainPattern(LEAK)
            .matches("^[^:\\s]+: .*");
        continue;
      }
      OperatorConfig config = configs.get(i % configs.size());
      ValidationResult result = new ManifestValidator(config).validate(ManifestMapper.tree(pg));
      if (!result.isValid()) {
        invalid++;
        for (Violation v : result.errors()) {
          assertThat(v.field()).as(context).isNotBlank();
          assertThat(v.message()).as(context).doesNotContainPattern(LEAK);
        }
        continue;
      }
      generated++;
      assertThatCode(
              () ->
                  DesiredStateGenerator.generate(
                      new Cluster(pg, config), Credentials.placeholder()))
          .as(context)
          .doesNotThrowAnyException();
    }
    assertThat(unreadable).as("objects the model cannot hold").isPositive();
    assertThat(invalid).as("objects the rules refuse").isPositive();
    assertThat(generated).as("objects that pass and are generated").isPositive();
  }
}
