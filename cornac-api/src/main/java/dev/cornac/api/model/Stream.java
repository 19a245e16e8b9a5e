package dev.cornac.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Map;

/**
 * One of {@code spec.streams} (Zalando FabricEventStream; upstream: pkg/cluster/streams.go,
 * generateFabricEventStream).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder(alphabetic = true)
public class Stream extends Extensible {
  @Required public String applicationId;
  @Required public String database;
  @Required public Map<String, StreamTable> tables;
  public Map<String, String> filter;
  public Integer batchSize;

  @Pattern(Patterns.CPU)
  public String cpu;

  @Pattern(Patterns.MEMORY)
  public String memory;

  public Boolean enableRecovery;
}
