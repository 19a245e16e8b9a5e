package dev.cornac.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/**
 * {@code spec.connectionPooler} (upstream: pkg/apis/acid.zalan.do/v1/postgresql_type.go,
 * ConnectionPooler); its presence alone enables the master pooler.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder(alphabetic = true)
public class ConnectionPooler extends Extensible {
  @Min(1)
  public Integer numberOfInstances;

  public String schema;
  public String user;

  @Pattern("^(session|transaction)$")
  public String mode;

  public String dockerImage;
  public Integer maxDBConnections;
  public Resources resources;
}
