package dev.cornac.operator.reconcile.steps;

import dev.cornac.generators.DesiredState;
import dev.cornac.generators.naming.ClusterNames;
import dev.cornac.generators.naming.Role;
import dev.cornac.generators.plan.ObjectMatcher;
import dev.cornac.operator.reconcile.Reconciliation;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Map;
import java.util.Objects;

/**
 * The PgBouncer objects of each enabled pooler role; a disabled role's objects are removed
 * (reference 3.12). The database side (lookup function) comes with the day-2 SQL sync.
 */
public final class ConnectionPoolerSync {
  private ConnectionPoolerSync() {}

  public static void sync(Reconciliation r) {
    for (Role role : Role.values()) {
      DesiredState.PoolerObjects desired =
          r.desired().poolers().stream()
              .filter(
                  p ->
                      p.deployment()
                          .getMetadata()
                          .getName()
                          .equals(ClusterNames.pooler(r.cluster(), role)))
              .findFirst()
              .orElse(null);
      if (desired == null) {
        removeRole(r, role);
      } else {
        ensureAuthSecret(r, desired.authSecret());
        ensureDeployment(r, desired.deployment());
        ServiceSync.ensure(r, desired.service());
      }
    }
  }

  private static void ensureAuthSecret(Reconciliation r, Secret desired) {
    var live = r.live(Secret.class, desired);
    if (live.isEmpty()) {
      r.writer().create(desired);
      r.acted("ConnectionPooler", "created pooler secret " + desired.getMetadata().getName());
      return;
    }
    Map<String, String> data = live.get().getData() == null ? Map.of() : live.get().getData();
    if (!Objects.equals(data.get("userlist.txt"), desired.getData().get("userlist.txt"))
        || !ObjectMatcher.covers(
            desired.getMetadata().getLabels(), live.get().getMetadata().getLabels())) {
      r.writer().update(desired, live.get());
      r.acted("ConnectionPooler", "updated pooler secret " + desired.getMetadata().getName());
    }
  }

  private static void ensureDeployment(Reconciliation r, Deployment desired) {
    var live = r.live(Deployment.class, desired);
    if (live.isEmpty()) {
      r.writer().create(desired);
      r.acted("ConnectionPooler", "created connection pooler " + desired.getMetadata().getName());
    } else if (!ObjectMatcher.covers(desired, live.get())) {
      r.writer().update(desired, live.get());
      r.acted("ConnectionPooler", "updated connection pooler " + desired.getMetadata().getName());
    }
  }

  private static void removeRole(Reconciliation r, Role role) {
    String ns = r.cluster().namespace();
    String name = ClusterNames.pooler(r.cluster(), role);
    boolean removed = false;
    var deployment = r.informers().get(Deployment.class, ns, name);
    if (deployment.isPresent()) {
      r.writer().delete(deployment.get());
      removed = true;
    }
    var service = r.informers().get(Service.class, ns, name);
    if (service.isPresent()) {
      r.writer().delete(service.get());
      removed = true;
    }
    var secret =
        r.informers().get(Secret.class, ns, ClusterNames.poolerAuthSecret(r.cluster(), role));
    if (secret.isPresent()) {
      r.writer().delete(secret.get());
      removed = true;
    }
    if (removed) {
      r.acted("ConnectionPooler", "removed connection pooler " + name);
    }
  }
}
