package dev.cornac.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Required;

/** An outbox table of a change-data-capture stream. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder(alphabetic = true)
public class StreamTable extends Extensible {
  @Required public String eventType;
  public String recoveryEventType;
  public String idColumn;
  public String payloadColumn;
  public Boolean ignoreRecovery;
}
