package dev.cornac.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cornac.api.model.ManifestMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code cornac render} output read by a YAML 1.1 reader (SnakeYAML resolves types as PyYAML and
 * Ansible do) holds exactly what the JSON output holds: no string turns into a date, a base-60
 * number, a float or a boolean.
 */
class RenderQuotingTest {
  private static final List<String> TRICKY =
      List.of(
          "0x1F",
          "0b101",
          "1e3",
          "1_000",
          ".inf",
          "-.Inf",
          ".nan",
          "12:30",
          "=",
          "2026-12-31",
          "2026-12-31 10:00:00",
          "y",
          "N",
          "on",
          "Off",
          "~",
          "0o17",
          "017",
          "+12",
          "1.5e-3");

  @Test
  void everyRenderedStringStaysAStringForAYaml11Reader(@TempDir Path dir) throws Exception {
    StringBuilder annotations = new StringBuilder();
    for (int i = 0; i < TRICKY.size(); i++) {
      annotations.append("    a").append(i).append(": \"").append(TRICKY.get(i)).append("\"\n");
    }
    Path manifest = dir.resolve("tricky.yaml");
    Files.writeString(
        manifest,
        """
        apiVersion: acid.zalan.do/v1
        kind: postgresql
        metadata:
          name: acid-tricky
        spec:
          teamId: acid
          numberOfInstances: 1
          postgresql:
            version: "15"
          volume:
            size: 1Gi
          clone:
            cluster: acid-source
            timestamp: "2026-12-01T12:00:00+00:00"
          podAnnotations:
            "2026-01-01": "on"
        """
            + annotations);
    CliRunner.Result yaml = CliRunner.run("render", "-f", manifest.toString());
    CliRunner.Result json = CliRunner.run("render", "-o", "json", "-f", manifest.toString());
    assertThat(yaml.exit()).as(yaml.err()).isZero();
    assertThat(json.exit()).as(json.err()).isZero();
    List<Object> read = new ArrayList<>();
    new Yaml().loadAll(yaml.out()).forEach(read::add);
    JsonNode items = ManifestMapper.json().readTree(json.out()).path("items");
    assertThat(read).hasSize(items.size());
    List<String> strings = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      compare(items.get(i), read.get(i), "[" + i + "]", strings);
    }
    assertThat(strings)
        .as("the tricky values reached the output")
        .contains(TRICKY.toArray(String[]::new))
        .contains("2026-12-01T12:00:00+00:00", "2026-01-01");
  }

  private static void compare(JsonNode expected, Object actual, String path, List<String> strings) {
    if (expected.isObject()) {
      assertThat(actual).as(path).isInstanceOf(Map.class);
      Map<?, ?> map = (Map<?, ?>) actual;
      assertThat(map.keySet()).as(path + " keys").allMatch(String.class::isInstance);
      expected
          .fields()
          .forEachRemaining(
              f -> {
                strings.add(f.getKey());
                assertThat(map.containsKey(f.getKey())).as(path + " has " + f.getKey()).isTrue();
                compare(f.getValue(), map.get(f.getKey()), path + "." + f.getKey(), strings);
              });
    } else if (expected.isArray()) {
      assertThat(actual).as(path).isInstanceOf(List.class);
      for (int i = 0; i < expected.size(); i++) {
        compare(expected.get(i), ((List<?>) actual).get(i), path + "[" + i + "]", strings);
      }
    } else if (expected.isTextual()) {
      strings.add(expected.asText());
      assertThat(actual).as(path).isEqualTo(expected.asText());
    } else if (expected.isBoolean()) {
      assertThat(actual).as(path).isEqualTo(expected.asBoolean());
    } else if (expected.isNumber()) {
      assertThat(actual).as(path).isInstanceOf(Number.class);
    }
  }
}
