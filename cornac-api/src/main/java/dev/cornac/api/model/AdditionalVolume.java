package dev.cornac.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Nullable;
import io.fabric8.generator.annotation.Required;
import java.util.List;
import java.util.Map;

/** One of {@code spec.additionalVolumes}: a volume source mounted into chosen containers. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder(alphabetic = true)
public class AdditionalVolume extends Extensible {
  @Required public String name;
  @Required public String mountPath;
  public String subPath;
  public Boolean isSubPathExpr;
  @Nullable public List<String> targetContainers;
  @Required @PreserveUnknownFields public Map<String, Object> volumeSource;
}
