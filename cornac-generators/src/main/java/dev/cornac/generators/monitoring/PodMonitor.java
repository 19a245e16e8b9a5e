package dev.cornac.generators.monitoring;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.List;

/**
 * The Prometheus Operator's {@code PodMonitor} ({@code monitoring.coreos.com/v1}), reduced to the
 * fields Cornac writes. Its CRD belongs to the Prometheus Operator; Cornac only creates objects of
 * it.
 */
@Group("monitoring.coreos.com")
@Version("v1")
@Kind("PodMonitor")
@Plural("podmonitors")
public class PodMonitor extends CustomResource<PodMonitor.Spec, Void> implements Namespaced {
  public static final String CRD = "podmonitors.monitoring.coreos.com";

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Spec {
    public LabelSelector selector;
    public List<Endpoint> podMetricsEndpoints;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Endpoint {
    public String port;
    public String path;
    public String interval;
  }
}
