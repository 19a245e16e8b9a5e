package dev.cornac.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import dev.cornac.api.model.ManifestMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What each install path gives a user, as the tools themselves render it: kubectl's kustomize and
 * Helm.
 */
final class Installs {
  static final String CHART_RELEASE = "cornac";

  private Installs() {}

  static Path repoRoot() {
    String root = System.getProperty("cornac.repo.root");
    return (root != null ? Path.of(root) : Path.of("..")).toAbsolutePath().normalize();
  }

  static Path manifests() {
    return repoRoot().resolve("manifests");
  }

  static Path chart() {
    return repoRoot().resolve("charts").resolve("cornac");
  }

  /**
   * `kubectl kustomize DIR`, the rendering behind `kubectl apply -k` and Argo CD's kustomize
   * applications.
   */
  static Rendered kustomize(Path dir) {
    try {
      Process p =
          new ProcessBuilder("kubectl", "kustomize", dir.toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(120, TimeUnit.SECONDS))
          .as("kubectl kustomize " + dir + " finished")
          .isTrue();
      assertThat(p.exitValue()).as("kubectl kustomize " + dir + ": " + out).isZero();
      return Rendered.of(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * A user's overlay: `namespace: NAMESPACE` over the given directories of manifests/, written in a
   * temporary folder and pointing back with relative paths (kustomize refuses absolute ones).
   */
  static Rendered kustomizeOverlay(Path overlayDir, String namespace, Path... bases)
      throws IOException {
    StringBuilder k =
        new StringBuilder("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n")
            .append("namespace: ")
            .append(namespace)
            .append("\nresources:\n");
    for (Path base : bases) {
      k.append("- ")
          .append(overlayDir.toAbsolutePath().relativize(base.toAbsolutePath()))
          .append('\n');
    }
    Files.writeString(overlayDir.resolve("kustomization.yaml"), k.toString());
    return kustomize(overlayDir);
  }

  static TemplateCommand helmTemplate() {
    return new Helm(chart()).template().withName(CHART_RELEASE).withNamespace("team-x");
  }

  /** `helm template cornac charts/cornac -n team-x --set KEY=VALUE ...`. */
  static Rendered helm(Map<String, Object> set) {
    TemplateCommand template = helmTemplate();
    set.forEach(template::set);
    return Rendered.of(template.call());
  }

  static Rendered helm() {
    return helm(Map.of());
  }

  static Map<String, Object> set(Object... keysAndValues) {
    Map<String, Object> set = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      set.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return set;
  }

  static JsonNode readYaml(Path file) {
    try {
      return ManifestMapper.yaml().readTree(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A rendered YAML stream as trees, in order. */
  record Rendered(List<JsonNode> objects) {
    static Rendered of(String yaml) {
      List<JsonNode> objects = new ArrayList<>();
      try (var docs = ManifestMapper.yaml().readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
        while (docs.hasNext()) {
          JsonNode doc = docs.next();
          if (doc != null && doc.isObject() && doc.size() > 0) {
            objects.add(doc);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot parse the rendered YAML:\n" + yaml, e);
      }
      return new Rendered(objects);
    }

    Optional<JsonNode> find(String kind, String name) {
      return objects.stream()
          .filter(
              o ->
                  kind.equals(o.path("kind").asText())
                      && name.equals(o.path("metadata").path("name").asText()))
          .findFirst();
    }

    JsonNode get(String kind, String name) {
      return find(kind, name)
          .orElseThrow(
              () -> new AssertionError(kind + "/" + name + " is not rendered; have " + ids()));
    }

    List<JsonNode> ofKind(String kind) {
      return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    List<String> ids() {
      return objects.stream()
          .map(o -> o.path("kind").asText() + "/" + o.path("metadata").path("name").asText())
          .toList();
    }

    /** The ConfigMap's data as the operator reads it. */
    Map<String, String> configMapData(String name) {
      Map<String, String> data = new LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> fields = get("ConfigMap", name).path("data").fields();
      fields.forEachRemaining(e -> data.put(e.getKey(), e.getValue().asText()));
      return data;
    }
  }

  /**
   * A copy of a tree without the given top-level or nested fields (paths like "metadata.labels").
   */
  static JsonNode without(JsonNode node, String... paths) {
    JsonNode copy = node.deepCopy();
    for (String path : paths) {
      String[] parts = path.split("\\.");
      JsonNode parent = copy;
      for (int i = 0; i < parts.length - 1 && parent != null; i++) {
        parent = parent.get(parts[i]);
      }
      if (parent instanceof ObjectNode object) {
        object.remove(parts[parts.length - 1]);
      }
    }
    return copy;
  }
}
