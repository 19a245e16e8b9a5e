package dev.cornac.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a document against a CRD's structural OpenAPI schema, the way the API server would, but
 * reporting every problem at once with its path. Unknown fields are warnings: the API server prunes
 * them silently.
 */
public final class SchemaValidator {
  private final JsonNode rootSchema;

  public SchemaValidator(JsonNode openApiV3Schema) {
    this.rootSchema = openApiV3Schema;
  }

  public List<Violation> validate(JsonNode document) {
    List<Violation> out = new ArrayList<>();
    check(rootSchema, document, "", out);
    return out;
  }

  private void check(JsonNode schema, JsonNode value, String path, List<Violation> out) {
    if (value == null || value.isMissingNode()) {
      return;
    }
    if (value.isNull()) {
      if (!schema.path("nullable").asBoolean(false) && schema.has("type")) {
        out.add(
            Violation.error(path, null, "must not be null", "remove the field or give it a value"));
      }
      return;
    }
    if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
      if (!value.isTextual() && !value.isIntegralNumber()) {
        out.add(Violation.error(path, value, "must be an integer or a string", null));
      }
      return;
    }
    if (value.isFloatingPointNumber() && !Double.isFinite(value.doubleValue())) {
      out.add(
          Violation.error(
              path, null, "is a number too large to hold", "write a number the field allows"));
      return;
    }
    String type = schema.path("type").asText("");
    switch (type) {
      case "object" -> checkObject(schema, value, path, out);
      case "array" -> {
        if (!value.isArray()) {
          out.add(
              Violation.error(
                  path, shortText(value), "must be a list", "write it as a YAML list (- item)"));
          return;
        }
        JsonNode items = schema.path("items");
        for (int i = 0; i < value.size(); i++) {
          check(items, value.get(i), path + "[" + i + "]", out);
        }
      }
      case "string" -> {
        if (!value.isTextual()) {
          out.add(Violation.error(path, shortText(value), "must be a string", "quote the value"));
          return;
        }
        checkString(schema, value.asText(), path, out);
      }
      case "integer" -> {
        if (!value.isIntegralNumber()) {
          out.add(
              Violation.error(
                  path,
                  shortText(value),
                  "must be an integer",
                  "write a whole number without quotes"));
          return;
        }
        checkRange(schema, value.asLong(), path, out);
      }
      case "number" -> {
        if (!value.isNumber()) {
          out.add(Violation.error(path, shortText(value), "must be a number", null));
        }
      }
      case "boolean" -> {
        if (!value.isBoolean()) {
          out.add(
              Violation.error(
                  path,
                  shortText(value),
                  "must be a boolean",
                  "write true or false without quotes"));
        }
      }
      default -> {}
    }
  }

  private void checkObject(JsonNode schema, JsonNode value, String path, List<Violation> out) {
    if (!value.isObject()) {
      out.add(
          Violation.error(
              path,
              shortText(value),
              "must be an object",
              "write it as a YAML mapping (key: value)"));
      return;
    }
    for (JsonNode required : schema.path("required")) {
      if (!value.has(required.asText())) {
        out.add(
            Violation.error(
                join(path, required.asText()), null, "is required", "add " + required.asText()));
      }
    }
    if (schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)
        && !schema.has("properties")
        && !schema.has("additionalProperties")) {
      return;
    }
    JsonNode properties = schema.path("properties");
    JsonNode additional = schema.path("additionalProperties");
    Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String childPath = join(path, field.getKey());
      if (properties.has(field.getKey())) {
        check(properties.get(field.getKey()), field.getValue(), childPath, out);
      } else if (additional.isObject()) {
        check(additional, field.getValue(), childPath, out);
      } else if (!schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)
          && !path.isEmpty()
          && !path.equals("metadata")) {
        out.add(
            Violation.warning(
                childPath,
                null,
                "is not a known field and would be dropped by the API server",
                "check its spelling against the postgresql reference"));
      }
    }
  }

  private void checkString(JsonNode schema, String value, String path, List<Violation> out) {
    if (schema.has("pattern")
        && !Pattern.compile(schema.get("pattern").asText()).matcher(value).find()) {
      // The UI and the CLI show these messages as they are: the regular expression only where no
      // hint says in words
      // what is accepted.
      String pattern = schema.get("pattern").asText();
      String hint = PatternHints.hint(pattern);
      out.add(
          Violation.error(
              path,
              value,
              hint == null ? "does not match the pattern " + pattern : "is not valid",
              hint));
    }
    if (schema.has("enum")) {
      List<String> allowed = new ArrayList<>();
      schema.get("enum").forEach(e -> allowed.add(e.asText()));
      if (!allowed.contains(value)) {
        out.add(
            Violation.error(
                path, value, "is not allowed", "use one of " + String.join(", ", allowed)));
      }
    }
    if (schema.has("maxLength") && value.length() > schema.get("maxLength").asInt()) {
      out.add(
          Violation.error(
              path,
              value,
              "is longer than " + schema.get("maxLength").asInt() + " characters",
              null));
    }
  }

  private void checkRange(JsonNode schema, long value, String path, List<Violation> out) {
    if (schema.has("minimum") && value < schema.get("minimum").asLong()) {
      out.add(
          Violation.error(
              path,
              value,
              "must be >= " + schema.get("minimum").asLong(),
              "use " + schema.get("minimum").asLong() + " or more"));
    }
    if (schema.has("maximum") && value > schema.get("maximum").asLong()) {
      out.add(
          Violation.error(
              path,
              value,
              "must be <= " + schema.get("maximum").asLong(),
              "use at most " + schema.get("maximum").asLong()));
    }
  }

  private static String join(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  private static String shortText(JsonNode value) {
    String text = value.isTextual() ? value.asText() : value.toString();
    return text.length() > 60 ? text.substring(0, 57) + "..." : text;
  }
}
