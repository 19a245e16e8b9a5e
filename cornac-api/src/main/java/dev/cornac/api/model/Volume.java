package dev.cornac.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.LabelSelector;

/** {@code spec.volume} (upstream: pkg/apis/acid.zalan.do/v1/postgresql_type.go, Volume). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder(alphabetic = true)
public class Volume extends Extensible {
  @Required
  @Pattern(Patterns.MEMORY)
  public String size;

  public String storageClass;
  public LabelSelector selector;
  public String subPath;
  public Boolean isSubPathExpr;

  @Max(80000)
  public Integer iops;

  @Max(2000)
  public Integer throughput;

  public String type;
}
