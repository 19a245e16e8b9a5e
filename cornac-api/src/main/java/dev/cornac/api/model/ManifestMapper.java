package dev.cornac.api.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.util.List;
import java.util.Map;

/**
 * The one Jackson setup used to read and write manifests (JSON and YAML), with unknown fields
 * preserved.
 */
public final class ManifestMapper {
  private static final ObjectMapper JSON = configure(new ObjectMapper());
  // Reading refuses a key given twice in one mapping, as kubectl's strict decoding does: which one
  // won would be a guess.
  private static final ObjectMapper YAML =
      configure(
          new ObjectMapper(
              YAMLFactory.builder()
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                  .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                  .disable(YAMLGenerator.Feature.SPLIT_LINES)
                  .stringQuotingChecker(new Yaml11Quoting())
                  .build()));

  private ManifestMapper() {}

  private static ObjectMapper configure(ObjectMapper mapper) {
    mapper.addMixIn(Extensible.class, ExtensibleMixin.class);
    mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    mapper.configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    mapper.setSerializationInclusion(JsonInclude.Include.NON_NULL);
    return mapper;
  }

  public static ObjectMapper json() {
    return JSON;
  }

  public static ObjectMapper yaml() {
    return YAML;
  }

  public static <T> T convert(Object value, Class<T> type) {
    return JSON.convertValue(value, type);
  }

  public static <T> List<T> convertList(Object value, Class<T> element) {
    return JSON.convertValue(
        value, JSON.getTypeFactory().constructCollectionType(List.class, element));
  }

  public static JsonNode tree(Object value) {
    return JSON.valueToTree(value);
  }

  public static String toJson(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  public static String toYaml(Object value) {
    try {
      return YAML.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  abstract static class ExtensibleMixin {
    @JsonAnyGetter
    abstract Map<String, Object> unknownFields();

    @JsonAnySetter
    abstract void putUnknownField(String name, Object value);
  }
}
