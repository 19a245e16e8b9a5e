package dev.cornac.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cornac.api.config.OperatorConfig;
import dev.cornac.api.validation.ManifestReader;
import dev.cornac.api.validation.ValidationResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cornac validate}: check manifests with the operator's own rules; non-zero exit on any
 * error.
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description =
        "Validate postgresql manifests with the operator's rules; exits 1 when any is invalid.")
final class ValidateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-f", "--filename"},
      required = true,
      arity = "1..*",
      description = "manifest files")
  List<Path> files;

  @Option(
      names = "--config",
      description = "operator configuration (ConfigMap or OperatorConfiguration file)")
  Path configFile;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    OperatorConfig config = ManifestInput.config(configFile, err);
    boolean allValid = true;
    for (Path file : files) {
      List<JsonNode> docs;
      try {
        docs = ManifestInput.postgresqlDocuments(file);
      } catch (ManifestReader.ManifestFileException e) {
        err.println("error: " + e.getMessage());
        allValid = false;
        continue;
      }
      if (docs.isEmpty()) {
        err.println("error: " + ManifestInput.noPostgresql(file));
        allValid = false;
      }
      for (JsonNode doc : docs) {
        ValidationResult result = ManifestInput.validate(doc, config);
        if (ManifestInput.report(file, doc, result, err)) {
          out.println(ManifestInput.describe(file, doc) + ": valid");
        } else {
          allValid = false;
        }
      }
    }
    out.flush();
    return allValid ? CliErrors.EXIT_OK : CliErrors.EXIT_INVALID;
  }
}
