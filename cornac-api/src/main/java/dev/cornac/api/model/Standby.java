package dev.cornac.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * {@code spec.standby} (upstream: pkg/apis/acid.zalan.do/v1/postgresql_type.go,
 * StandbyDescription). Upstream's schema says "at least one of the three, not both WAL paths" with
 * anyOf/not; we state the same as CEL rules, and {@code ManifestValidator} checks it offline.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder(alphabetic = true)
@ValidationRule(
    value = "has(self.s3_wal_path) || has(self.gs_wal_path) || has(self.standby_host)",
    message = "standby needs s3_wal_path, gs_wal_path or standby_host")
@ValidationRule(
    value = "!(has(self.s3_wal_path) && has(self.gs_wal_path))",
    message = "standby: s3_wal_path and gs_wal_path are mutually exclusive")
public class Standby extends Extensible {
  @JsonProperty("s3_wal_path")
  public String s3WalPath;

  @JsonProperty("gs_wal_path")
  public String gsWalPath;

  @JsonProperty("standby_host")
  public String standbyHost;

  @JsonProperty("standby_port")
  public String standbyPort;

  @JsonProperty("standby_primary_slot_name")
  public String standbyPrimarySlotName;
}
