package dev.cornac.generators;

import dev.cornac.generators.monitoring.PodMonitor;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every object a cluster should have, grouped by kind; {@link #inCreationOrder()} gives upstream's
 * order.
 */
public record DesiredState(
    ServiceAccount podServiceAccount,
    RoleBinding podRoleBinding,
    Optional<Endpoints> masterEndpoints,
    Service masterService,
    Service replicaService,
    List<Secret> credentialSecrets,
    PodDisruptionBudget primaryPdb,
    PodDisruptionBudget criticalOpPdb,
    StatefulSet statefulSet,
    Optional<CronJob> logicalBackup,
    List<PoolerObjects> poolers,
    Optional<PodMonitor> podMonitor) {

  /** The objects of one pooler role. */
  public record PoolerObjects(Secret authSecret, Deployment deployment, Service service) {}

  /**
   * ServiceAccount and RoleBinding, Endpoints, Services, Secrets, PDBs, StatefulSet, CronJob,
   * poolers (upstream: pkg/cluster/cluster.go, Create), then Cornac's PodMonitor.
   */
  public List<HasMetadata> inCreationOrder() {
    List<HasMetadata> all = new ArrayList<>();
    all.add(podServiceAccount);
    all.add(podRoleBinding);
    masterEndpoints.ifPresent(all::add);
    all.add(masterService);
    all.add(replicaService);
    all.addAll(credentialSecrets);
    all.add(primaryPdb);
    all.add(criticalOpPdb);
    all.add(statefulSet);
    logicalBackup.ifPresent(all::add);
    for (PoolerObjects p : poolers) {
      all.add(p.authSecret());
      all.add(p.deployment());
      all.add(p.service());
    }
    podMonitor.ifPresent(all::add);
    return all;
  }
}
