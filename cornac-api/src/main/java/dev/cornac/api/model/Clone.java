package dev.cornac.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * {@code spec.clone} (upstream: pkg/apis/acid.zalan.do/v1/postgresql_type.go, CloneDescription): a
 * live basebackup clone, or a WAL restore when timestamp is set.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder(alphabetic = true)
public class Clone extends Extensible {
  @Required public String cluster;
  public String uid;

  @Pattern(Patterns.CLONE_TIMESTAMP)
  public String timestamp;

  @JsonProperty("s3_wal_path")
  public String s3WalPath;

  @JsonProperty("s3_endpoint")
  public String s3Endpoint;

  @JsonProperty("s3_access_key_id")
  public String s3AccessKeyId;

  @JsonProperty("s3_secret_access_key")
  public String s3SecretAccessKey;

  @JsonProperty("s3_force_path_style")
  public Boolean s3ForcePathStyle;
}
