package dev.cornac.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cornac.api.config.ConfigKey;
import dev.cornac.api.config.ConfigKeys;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.api.model.PostgresTeam;
import dev.cornac.api.model.Postgresql;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The CRDs Cornac installs, as shipped in {@code manifests/}: the fabric8 generator's output from
 * our model, finished with what the generator cannot express (upstream's printer-column order,
 * listKind, required top-level fields) and, for OperatorConfiguration, a schema built from the
 * configuration key registry.
 */
public final class CrdManifests {
  public static final String POSTGRESQL = "postgresqls.acid.zalan.do";
  public static final String OPERATOR_CONFIGURATION = "operatorconfigurations.acid.zalan.do";
  public static final String POSTGRES_TEAM = "postgresteams.acid.zalan.do";
  private static final List<String> POSTGRESQL_COLUMNS =
      List.of(
          "Team", "Version", "Pods", "Volume", "CPU-Request", "Memory-Request", "Age", "Status");
  private static final List<String> OPCONFIG_COLUMNS =
      List.of("Image", "Cluster-Label", "Service-Account", "Min-Instances", "Age");
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private CrdManifests() {}

  /** The finished CRD as YAML, for one of the three names above. */
  public static String yaml(String crdName) {
    return ManifestMapper.toYaml(finished(crdName));
  }

  public static ObjectNode finished(String crdName) {
    ObjectNode crd = generated(crdName);
    ObjectNode names = (ObjectNode) crd.path("spec").path("names");
    names.put("listKind", names.path("kind").asText() + "List");
    ObjectNode version = (ObjectNode) crd.path("spec").path("versions").get(0);
    ObjectNode schema = (ObjectNode) version.path("schema").path("openAPIV3Schema");
    switch (crdName) {
      case POSTGRESQL -> {
        IntegerBounds.apply(schema, Postgresql.class);
        orderColumns(version, POSTGRESQL_COLUMNS);
        schema.putArray("required").add("metadata").add("spec");
        userFlagsEnum(schema);
        envVarNamesRequired(schema);
      }
      case POSTGRES_TEAM -> {
        IntegerBounds.apply(schema, PostgresTeam.class);
        schema.putArray("required").add("metadata").add("spec");
      }
      case OPERATOR_CONFIGURATION -> {
        orderColumns(version, OPCONFIG_COLUMNS);
        ObjectNode properties = (ObjectNode) schema.path("properties");
        properties.remove("spec");
        properties.set("configuration", configurationSchema());
        schema.putArray("required").add("metadata").add("configuration");
      }
      default -> throw new IllegalArgumentException("unknown CRD " + crdName);
    }
    ObjectNode metadata = (ObjectNode) crd.path("metadata");
    crd.remove("metadata");
    ObjectNode spec = (ObjectNode) crd.remove("spec");
    crd.set("metadata", metadata);
    crd.set("spec", spec);
    return crd;
  }

  private static ObjectNode generated(String crdName) {
    String resource = "/META-INF/fabric8/" + crdName + "-v1.yml";
    try (InputStream in = CrdManifests.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            resource + " is missing: build cornac-api (the CRD generator runs there)");
      }
      return (ObjectNode) ManifestMapper.yaml().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The generator cannot reach list items inside a map; upstream's schema enumerates the flags
   * there.
   */
  private static void userFlagsEnum(ObjectNode schema) {
    ObjectNode items =
        (ObjectNode)
            schema
                .path("properties")
                .path("spec")
                .path("properties")
                .path("users")
                .path("additionalProperties")
                .path("items");
    ArrayNode values = items.putArray("enum");
    for (String flag :
        List.of(
            "bypassrls",
            "createdb",
            "createrole",
            "inherit",
            "login",
            "replication",
            "superuser")) {
      values
          .add(flag)
          .add(flag.toUpperCase(Locale.ROOT))
          .add("no" + flag)
          .add("NO" + flag.toUpperCase(Locale.ROOT));
    }
  }

  /**
   * Kubernetes requires a name on every environment variable ({@code EnvVar.name} is not optional),
   * but the generator cannot tell from fabric8's model; without this a nameless entry passes here
   * and fails only when the StatefulSet is written.
   */
  private static void envVarNamesRequired(JsonNode node) {
    if (node.isObject()) {
      JsonNode items = node.path("properties").path("env").path("items");
      if (items.isObject() && items.path("properties").has("valueFrom") && !items.has("required")) {
        ((ObjectNode) items).putArray("required").add("name");
      }
    }
    node.forEach(CrdManifests::envVarNamesRequired);
  }

  private static void orderColumns(ObjectNode version, List<String> order) {
    ArrayNode columns = (ArrayNode) version.path("additionalPrinterColumns");
    Map<String, JsonNode> byName = new LinkedHashMap<>();
    columns.forEach(
        c -> {
          ObjectNode col = (ObjectNode) c;
          col.remove("priority");
          byName.put(col.path("name").asText(), col);
        });
    ArrayNode ordered = F.arrayNode();
    order.forEach(name -> ordered.add(byName.get(name)));
    version.set("additionalPrinterColumns", ordered);
  }

  /**
   * {@code configuration}: every key of the registry at its OperatorConfiguration path, typed, with
   * defaults.
   */
  static ObjectNode configurationSchema() {
    ObjectNode configuration = F.objectNode().put("type", "object");
    ObjectNode properties = configuration.putObject("properties");
    for (ConfigKey key : ConfigKeys.all()) {
      if (key.crdPath().isEmpty()) {
        continue;
      }
      String path = key.crdPath().get();
      ObjectNode parent = properties;
      String leaf = path;
      if (key.crdGroup().isPresent()) {
        String group = key.crdGroup().get();
        ObjectNode groupNode =
            properties.has(group)
                ? (ObjectNode) properties.get(group)
                : properties.putObject(group).put("type", "object");
        parent =
            groupNode.has("properties")
                ? (ObjectNode) groupNode.get("properties")
                : groupNode.putObject("properties");
        leaf = path.substring(group.length() + 1);
      }
      parent.set(leaf, keySchema(key));
    }
    return configuration;
  }

  private static ObjectNode keySchema(ConfigKey key) {
    ObjectNode s = F.objectNode();
    switch (key.encoding()) {
      case BOOL -> s.put("type", "boolean");
      case INT -> IntegerBounds.int32(s.put("type", "integer"));
      case LIST -> s.put("type", "array").putObject("items").put("type", "string");
      case MAP -> s.put("type", "object").putObject("additionalProperties").put("type", "string");
      case CONTAINERS ->
          s.put("type", "array")
              .putObject("items")
              .put("type", "object")
              .put("x-kubernetes-preserve-unknown-fields", true);
      case PROBE -> s.put("type", "object").put("x-kubernetes-preserve-unknown-fields", true);
      default -> s.put("type", "string");
    }
    if (key.name().equals("infrastructure_roles_secrets")) {
      s.removeAll();
      s.put("type", "array")
          .putObject("items")
          .put("type", "object")
          .put("x-kubernetes-preserve-unknown-fields", true);
    }
    key.crdSchemaDefault().ifPresent(d -> s.set("default", defaultValue(key, d)));
    return s;
  }

  private static JsonNode defaultValue(ConfigKey key, String literal) {
    try {
      return switch (key.encoding()) {
        case BOOL, INT, LIST, MAP -> ManifestMapper.yaml().readTree(literal);
        default -> F.textNode(literal);
      };
    } catch (IOException e) {
      throw new IllegalStateException("bad schema default for " + key.name() + ": " + literal, e);
    }
  }
}
