package dev.cornac.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cornac.api.config.OperatorConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each mistake a new user made, and the message that tells them where it is and what to write
 * instead.
 */
class ManifestMessagesTest {
  private static final String BASE =
      """
      apiVersion: acid.zalan.do/v1
      kind: postgresql
      metadata:
        name: acid-x
      spec:
        teamId: acid
        postgresql:
          version: "15"
        volume:
          size: 1Gi
      """;

  @TempDir Path dir;

  private static List<String> errors(String yaml) {
    JsonNode doc = ManifestReader.documents("m.yaml", yaml).get(0);
    return new ManifestValidator(OperatorConfig.defaults())
        .validate(doc).errors().stream().map(Violation::message).toList();
  }

  private static String readFailure(String yaml) {
    try {
      ManifestReader.documents("m.yaml", yaml);
    } catch (ManifestReader.ManifestFileException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected a read failure for:\n" + yaml);
  }

  @Test
  void aNullUserFlagIsAnErrorOnThatUser() {
    assertThat(errors(BASE + "  numberOfInstances: 1\n  users:\n    u: [null]\n"))
        .contains("spec.users.u[0]: must not be null; remove the field or give it a value");
  }

  @Test
  void integerOverflowNamesTheField() {
    assertThat(errors(BASE + "  numberOfInstances: 2147483648\n"))
        .containsExactly(
            "spec.numberOfInstances: \"2147483648\" must be <= 2147483647; use at most 2147483647");
  }

  @Test
  void aWronglySpelledKindSaysHowToSpellIt() {
    assertThat(
            errors(
                BASE.replace("kind: postgresql", "kind: Postgresql") + "  numberOfInstances: 1\n"))
        .containsExactly("kind: \"Postgresql\" is not supported; use postgresql (all lower case)");
  }

  @Test
  void metadataThatIsNotAnObjectNamesNoJavaType() {
    List<String> errors =
        errors(
            BASE.replace("metadata:\n  name: acid-x", "metadata: x") + "  numberOfInstances: 1\n");
    assertThat(errors)
        .contains("metadata: must be an object; give at least metadata.name (name: acid-x)");
    assertThat(String.join("\n", errors)).doesNotContain("io.fabric8", "ObjectMeta", "java.");
  }

  @Test
  void aNumberTooLargeToHoldIsSaidOnce() {
    assertThat(errors(BASE + "  numberOfInstances: 1e999\n"))
        .containsExactly(
            "spec.numberOfInstances: is a number too large to hold; write a number the field allows");
  }

  @Test
  void aSidecarVariableWithoutNameIsRefusedAsKubernetesWould() {
    assertThat(
            errors(
                BASE
                    + "  numberOfInstances: 1\n  sidecars:\n  - name: s\n    image: busybox\n"
                    + "    env:\n    - value: x\n"))
        .contains("spec.sidecars[0].env[0].name: is required; add name");
  }

  @Test
  void duplicateKeysAreRefusedWithTheirPlace() {
    assertThat(readFailure(BASE + "  numberOfInstances: 1\n  numberOfInstances: 2\n"))
        .isEqualTo(
            "m.yaml:12:20: spec.numberOfInstances: is given twice in the same mapping; keep one (kubectl refuses duplicate"
                + " keys)");
  }

  @Test
  void yamlSpecialFloatsAreNotCalledInvalidYaml() {
    assertThat(readFailure(BASE + "  numberOfInstances: .inf\n"))
        .isEqualTo(
            "m.yaml:11:26: spec.numberOfInstances: .inf is not a number Cornac can read; write a plain number, or quote"
                + " it if text is meant");
  }

  @Test
  void nestingTooDeepGivesTheLine() {
    assertThat(
            readFailure(
                BASE + "  numberOfInstances: 1\n  teamId2: " + "[".repeat(1200) + "]".repeat(1200)))
        .startsWith("m.yaml:12:")
        .contains("spec.teamId2[0][0]", "nested too deeply");
  }

  @Test
  void aLatin1FileIsNamedWithItsPlaceAndTheFix() throws Exception {
    Path file = dir.resolve("latin1.yaml");
    Files.write(
        file,
        (BASE + "  numberOfInstances: 1\n")
            .replace("acid-x", "acid-x\n  annotations:\n    a: caf\u00e9")
            .getBytes(StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> ManifestReader.documents(file))
        .hasMessage(
            file
                + ":6:11: is not UTF-8 text (byte 0xE9); save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)");
  }

  @Test
  void controlCharactersFromTheManifestArePrintedAsEscapes() {
    String message =
        errors(
                BASE
                    + "  numberOfInstances: 1\n  maintenanceWindows: [\"x\\e[2J\\nerror: forged\"]\n")
            .get(0);
    assertThat(message)
        .startsWith("spec.maintenanceWindows[0]: \"x\\u001B[2J\\nerror: forged\"")
        .doesNotContain("\n");
  }
}
