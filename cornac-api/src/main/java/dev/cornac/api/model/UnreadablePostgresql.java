package dev.cornac.api.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.cornac.api.text.Printable;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.io.IOException;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * Reads each stored {@code postgresql} object on its own, so that one the model cannot hold (a
 * number beyond {@code int}, text where a list belongs — possible in objects stored under
 * upstream's looser CRD) does not fail the whole list the informer reads, which stops the operator
 * for every cluster. Such an object comes out with its metadata, no spec and {@link
 * Postgresql#unreadable()} saying which field is wrong and why, for the operator to report as
 * {@code Invalid}.
 */
public final class UnreadablePostgresql {
  private UnreadablePostgresql() {}

  /** The Jackson module that makes {@code postgresql} objects readable one by one. */
  public static Module module() {
    SimpleModule module = new SimpleModule("cornac-unreadable-postgresql");
    module.setDeserializerModifier(
        new BeanDeserializerModifier() {
          @Override
          public JsonDeserializer<?> modifyDeserializer(
              DeserializationConfig config,
              BeanDescription bean,
              JsonDeserializer<?> deserializer) {
            return bean.getBeanClass() == Postgresql.class
                ? new Lenient(deserializer)
                : deserializer;
          }
        });
    return module;
  }

  private static final class Lenient extends DelegatingDeserializer {
    Lenient(JsonDeserializer<?> delegate) {
      super(delegate);
    }

    @Override
    protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> newDelegatee) {
      return new Lenient(newDelegatee);
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonNode tree = ctxt.readTree(p);
      try (JsonParser again = tree.traverse(p.getCodec())) {
        again.nextToken();
        return _delegatee.deserialize(again, ctxt);
      } catch (JsonMappingException e) {
        Postgresql pg = new Postgresql();
        pg.setMetadata(metadata(tree, p, ctxt));
        pg.markUnreadable(describe(e) + "; correct the manifest (kubectl edit postgresql)");
        return pg;
      }
    }

    private static ObjectMeta metadata(JsonNode tree, JsonParser p, DeserializationContext ctxt) {
      try (JsonParser meta = tree.path("metadata").traverse(p.getCodec())) {
        meta.nextToken();
        return ctxt.readValue(meta, ObjectMeta.class);
      } catch (IOException e) {
        ObjectMeta minimal = new ObjectMeta();
        minimal.setName(tree.path("metadata").path("name").asText(null));
        minimal.setNamespace(tree.path("metadata").path("namespace").asText(null));
        minimal.setUid(tree.path("metadata").path("uid").asText(null));
        minimal.setResourceVersion(tree.path("metadata").path("resourceVersion").asText(null));
        return minimal;
      }
    }
  }

  /** Which field and what is wrong with it, in words a user can act on (no Java type names). */
  public static String describe(JsonMappingException e) {
    String field = field(e);
    return (field.isEmpty() ? "the resource" : field) + ": " + problem(e);
  }

  /**
   * The path of the field that could not be read ({@code spec.users.zalando[0]}), empty for the
   * whole resource.
   */
  public static String field(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .map(Printable::text)
        .collect(Collectors.joining("."))
        .replace(".[", "[");
  }

  /** What is wrong with that field and what it must be. */
  public static String problem(JsonMappingException e) {
    String value =
        e instanceof InvalidFormatException f && f.getValue() != null
            ? f.getValue().toString()
            : null;
    Class<?> target = e instanceof MismatchedInputException m ? m.getTargetType() : null;
    String wanted = target == null ? "what the postgresql CRD allows" : expected(target);
    return (value != null ? Printable.text(value) + " cannot be read as " : "cannot be read as ")
        + wanted;
  }

  private static String expected(Class<?> type) {
    if (type == Integer.class || type == int.class) {
      return "a whole number from -2147483648 to 2147483647";
    }
    if (type == Long.class || type == long.class) {
      return "a whole number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "text";
    }
    if (Collection.class.isAssignableFrom(type)) {
      return "a list";
    }
    return "an object with the fields of the postgresql CRD";
  }
}
