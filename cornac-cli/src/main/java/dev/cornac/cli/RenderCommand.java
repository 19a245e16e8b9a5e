package dev.cornac.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cornac.api.config.OperatorConfig;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.api.model.Postgresql;
import dev.cornac.api.validation.ValidationResult;
import dev.cornac.generators.Cluster;
import dev.cornac.generators.DesiredStateGenerator;
import dev.cornac.generators.secrets.Credentials;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cornac render}: the Kubernetes objects a manifest becomes, offline. */
@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    description =
        "Print the Kubernetes objects a postgresql manifest becomes (offline, no cluster needed).")
final class RenderCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-f", "--filename"},
      required = true,
      description = "postgresql manifest (YAML or JSON)")
  Path file;

  @Option(
      names = "--config",
      description =
          "operator configuration: a ConfigMap or an OperatorConfiguration file; "
              + "upstream's code defaults when absent")
  Path configFile;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "yaml",
      description = "yaml or json (default: ${DEFAULT-VALUE})")
  String output;

  @Option(
      names = {"-n", "--namespace"},
      description = "namespace of a manifest that names none (default: default)")
  String namespace;

  @Option(
      names = "--show-secrets",
      description = "print freshly generated passwords instead of placeholders")
  boolean showSecrets;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!output.equals("yaml") && !output.equals("json")) {
      err.println("error: -o " + output + " is not supported; use -o yaml or -o json");
      return CliErrors.EXIT_ERROR;
    }
    OperatorConfig config = ManifestInput.config(configFile, err);
    List<JsonNode> docs = ManifestInput.postgresqlDocuments(file);
    if (docs.isEmpty()) {
      err.println("error: " + ManifestInput.noPostgresql(file));
      return CliErrors.EXIT_INVALID;
    }
    List<HasMetadata> objects = new ArrayList<>();
    boolean valid = true;
    for (JsonNode doc : docs) {
      ValidationResult result = ManifestInput.validate(doc, config);
      if (!ManifestInput.report(file, doc, result, err)) {
        valid = false;
        continue;
      }
      Postgresql pg = result.resource().get();
      if (namespace != null
          && (pg.getMetadata().getNamespace() == null
              || pg.getMetadata().getNamespace().isEmpty())) {
        pg.getMetadata().setNamespace(namespace);
      }
      Credentials credentials = showSecrets ? Credentials.random() : Credentials.placeholder();
      objects.addAll(
          DesiredStateGenerator.generate(new Cluster(pg, config), credentials).inCreationOrder());
    }
    if (!valid) {
      return CliErrors.EXIT_INVALID;
    }
    print(objects, out);
    return CliErrors.EXIT_OK;
  }

  private void print(List<HasMetadata> objects, PrintWriter out) throws Exception {
    if (output.equals("json")) {
      ObjectNode list = JsonNodeFactory.instance.objectNode();
      list.put("apiVersion", "v1");
      list.put("kind", "List");
      ArrayNode items = list.putArray("items");
      objects.forEach(o -> items.add(ManifestMapper.tree(o)));
      out.println(ManifestMapper.json().writerWithDefaultPrettyPrinter().writeValueAsString(list));
    } else {
      for (HasMetadata o : objects) {
        out.println("---");
        out.print(ManifestMapper.toYaml(o));
      }
    }
    out.flush();
  }
}
