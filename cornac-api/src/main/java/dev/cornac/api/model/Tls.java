package dev.cornac.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Required;

/** {@code spec.tls} (upstream: pkg/apis/acid.zalan.do/v1/postgresql_type.go, TLSDescription). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder(alphabetic = true)
public class Tls extends Extensible {
  @Required public String secretName;
  public String certificateFile;
  public String privateKeyFile;
  public String caFile;
  public String caSecretName;
}
