package dev.cornac.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Deterministic mutations of a manifest, the kinds of mistakes and attacks a user's file or a
 * stored object can hold: wrong types, deleted and unknown fields, huge and negative numbers,
 * unicode and control characters, bad quantities, versions, windows and flags, deep nesting; and on
 * the text, non-UTF-8 bytes, duplicate keys, YAML's special floats, truncation.
 */
final class ManifestMutations {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final Random random;
  private final List<Supplier<JsonNode>> values = new ArrayList<>();

  ManifestMutations(long seed) {
    this.random = new Random(seed);
    for (Object v :
        List.of(
            "",
            " ",
            "x",
            "lots",
            "-1",
            "0",
            "99",
            "9.6",
            "15",
            "1Gx",
            "500Mi",
            "-1Gi",
            "1e3",
            "0x1F",
            "1_000",
            ".inf",
            "SUPERUSER",
            "nologin",
            "NOLOGIN",
            "login",
            "Mon:25:00-26:00",
            "Sat:01:00-00:00",
            "Sun:00:00-23:59",
            "01:00-02:00",
            "2024-13-45T99:00:00Z",
            "2026-12-31T23:59:59+00:00",
            "ünïcødé ✓",
            "\u0000\u0007ctrl\u001b[31m",
            "\u202Eevil",
            "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
            "a\nb",
            "acid-x",
            "ACID_X",
            "x".repeat(300),
            "../../etc/passwd",
            "$(rm -rf /)",
            "' OR 1=1; --")) {
      values.add(() -> F.textNode((String) v));
    }
    for (long n :
        new long[] {
          0,
          1,
          -1,
          2,
          7,
          65535,
          65536,
          Integer.MAX_VALUE,
          Integer.MIN_VALUE,
          2147483648L,
          Long.MAX_VALUE,
          Long.MIN_VALUE
        }) {
      values.add(() -> F.numberNode(n));
    }
    values.add(() -> F.numberNode(new BigInteger("1180591620717411303424")));
    values.add(() -> F.numberNode(1.5));
    values.add(() -> F.numberNode(-0.5));
    values.add(() -> F.numberNode(Double.POSITIVE_INFINITY));
    values.add(() -> F.numberNode(Double.NaN));
    values.add(() -> F.booleanNode(true));
    values.add(() -> F.booleanNode(false));
    values.add(F::nullNode);
    values.add(F::arrayNode);
    values.add(F::objectNode);
    values.add(() -> F.arrayNode().add("x").addNull());
    values.add(() -> F.objectNode().put("a", 1));
    values.add(() -> nested(60));
  }

  /** A copy of the document with one to three tree mutations. */
  JsonNode mutateTree(JsonNode document) {
    JsonNode copy = document.deepCopy();
    int count = 1 + random.nextInt(3);
    for (int i = 0; i < count; i++) {
      List<Slot> slots = new ArrayList<>();
      collect(copy, slots);
      if (slots.isEmpty()) {
        return value();
      }
      Slot slot = slots.get(random.nextInt(slots.size()));
      switch (random.nextInt(5)) {
        case 0 -> slot.remove();
        case 1 -> {
          if (slot.current().isContainerNode()) {
            ObjectNode wrapper = F.objectNode();
            wrapper.set("unknownField" + random.nextInt(3), value());
            slot.set(
                slot.current().isObject() ? merge((ObjectNode) slot.current(), wrapper) : wrapper);
          } else {
            slot.set(F.arrayNode().add(slot.current()));
          }
        }
        default -> slot.set(value());
      }
    }
    return copy;
  }

  /** The YAML text with one text-level mutation. */
  byte[] mutateText(String yaml) {
    List<String> lines = new ArrayList<>(yaml.lines().toList());
    int at = random.nextInt(Math.max(lines.size(), 1));
    switch (random.nextInt(7)) {
      case 0 -> lines.add(at, lines.get(at));
      case 1 -> {
        byte[] text = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
        int pos = random.nextInt(text.length);
        byte[] out = new byte[text.length + 2];
        System.arraycopy(text, 0, out, 0, pos);
        out[pos] = (byte) 0xE9;
        out[pos + 1] = (byte) (random.nextBoolean() ? 0x20 : 0xFF);
        System.arraycopy(text, pos, out, pos + 2, text.length - pos);
        return out;
      }
      case 2 ->
          lines.set(
              at,
              lines
                  .get(at)
                  .replaceFirst(
                      ":( .*)?$",
                      ": "
                          + List.of(
                                  ".inf",
                                  "-.Inf",
                                  ".nan",
                                  "1e999",
                                  "0o17",
                                  "!!binary aGVsbG8=",
                                  "&a x",
                                  "*a",
                                  "!!python/object:os.system x",
                                  "[",
                                  "{a: 1",
                                  "'unterminated")
                              .get(random.nextInt(12))));
      case 3 -> {
        return String.join("\n", lines)
            .substring(0, random.nextInt(yaml.length()))
            .getBytes(StandardCharsets.UTF_8);
      }
      case 4 ->
          lines.set(
              at,
              lines.get(at).replaceFirst(":( .*)?$", ": " + "[".repeat(1200) + "]".repeat(1200)));
      case 5 -> lines.set(at, "\t" + lines.get(at));
      default ->
          lines.add(at, lines.get(at).replaceFirst("^(\\s*)(- )?([^:]+):.*$", "$1$2$3: " + "x"));
    }
    return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
  }

  private JsonNode value() {
    return values.get(random.nextInt(values.size())).get();
  }

  private static JsonNode nested(int depth) {
    ArrayNode root = F.arrayNode();
    ArrayNode current = root;
    for (int i = 0; i < depth; i++) {
      current = current.addArray();
    }
    return root;
  }

  private static ObjectNode merge(ObjectNode into, ObjectNode from) {
    into.setAll(from);
    return into;
  }

  private static void collect(JsonNode node, List<Slot> out) {
    if (node instanceof ObjectNode object) {
      object
          .fieldNames()
          .forEachRemaining(
              name -> {
                out.add(new Slot(object, name, -1));
                collect(object.get(name), out);
              });
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        out.add(new Slot(array, null, i));
        collect(array.get(i), out);
      }
    }
  }

  /** A place in the tree: a field of an object or an element of a list. */
  private record Slot(JsonNode parent, String name, int index) {
    JsonNode current() {
      return name != null ? parent.get(name) : parent.get(index);
    }

    void set(JsonNode value) {
      if (name != null) {
        ((ObjectNode) parent).set(name, value);
      } else {
        ((ArrayNode) parent).set(index, value);
      }
    }

    void remove() {
      if (name != null) {
        ((ObjectNode) parent).remove(name);
      } else {
        ((ArrayNode) parent).remove(index);
      }
    }
  }
}
