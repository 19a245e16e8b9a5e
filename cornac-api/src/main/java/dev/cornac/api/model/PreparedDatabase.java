package dev.cornac.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * One entry of {@code spec.preparedDatabases} (upstream:
 * pkg/apis/acid.zalan.do/v1/postgresql_type.go, PreparedDatabase).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder(alphabetic = true)
public class PreparedDatabase extends Extensible {
  public Boolean defaultUsers;
  public Map<String, String> extensions;
  public Map<String, PreparedSchema> schemas;
  public String secretNamespace;
}
