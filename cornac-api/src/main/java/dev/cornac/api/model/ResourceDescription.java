package dev.cornac.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Pattern;

/** CPU, memory and huge pages of one side (requests or limits). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder(alphabetic = true)
public class ResourceDescription extends Extensible {
  @Pattern(Patterns.CPU)
  public String cpu;

  @Pattern(Patterns.MEMORY)
  public String memory;

  @JsonProperty("hugepages-2Mi")
  @Pattern(Patterns.MEMORY)
  public String hugepages2Mi;

  @JsonProperty("hugepages-1Gi")
  @Pattern(Patterns.MEMORY)
  public String hugepages1Gi;
}
