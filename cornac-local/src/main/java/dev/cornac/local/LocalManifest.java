package dev.cornac.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cornac.api.config.OperatorConfig;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.api.model.Postgresql;
import dev.cornac.api.validation.ManifestReader;
import dev.cornac.api.validation.ManifestValidator;
import dev.cornac.api.validation.ValidationResult;
import dev.cornac.api.validation.Violation;
import dev.cornac.generators.Cluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A manifest read for the local runtime: checked with the operator's own rules, then for what one
 * machine cannot do. Fields without a local meaning are listed, never silently dropped.
 */
public record LocalManifest(
    Cluster cluster, String text, List<String> warnings, List<String> ignored) {

  public static LocalManifest load(Path file, OperatorConfig config) {
    List<JsonNode> docs;
    try {
      docs =
          ManifestReader.documents(file).stream()
              .filter(d -> Postgresql.KIND.equals(d.path("kind").asText()) || !d.has("kind"))
              .toList();
    } catch (RuntimeException e) {
      throw new LocalRuntimeException(e.getMessage(), e);
    }
    if (docs.size() != 1) {
      throw new LocalRuntimeException(
          file
              + " holds "
              + docs.size()
              + " postgresql resources; the local runtime "
              + "takes exactly one per file (kind: postgresql, apiVersion: acid.zalan.do/v1)");
    }
    JsonNode doc = docs.get(0);
    ValidationResult result = new ManifestValidator(config).validate(doc);
    if (!result.isValid()) {
      throw new LocalRuntimeException(
          file
              + " is not a valid postgresql manifest:\n"
              + result.errors().stream()
                  .map(v -> "  - " + v.message())
                  .collect(Collectors.joining("\n")));
    }
    Cluster cluster = new Cluster(result.resource().get(), config);
    List<String> unsupported = new ArrayList<>();
    if (cluster.spec().clone != null) {
      unsupported.add(
          "spec.clone: clones are not supported by the local runtime yet; remove the section, or create "
              + "the clone on Kubernetes");
    }
    if (cluster.isStandby()) {
      unsupported.add(
          "spec.standby: standby clusters are not supported by the local runtime yet; remove the section "
              + "(and STANDBY_* variables), or run the standby on Kubernetes");
    }
    if (cluster.effectiveInstances() < 1) {
      unsupported.add(
          "spec.numberOfInstances: a local cluster needs at least 1 instance; set it to 1 or more "
              + "(use `cornac local down` to stop a cluster)");
    }
    if (!unsupported.isEmpty()) {
      throw new LocalRuntimeException(
          file + " cannot run locally:\n  - " + String.join("\n  - ", unsupported));
    }
    return new LocalManifest(
        cluster,
        ManifestMapper.toYaml(doc),
        result.warnings().stream().map(Violation::message).toList(),
        IgnoredFields.of(doc.path("spec")));
  }

  public String name() {
    return cluster.name();
  }
}
