package dev.cornac.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cornac.api.config.OperatorConfig;
import dev.cornac.api.config.OperatorConfigReader;
import dev.cornac.api.model.Postgresql;
import dev.cornac.api.text.Printable;
import dev.cornac.api.validation.ManifestReader;
import dev.cornac.api.validation.ManifestValidator;
import dev.cornac.api.validation.ValidationResult;
import dev.cornac.api.validation.Violation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads manifests and the optional operator configuration, and reports problems the same way for
 * every command.
 */
final class ManifestInput {
  private ManifestInput() {}

  static OperatorConfig config(Path file, PrintWriter err) {
    OperatorConfig config =
        file == null ? OperatorConfig.defaults() : OperatorConfigReader.fromFile(file);
    config
        .warnings()
        .forEach(w -> err.println("warning: " + (file == null ? "" : file + ": ") + w));
    return config;
  }

  /**
   * The postgresql documents of a file; documents of other kinds are skipped (a manifest may bundle
   * them). A kind spelled with other capitals ({@code Postgresql}) is kept, for the validator to
   * say how it must be spelled.
   */
  static List<JsonNode> postgresqlDocuments(Path file) {
    List<JsonNode> docs = new ArrayList<>();
    for (JsonNode doc : ManifestReader.documents(file)) {
      JsonNode kind = doc.path("kind");
      if (!doc.isObject() || !kind.isTextual() || Postgresql.KIND.equalsIgnoreCase(kind.asText())) {
        docs.add(doc);
      }
    }
    return docs;
  }

  /** Why a file gave no postgresql document, with the kinds it does hold. */
  static String noPostgresql(Path file) {
    Set<String> kinds = new TreeSet<>();
    ManifestReader.documents(file).forEach(doc -> kinds.add(doc.path("kind").asText("")));
    kinds.remove("");
    return file
        + ": holds no postgresql resource"
        + (kinds.isEmpty() ? "" : " (it holds " + Printable.text(String.join(", ", kinds)) + ")")
        + "; a cluster manifest has apiVersion: "
        + Postgresql.API_VERSION
        + " and kind: "
        + Postgresql.KIND;
  }

  static String describe(Path file, JsonNode doc) {
    String name = doc.path("metadata").path("name").asText("");
    return file + (name.isEmpty() ? "" : " (" + Printable.text(name) + ")");
  }

  /** Prints warnings and errors; returns true when the manifest is usable. */
  static boolean report(Path file, JsonNode doc, ValidationResult result, PrintWriter err) {
    for (Violation v : result.warnings()) {
      err.println("warning: " + describe(file, doc) + ": " + v.message());
    }
    for (Violation v : result.errors()) {
      err.println("error: " + describe(file, doc) + ": " + v.message());
    }
    return result.isValid();
  }

  static ValidationResult validate(JsonNode doc, OperatorConfig config) {
    return new ManifestValidator(config).validate(doc);
  }
}
