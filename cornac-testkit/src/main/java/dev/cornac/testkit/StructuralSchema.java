package dev.cornac.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A CRD's structural schema applied to an object the way kube-apiserver does on create and update:
 * unknown fields pruned (unless {@code x-kubernetes-preserve-unknown-fields}), defaults filled in,
 * then validation of types, bounds, enums, patterns, lengths and required fields. Errors read like
 * the real server's: {@code spec.numberOfInstances: Invalid value: 2147483648:
 * spec.numberOfInstances in body should be less than or equal to 2147483647}.
 */
public final class StructuralSchema {
  /** One rejected field. */
  public record FieldError(String field, String reason, String message) {}

  private final JsonNode root;

  public StructuralSchema(JsonNode openApiV3Schema) {
    this.root = openApiV3Schema;
  }

  /**
   * Prunes and defaults {@code object} in place, then returns what is invalid in it (empty when it
   * is valid).
   */
  public List<FieldError> admit(ObjectNode object) {
    JsonNode apiVersion = object.remove("apiVersion");
    JsonNode kind = object.remove("kind");
    JsonNode metadata = object.remove("metadata");
    List<FieldError> errors = new ArrayList<>();
    checkObject(root, object, "", errors);
    // the envelope is the server's own business, not the schema's: it is there whenever the schema
    // requires it
    errors.removeIf(
        e ->
            (e.field().equals("metadata") && metadata != null)
                || (e.field().equals("apiVersion") && apiVersion != null)
                || (e.field().equals("kind") && kind != null));
    ObjectNode restored = object.objectNode();
    if (apiVersion != null) {
      restored.set("apiVersion", apiVersion);
    }
    if (kind != null) {
      restored.set("kind", kind);
    }
    if (metadata != null) {
      restored.set("metadata", metadata);
    }
    restored.setAll(object);
    object.removeAll();
    object.setAll(restored);
    return errors;
  }

  /**
   * Validates one value against its schema, pruning and defaulting below it; returns the value to
   * store.
   */
  private JsonNode check(JsonNode schema, JsonNode value, String path, List<FieldError> errors) {
    if (value.isNull()) {
      if (!schema.path("nullable").asBoolean()) {
        errors.add(
            invalid(
                path, value, path + " in body must be of type " + typeName(schema) + ": \"null\""));
      }
      return value;
    }
    if (schema.path("x-kubernetes-int-or-string").asBoolean()) {
      if (!value.isIntegralNumber() && !value.isTextual()) {
        errors.add(
            invalid(
                path,
                value,
                path + " in body must be of type integer or string: \"" + jsonType(value) + "\""));
      }
      return value;
    }
    String type = schema.path("type").asText("");
    if (!type.isEmpty() && !hasType(value, type)) {
      errors.add(
          invalid(
              path,
              value,
              path + " in body must be of type " + type + ": \"" + jsonType(value) + "\""));
      return value;
    }
    switch (type) {
      case "object" -> checkObject(schema, (ObjectNode) value, path, errors);
      case "array" -> {
        ArrayNode array = (ArrayNode) value;
        for (int i = 0; i < array.size(); i++) {
          if (schema.has("items")) {
            array.set(i, check(schema.get("items"), array.get(i), path + "[" + i + "]", errors));
          }
        }
        bound(
            schema,
            "minItems",
            array.size(),
            path,
            value,
            errors,
            "should have at least %s items",
            true);
        bound(
            schema,
            "maxItems",
            array.size(),
            path,
            value,
            errors,
            "should have at most %s items",
            false);
      }
      case "integer" -> checkInteger(schema, value, path, errors);
      case "number" -> checkNumber(schema, value.decimalValue(), path, value, errors);
      case "string" -> checkString(schema, value.asText(), path, value, errors);
      default -> {}
    }
    checkEnum(schema, value, path, errors);
    return value;
  }

  private void checkObject(
      JsonNode schema, ObjectNode object, String path, List<FieldError> errors) {
    JsonNode properties = schema.path("properties");
    JsonNode additional = schema.path("additionalProperties");
    boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean();
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode fieldSchema =
          properties.has(field.getKey())
              ? properties.get(field.getKey())
              : additional.isObject() ? additional : null;
      if (fieldSchema == null && !preserve && !additional.asBoolean(false)) {
        it.remove();
      } else if (field.getValue().isNull()
          && (fieldSchema == null || !fieldSchema.path("nullable").asBoolean())) {
        // kube-apiserver prunes a null it may not keep before defaulting
        it.remove();
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> p = it.next();
      if (!object.has(p.getKey()) && p.getValue().has("default")) {
        object.set(p.getKey(), p.getValue().get("default").deepCopy());
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
      JsonNode fieldSchema =
          properties.has(field.getKey()) ? properties.get(field.getKey()) : additional;
      if (fieldSchema.isObject()) {
        field.setValue(check(fieldSchema, field.getValue(), child, errors));
      }
    }
    for (JsonNode required : schema.path("required")) {
      if (!object.has(required.asText())) {
        String field = path.isEmpty() ? required.asText() : path + "." + required.asText();
        errors.add(new FieldError(field, "FieldValueRequired", field + ": Required value"));
      }
    }
  }

  /**
   * Integers are held to their minimum and maximum only: kube-apiserver strips the numeric formats
   * ({@code int32}, {@code int64}) before validating, up to Kubernetes 1.35
   * (kubernetes/kubernetes#136091), so a CRD that relies on {@code format: int32} alone stores
   * 2147483648.
   */
  private void checkInteger(JsonNode schema, JsonNode value, String path, List<FieldError> errors) {
    checkNumber(schema, new BigDecimal(value.bigIntegerValue()), path, value, errors);
  }

  private void checkNumber(
      JsonNode schema, BigDecimal v, String path, JsonNode value, List<FieldError> errors) {
    if (schema.has("minimum")) {
      BigDecimal min = schema.get("minimum").decimalValue();
      boolean exclusive = schema.path("exclusiveMinimum").asBoolean();
      if (exclusive ? v.compareTo(min) <= 0 : v.compareTo(min) < 0) {
        errors.add(
            invalid(
                path,
                value,
                path
                    + " in body should be greater than "
                    + (exclusive ? "" : "or equal to ")
                    + plain(min)));
      }
    }
    if (schema.has("maximum")) {
      BigDecimal max = schema.get("maximum").decimalValue();
      boolean exclusive = schema.path("exclusiveMaximum").asBoolean();
      if (exclusive ? v.compareTo(max) >= 0 : v.compareTo(max) > 0) {
        errors.add(
            invalid(
                path,
                value,
                path
                    + " in body should be less than "
                    + (exclusive ? "" : "or equal to ")
                    + plain(max)));
      }
    }
  }

  private void checkString(
      JsonNode schema, String s, String path, JsonNode value, List<FieldError> errors) {
    if (schema.has("pattern")
        && !Pattern.compile(schema.get("pattern").asText()).matcher(s).find()) {
      errors.add(
          invalid(
              path,
              value,
              path + " in body should match '" + schema.get("pattern").asText() + "'"));
    }
    int length = s.codePointCount(0, s.length());
    bound(
        schema, "minLength", length, path, value, errors, "should be at least %s chars long", true);
    bound(schema, "maxLength", length, path, value, errors, "may not be more than %s bytes", false);
  }

  private static void bound(
      JsonNode schema,
      String key,
      int actual,
      String path,
      JsonNode value,
      List<FieldError> errors,
      String message,
      boolean lower) {
    if (!schema.has(key)) {
      return;
    }
    int limit = schema.get(key).asInt();
    if (lower ? actual < limit : actual > limit) {
      errors.add(invalid(path, value, path + " in body " + String.format(message, limit)));
    }
  }

  private static void checkEnum(
      JsonNode schema, JsonNode value, String path, List<FieldError> errors) {
    if (!schema.has("enum")) {
      return;
    }
    for (JsonNode allowed : schema.get("enum")) {
      if (allowed.equals(value)) {
        return;
      }
    }
    List<String> supported = new ArrayList<>();
    schema.get("enum").forEach(e -> supported.add(e.toString()));
    errors.add(
        new FieldError(
            path,
            "FieldValueNotSupported",
            path
                + ": Unsupported value: "
                + value
                + ": supported values: "
                + String.join(", ", supported)));
  }

  private static boolean hasType(JsonNode value, String type) {
    return switch (type) {
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "string" -> value.isTextual();
      case "integer" ->
          value.isIntegralNumber() || (value.isNumber() && isWhole(value.decimalValue()));
      case "number" -> value.isNumber();
      case "boolean" -> value.isBoolean();
      default -> true;
    };
  }

  private static boolean isWhole(BigDecimal d) {
    return d.stripTrailingZeros().scale() <= 0;
  }

  private static String jsonType(JsonNode value) {
    if (value.isObject()) {
      return "object";
    }
    if (value.isArray()) {
      return "array";
    }
    if (value.isTextual()) {
      return "string";
    }
    if (value.isIntegralNumber()) {
      return "integer";
    }
    if (value.isNumber()) {
      return "number";
    }
    return value.isBoolean() ? "boolean" : "null";
  }

  private static String typeName(JsonNode schema) {
    return schema.path("type").asText("object");
  }

  private static String plain(BigDecimal d) {
    return d.stripTrailingZeros().toPlainString();
  }

  private static FieldError invalid(String path, JsonNode value, String detail) {
    String shown =
        value.isTextual()
            ? value.toString()
            : value.isContainerNode() ? jsonType(value) : value.toString();
    return new FieldError(
        path, "FieldValueInvalid", path + ": Invalid value: " + shown + ": " + detail);
  }
}
