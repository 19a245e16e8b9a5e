package dev.cornac.generators.resources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cornac.api.config.OperatorConfig;
import dev.cornac.api.config.OperatorConfigReader;
import dev.cornac.api.model.ResourceDescription;
import dev.cornac.api.model.Resources;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceRequirementsResolverTest {
  private static Resources resources(String cpuReq, String memReq, String cpuLim, String memLim) {
    Resources r = new Resources();
    r.requests = new ResourceDescription();
    r.requests.cpu = cpuReq;
    r.requests.memory = memReq;
    r.limits = new ResourceDescription();
    r.limits.cpu = cpuLim;
    r.limits.memory = memLim;
    return r;
  }

  private static Map<String, String> text(Map<String, Quantity> q) {
    Map<String, String> m = new HashMap<>();
    if (q != null) {
      q.forEach((k, v) -> m.put(k, v.toString()));
    }
    return m;
  }

  @Test
  void manifestValuesWinAndZeroMeansUseTheDefault() {
    OperatorConfig config =
        OperatorConfigReader.fromConfigMap(
            Map.of(
                "default_cpu_request",
                "100m",
                "default_memory_request",
                "100Mi",
                "default_cpu_limit",
                "1",
                "default_memory_limit",
                "500Mi"));
    ResourceRequirements rr =
        ResourceRequirementsResolver.postgres(resources("0", "200Mi", null, ""), config, true);
    assertThat(text(rr.getRequests())).isEqualTo(Map.of("cpu", "100m", "memory", "200Mi"));
    assertThat(text(rr.getLimits())).isEqualTo(Map.of("cpu", "1", "memory", "500Mi"));
  }

  @Test
  void postgresLimitsAreRaisedToTheConfiguredMinimum() {
    OperatorConfig config =
        OperatorConfigReader.fromConfigMap(
            Map.of("min_cpu_limit", "250m", "min_memory_limit", "250Mi"));
    ResourceRequirements rr =
        ResourceRequirementsResolver.postgres(resources("10m", "50Mi", "100m", null), config, true);
    assertThat(text(rr.getLimits())).isEqualTo(Map.of("cpu", "250m", "memory", "250Mi"));
    ResourceRequirements ignored =
        ResourceRequirementsResolver.postgres(
            resources("10m", "50Mi", "100m", null), config, false);
    assertThat(text(ignored.getLimits())).isEqualTo(Map.of("cpu", "100m"));
  }

  @Test
  void limitsBelowRequestsAreRaisedForEveryContainer() {
    OperatorConfig config = OperatorConfig.defaults();
    ResourceRequirements rr =
        ResourceRequirementsResolver.other(
            resources("2", "1Gi", "500m", "512Mi"), ResourceDefaults.NONE, config);
    assertThat(text(rr.getLimits())).isEqualTo(Map.of("cpu", "2", "memory", "1Gi"));
  }

  @Test
  void requestsAreCappedAtTheMaximumAndMemoryRequestCanFollowTheLimit() {
    OperatorConfig config =
        OperatorConfigReader.fromConfigMap(
            Map.of(
                "max_cpu_request",
                "1",
                "max_memory_request",
                "1Gi",
                "set_memory_request_to_limit",
                "true"));
    ResourceRequirements rr =
        ResourceRequirementsResolver.postgres(resources("4", "100Mi", "4", "2Gi"), config, true);
    assertThat(text(rr.getRequests())).isEqualTo(Map.of("cpu", "1", "memory", "1Gi"));
  }

  @Test
  void hugePagesAreCopiedWithoutDefaults() {
    Resources r = resources("1", "1Gi", null, null);
    r.limits.hugepages2Mi = "128Mi";
    ResourceRequirements rr =
        ResourceRequirementsResolver.other(r, ResourceDefaults.NONE, OperatorConfig.defaults());
    assertThat(text(rr.getLimits())).containsEntry("hugepages-2Mi", "128Mi");
  }
}
