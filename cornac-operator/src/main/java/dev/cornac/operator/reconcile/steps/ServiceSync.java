package dev.cornac.operator.reconcile.steps;

import dev.cornac.generators.plan.ObjectMatcher;
import dev.cornac.operator.reconcile.Reconciliation;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Master Endpoints (endpoints mode only), master and replica Services (reference b.2 step 6):
 * created when missing, updated when a field we set drifted. The live clusterIP is kept; leaving
 * LoadBalancer clears the source ranges because the whole spec is replaced.
 */
public final class ServiceSync {
  private ServiceSync() {}

  public static void sync(Reconciliation r) {
    r.desired()
        .masterEndpoints()
        .ifPresent(
            endpoints -> {
              var live = r.live(Endpoints.class, endpoints);
              if (live.isEmpty()) {
                r.writer().create(endpoints);
                r.acted(
                    "Endpoints", "created master endpoints " + endpoints.getMetadata().getName());
              } else if (!ObjectMatcher.covers(endpoints.getMetadata(), live.get().getMetadata())) {
                r.writer()
                    .patchMetadata(
                        live.get(),
                        endpoints.getMetadata().getLabels(),
                        endpoints.getMetadata().getAnnotations(),
                        endpoints.getMetadata().getOwnerReferences());
                r.acted(
                    "Endpoints",
                    "updated labels of endpoints " + endpoints.getMetadata().getName());
              }
            });
    for (Service service : List.of(r.desired().masterService(), r.desired().replicaService())) {
      ensure(r, service);
    }
  }

  /** Shared with the connection pooler's Services. */
  public static void ensure(Reconciliation r, Service desired) {
    var live = r.live(Service.class, desired);
    String name = desired.getMetadata().getName();
    if (live.isEmpty()) {
      r.writer().create(desired);
      r.acted("Services", "created service " + name + " (" + desired.getSpec().getType() + ")");
      return;
    }
    Service current = live.get();
    if (ObjectMatcher.covers(desired, current)) {
      return;
    }
    keepAllocatedFields(desired.getSpec(), current.getSpec());
    desired
        .getMetadata()
        .setLabels(merge(current.getMetadata().getLabels(), desired.getMetadata().getLabels()));
    desired
        .getMetadata()
        .setAnnotations(
            merge(current.getMetadata().getAnnotations(), desired.getMetadata().getAnnotations()));
    r.writer().update(desired, current);
    r.acted("Services", "updated service " + name);
  }

  /** The API server allocates these; a PUT without them would be refused or would re-allocate. */
  private static void keepAllocatedFields(ServiceSpec desired, ServiceSpec live) {
    desired.setClusterIP(live.getClusterIP());
    desired.setClusterIPs(live.getClusterIPs());
    desired.setIpFamilies(live.getIpFamilies());
    desired.setIpFamilyPolicy(live.getIpFamilyPolicy());
    if ("NodePort".equals(desired.getType()) || "LoadBalancer".equals(desired.getType())) {
      for (int i = 0; i < desired.getPorts().size() && i < live.getPorts().size(); i++) {
        if (desired.getPorts().get(i).getNodePort() == null) {
          desired.getPorts().get(i).setNodePort(live.getPorts().get(i).getNodePort());
        }
      }
    }
  }

  static Map<String, String> merge(Map<String, String> live, Map<String, String> ours) {
    if ((live == null || live.isEmpty()) && (ours == null || ours.isEmpty())) {
      return ours;
    }
    Map<String, String> m = new LinkedHashMap<>(live == null ? Map.of() : live);
    if (ours != null) {
      m.putAll(ours);
    }
    return m;
  }
}
