package dev.cornac.api.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Map;

/**
 * Status sub-resource. Upstream writes {@code {"PostgresClusterStatus": "Running"}} and its parser
 * also accepts a bare JSON string; Argo CD's built-in health check reads exactly {@code
 * status.PostgresClusterStatus}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PostgresqlStatus {
  @Required
  @JsonProperty("PostgresClusterStatus")
  public String postgresClusterStatus;

  /** Cornac addition: the generation of the spec this status describes. */
  public Long observedGeneration;

  /** Cornac addition: human-readable conditions (Ready, Reconciled). */
  public List<Condition> conditions;

  public PostgresqlStatus() {}

  public PostgresqlStatus(String value) {
    this.postgresClusterStatus = value;
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static PostgresqlStatus fromJson(Object json) {
    if (json == null) {
      return null;
    }
    if (json instanceof String s) {
      return new PostgresqlStatus(s);
    }
    if (json instanceof Map<?, ?> map) {
      PostgresqlStatus status = new PostgresqlStatus();
      Object value = map.get("PostgresClusterStatus");
      status.postgresClusterStatus = value == null ? null : value.toString();
      Object generation = map.get("observedGeneration");
      if (generation instanceof Number n) {
        status.observedGeneration = n.longValue();
      }
      Object conditions = map.get("conditions");
      if (conditions != null) {
        status.conditions = ManifestMapper.convertList(conditions, Condition.class);
      }
      return status;
    }
    throw new IllegalArgumentException(
        "status must be a string or an object with PostgresClusterStatus");
  }
}
