package dev.cornac.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.List;

/**
 * One of {@code spec.sidecars}: a reduced container description (upstream:
 * pkg/apis/acid.zalan.do/v1/postgresql_type.go, Sidecar).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder(alphabetic = true)
public class Sidecar extends Extensible {
  public String name;
  public String image;
  public List<ContainerPort> ports;
  public List<EnvVar> env;
  public List<String> command;
  public Resources resources;
}
