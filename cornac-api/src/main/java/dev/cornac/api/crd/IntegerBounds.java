package dev.cornac.api.crd;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Set;

/**
 * Bounds every integer of a generated CRD schema by the Java type that reads it: minimum and
 * maximum of {@code int} for {@code int}/{@code Integer}, of {@code long} for {@code long}/{@code
 * Long}, with the matching {@code format}. The bounds are what counts: kube-apiserver strips
 * numeric formats before validating, up to Kubernetes 1.35 (kubernetes/kubernetes#136091), so with
 * a bare {@code type: integer} or a format alone it stored {@code numberOfInstances: 2147483648},
 * which no informer could then read.
 */
final class IntegerBounds {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final BigDecimal INT32_MIN = BigDecimal.valueOf(Integer.MIN_VALUE);
  private static final BigDecimal INT32_MAX = BigDecimal.valueOf(Integer.MAX_VALUE);
  private static final BigDecimal INT64_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
  private static final BigDecimal INT64_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

  private IntegerBounds() {}

  /**
   * Walks {@code schema} alongside {@code type}'s Jackson properties, bounding each integer it
   * finds.
   */
  static void apply(ObjectNode schema, Class<?> type) {
    walk(schema, MAPPER.constructType(type), new HashSet<>());
  }

  /**
   * {@code type: integer} with int32 format and bounds, kept narrower where the schema already is.
   */
  static void int32(ObjectNode schema) {
    bound(schema, "int32", INT32_MIN, INT32_MAX);
  }

  /**
   * {@code type: integer} with int64 format and bounds, kept narrower where the schema already is.
   */
  static void int64(ObjectNode schema) {
    bound(schema, "int64", INT64_MIN, INT64_MAX);
  }

  private static void bound(ObjectNode schema, String format, BigDecimal min, BigDecimal max) {
    schema.put("format", format);
    if (!schema.has("minimum") || schema.get("minimum").decimalValue().compareTo(min) < 0) {
      schema.put("minimum", min.longValueExact());
    }
    if (!schema.has("maximum") || schema.get("maximum").decimalValue().compareTo(max) > 0) {
      schema.put("maximum", max.longValueExact());
    }
  }

  private static void walk(ObjectNode schema, JavaType type, Set<String> path) {
    if (type == null || schema == null) {
      return;
    }
    Class<?> raw = type.getRawClass();
    if (schema.path("type").asText().equals("integer")) {
      if (raw == Integer.class || raw == int.class || raw == Short.class || raw == short.class) {
        int32(schema);
      } else if (raw == Long.class || raw == long.class) {
        int64(schema);
      }
      return;
    }
    if (type.isCollectionLikeType() || type.isArrayType()) {
      walk(child(schema, "items"), type.getContentType(), path);
      return;
    }
    if (type.isMapLikeType()) {
      walk(child(schema, "additionalProperties"), type.getContentType(), path);
      return;
    }
    if (!schema.has("properties") || raw.isPrimitive() || raw.getName().startsWith("java.")) {
      return;
    }
    // A type reached again below itself (recursive fabric8 schemas such as JSONSchemaProps) is
    // already bounded.
    if (!path.add(raw.getName())) {
      return;
    }
    BeanDescription bean = MAPPER.getSerializationConfig().introspect(type);
    for (BeanPropertyDefinition property : bean.findProperties()) {
      walk(child(schema.get("properties"), property.getName()), property.getPrimaryType(), path);
    }
    path.remove(raw.getName());
  }

  private static ObjectNode child(JsonNode parent, String name) {
    return parent.get(name) instanceof ObjectNode o ? o : null;
  }
}
