package dev.cornac.generators;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cornac.api.config.OperatorConfig;
import dev.cornac.api.config.OperatorConfigReader;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.api.model.Postgresql;
import dev.cornac.api.validation.ManifestReader;
import dev.cornac.generators.secrets.Credentials;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example manifest (ours and upstream's) rendered under the example ConfigMap and under an
 * empty one, compared with the reviewed output in {@code src/test/resources/golden}. After an
 * intended change, rerun with {@code -Dcornac.update=true} and review the diff of the golden files
 * against upstream's code (pkg/cluster/k8sres.go).
 */
class GoldenFilesTest {
  private static final Path GOLDEN =
      Fixtures.repoRoot().resolve("cornac-generators/src/test/resources/golden");

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    List<Path> manifests = new ArrayList<>();
    for (String f :
        List.of(
            "minimal-postgres-manifest.yaml",
            "complete-postgres-manifest.yaml",
            "standby-manifest.yaml")) {
      manifests.add(Fixtures.repoRoot().resolve("manifests").resolve(f));
    }
    for (String f :
        List.of(
            "minimal-postgres-manifest.yaml",
            "complete-postgres-manifest.yaml",
            "standby-manifest.yaml",
            "minimal-postgres-lowest-version-manifest.yaml",
            "minimal-master-replica-svcmonitor.yaml")) {
      manifests.add(Fixtures.upstream(f));
    }
    for (Path m : manifests) {
      cases.add(Arguments.of(m, "example-configmap"));
      cases.add(Arguments.of(m, "empty-configmap"));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} under {1}")
  @MethodSource("cases")
  void rendersAsReviewed(Path manifest, String configName) throws IOException {
    OperatorConfig config =
        configName.equals("empty-configmap")
            ? OperatorConfig.defaults()
            : OperatorConfigReader.fromFile(
                Fixtures.repoRoot().resolve("manifests/configmap.yaml"));
    StringBuilder out = new StringBuilder();
    for (JsonNode doc : ManifestReader.documents(manifest)) {
      if (!Postgresql.KIND.equals(doc.path("kind").asText())) {
        continue;
      }
      Postgresql pg = ManifestMapper.json().treeToValue(doc, Postgresql.class);
      if (pg.getMetadata().getNamespace() == null) {
        pg.getMetadata().setNamespace("default");
      }
      for (HasMetadata o :
          DesiredStateGenerator.generate(new Cluster(pg, config), Credentials.placeholder())
              .inCreationOrder()) {
        out.append("---\n").append(ManifestMapper.toYaml(o));
      }
    }
    String source =
        manifest.getParent().getParent().getFileName().toString().equals("upstream-examples")
            ? "upstream"
            : "cornac";
    Path golden =
        GOLDEN.resolve(
            source
                + "-"
                + manifest.getFileName().toString().replace(".yaml", "")
                + "--"
                + configName
                + ".yaml");
    if (Boolean.getBoolean("cornac.update")) {
      Files.writeString(golden, out.toString());
    }
    assertThat(golden).as("golden file missing: rerun with -Dcornac.update=true").exists();
    assertThat(out.toString())
        .as(golden.getFileName().toString())
        .isEqualTo(Files.readString(golden));
  }
}
