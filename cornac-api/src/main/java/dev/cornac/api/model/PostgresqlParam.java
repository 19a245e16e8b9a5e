package dev.cornac.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Map;

/** {@code spec.postgresql}: major version and server parameters. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder(alphabetic = true)
public class PostgresqlParam extends Extensible {
  @Required
  @Pattern(Patterns.POSTGRES_VERSION)
  public String version;

  public Map<String, String> parameters;
}
