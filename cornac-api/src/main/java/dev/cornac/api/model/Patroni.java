package dev.cornac.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * {@code spec.patroni} (upstream: pkg/apis/acid.zalan.do/v1/postgresql_type.go, Patroni): bootstrap
 * and dynamic Patroni settings.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder(alphabetic = true)
public class Patroni extends Extensible {
  public Map<String, String> initdb;

  @JsonProperty("pg_hba")
  public List<String> pgHba;

  public Integer ttl;

  @JsonProperty("loop_wait")
  public Integer loopWait;

  @JsonProperty("retry_timeout")
  public Integer retryTimeout;

  @JsonProperty("maximum_lag_on_failover")
  public Long maximumLagOnFailover;

  public Map<String, Map<String, String>> slots;

  @JsonProperty("synchronous_mode")
  public Boolean synchronousMode;

  @JsonProperty("synchronous_mode_strict")
  public Boolean synchronousModeStrict;

  @JsonProperty("synchronous_node_count")
  public Integer synchronousNodeCount;

  @JsonProperty("failsafe_mode")
  public Boolean failsafeMode;
}
