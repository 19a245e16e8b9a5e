package dev.cornac.generators.resources;

import dev.cornac.api.config.OperatorConfig;
import dev.cornac.api.model.ResourceDescription;
import dev.cornac.api.model.Resources;
import dev.cornac.api.quantity.Quantities;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Upstream's resource algorithm (upstream: pkg/cluster/k8sres.go, generateResourceRequirements):
 * manifest value else default; for the postgres container, limits raised to the configured minimum
 * and requests capped at the configured maximum; limits never below requests; optionally memory
 * request = limit.
 */
public final class ResourceRequirementsResolver {
  private static final String CPU = "cpu";
  private static final String MEMORY = "memory";

  private ResourceRequirementsResolver() {}

  /**
   * The postgres container: limits/requests enforcement applies unless the CR opts out by
   * annotation.
   */
  public static ResourceRequirements postgres(
      Resources manifest, OperatorConfig config, boolean enforceLimits) {
    return resolve(manifest, ResourceDefaults.postgres(config), config, enforceLimits);
  }

  /** Any other operator-built container (sidecars, pooler, backup): no min/max enforcement. */
  public static ResourceRequirements other(
      Resources manifest, ResourceDefaults defaults, OperatorConfig config) {
    return resolve(manifest, defaults, config, false);
  }

  private static ResourceRequirements resolve(
      Resources manifest, ResourceDefaults defaults, OperatorConfig config, boolean enforce) {
    ResourceDescription req = manifest == null ? null : manifest.requests;
    ResourceDescription lim = manifest == null ? null : manifest.limits;
    Map<String, String> requests = new LinkedHashMap<>();
    Map<String, String> limits = new LinkedHashMap<>();
    put(requests, CPU, pick(req == null ? null : req.cpu, defaults.cpuRequest()));
    put(requests, MEMORY, pick(req == null ? null : req.memory, defaults.memoryRequest()));
    put(limits, CPU, pick(lim == null ? null : lim.cpu, defaults.cpuLimit()));
    put(limits, MEMORY, pick(lim == null ? null : lim.memory, defaults.memoryLimit()));
    copyHugePages(req, requests);
    copyHugePages(lim, limits);
    if (enforce) {
      raiseToMinimum(limits, CPU, config.string("min_cpu_limit"));
      raiseToMinimum(limits, MEMORY, config.string("min_memory_limit"));
    }
    for (String resource : new String[] {CPU, MEMORY}) {
      String r = requests.get(resource);
      String l = limits.get(resource);
      if (r != null && l != null && Quantities.compare(l, r) < 0) {
        limits.put(resource, r);
      }
    }
    if (config.bool("set_memory_request_to_limit")) {
      String r = requests.get(MEMORY);
      String l = limits.get(MEMORY);
      if (l != null && (r == null || Quantities.compare(r, l) < 0)) {
        requests.put(MEMORY, l);
      }
    }
    if (enforce) {
      capAtMaximum(requests, CPU, config.string("max_cpu_request"));
      capAtMaximum(requests, MEMORY, config.string("max_memory_request"));
    }
    ResourceRequirements rr = new ResourceRequirements();
    rr.setRequests(quantities(requests));
    rr.setLimits(quantities(limits));
    return rr;
  }

  private static String pick(String manifest, String fallback) {
    if (!Quantities.isUnset(manifest)) {
      return manifest;
    }
    return Quantities.isUnset(fallback) ? null : fallback;
  }

  private static void put(Map<String, String> m, String k, String v) {
    if (v != null) {
      m.put(k, v);
    }
  }

  private static void copyHugePages(ResourceDescription d, Map<String, String> target) {
    if (d == null) {
      return;
    }
    put(target, "hugepages-2Mi", d.hugepages2Mi);
    put(target, "hugepages-1Gi", d.hugepages1Gi);
  }

  private static void raiseToMinimum(Map<String, String> limits, String resource, String minimum) {
    if (Quantities.isUnset(minimum)) {
      return;
    }
    String current = limits.get(resource);
    if (current == null || Quantities.compare(current, minimum) < 0) {
      limits.put(resource, minimum);
    }
  }

  private static void capAtMaximum(Map<String, String> requests, String resource, String maximum) {
    if (Quantities.isUnset(maximum)) {
      return;
    }
    String current = requests.get(resource);
    if (current != null && Quantities.compare(current, maximum) > 0) {
      requests.put(resource, maximum);
    }
  }

  private static Map<String, Quantity> quantities(Map<String, String> values) {
    if (values.isEmpty()) {
      return null;
    }
    Map<String, Quantity> out = new LinkedHashMap<>();
    values.forEach((k, v) -> out.put(k, new Quantity(v)));
    return out;
  }
}
