package dev.cornac.operator.deletion;

import dev.cornac.api.config.OperatorConfig;
import dev.cornac.api.model.Postgresql;
import dev.cornac.generators.Cluster;
import dev.cornac.generators.naming.ClusterNames;
import dev.cornac.generators.naming.Role;
import dev.cornac.operator.events.EventRecorder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes a cluster's objects in upstream's order (upstream: pkg/cluster/cluster.go, Delete):
 * logical backup job, StatefulSet (pods orphaned then deleted), volumes only if {@code
 * enable_persistent_volume_claim_deletion}, secrets only if {@code enable_secrets_deletion}, PDBs,
 * Endpoints and Services, Patroni's objects, pooler objects. Each step is independent: a failure is
 * reported and the next step still runs. Returns whether everything went.
 */
public final class ClusterDeletion {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterDeletion.class);

  private final KubernetesClient client;
  private final OperatorConfig config;
  private final EventRecorder events;

  public ClusterDeletion(KubernetesClient client, OperatorConfig config, EventRecorder events) {
    this.client = client;
    this.config = config;
    this.events = events;
  }

  public boolean delete(Postgresql pg) {
    Cluster c = new Cluster(pg, config);
    String ns = c.namespace();
    LOG.info("cluster {}/{}: deleting its objects", ns, c.name());
    events.normal(pg, "Delete", "Started deletion of cluster resources");
    List<String> failures = new ArrayList<>();
    step(
        failures,
        "logical backup job",
        () ->
            client
                .batch()
                .v1()
                .cronjobs()
                .inNamespace(ns)
                .withName(ClusterNames.logicalBackupJob(c)));
    step(
        failures,
        "statefulset",
        () -> client.apps().statefulSets().inNamespace(ns).withName(c.name()),
        DeletionPropagation.ORPHAN);
    stepList(
        failures,
        "pods",
        () ->
            client
                .pods()
                .inNamespace(ns)
                .withLabel(config.clusterNameLabel(), c.name())
                .list()
                .getItems());
    if (config.bool("enable_persistent_volume_claim_deletion")) {
      stepList(
          failures,
          "volumes",
          () ->
              client
                  .persistentVolumeClaims()
                  .inNamespace(ns)
                  .withLabel(config.clusterNameLabel(), c.name())
                  .list()
                  .getItems());
    } else {
      LOG.info(
          "cluster {}/{}: volumes kept (enable_persistent_volume_claim_deletion is off)",
          ns,
          c.name());
    }
    if (config.bool("enable_secrets_deletion")) {
      stepList(
          failures,
          "secrets",
          () ->
              client
                  .secrets()
                  .inNamespace(ns)
                  .withLabel(config.clusterNameLabel(), c.name())
                  .list()
                  .getItems());
    }
    step(
        failures,
        "primary pod disruption budget",
        () ->
            client
                .policy()
                .v1()
                .podDisruptionBudget()
                .inNamespace(ns)
                .withName(ClusterNames.primaryPdb(c)));
    step(
        failures,
        "critical-operation pod disruption budget",
        () ->
            client
                .policy()
                .v1()
                .podDisruptionBudget()
                .inNamespace(ns)
                .withName(ClusterNames.criticalOpPdb(c)));
    for (Role role : Role.values()) {
      if (!config.configMapDcs()) {
        // In ConfigMap mode Kubernetes owns the Services' Endpoints (and the OpenShift RBAC grants
        // none).
        step(
            failures,
            role.label() + " endpoints",
            () -> client.endpoints().inNamespace(ns).withName(ClusterNames.service(c, role)));
      }
      step(
          failures,
          role.label() + " service",
          () -> client.services().inNamespace(ns).withName(ClusterNames.service(c, role)));
    }
    step(
        failures,
        "patroni config service",
        () -> client.services().inNamespace(ns).withName(ClusterNames.patroniConfigService(c)));
    for (String name : ClusterNames.patroniObjects(c)) {
      step(
          failures,
          "patroni object " + name,
          () -> client.configMaps().inNamespace(ns).withName(name));
      if (!config.configMapDcs()) {
        step(
            failures,
            "patroni object " + name,
            () -> client.endpoints().inNamespace(ns).withName(name));
      }
    }
    for (Role role : Role.values()) {
      step(
          failures,
          "pooler " + role.label(),
          () -> client.apps().deployments().inNamespace(ns).withName(ClusterNames.pooler(c, role)),
          DeletionPropagation.FOREGROUND);
      step(
          failures,
          "pooler service " + role.label(),
          () -> client.services().inNamespace(ns).withName(ClusterNames.pooler(c, role)),
          DeletionPropagation.FOREGROUND);
      step(
          failures,
          "pooler secret " + role.label(),
          () -> client.secrets().inNamespace(ns).withName(ClusterNames.poolerAuthSecret(c, role)));
    }
    if (failures.isEmpty()) {
      LOG.info("cluster {}/{}: deleted", ns, c.name());
      return true;
    }
    events.warning(
        pg, "Delete", "some resources could not be deleted: " + String.join(", ", failures));
    return false;
  }

  private void step(
      List<String> failures, String what, Supplier<Resource<? extends HasMetadata>> resource) {
    step(failures, what, resource, DeletionPropagation.BACKGROUND);
  }

  private void step(
      List<String> failures,
      String what,
      Supplier<Resource<? extends HasMetadata>> resource,
      DeletionPropagation propagation) {
    try {
      resource.get().withPropagationPolicy(propagation).delete();
    } catch (KubernetesClientException e) {
      failures.add(what + " (" + e.getMessage() + ")");
    }
  }

  private void stepList(
      List<String> failures, String what, Supplier<List<? extends HasMetadata>> items) {
    try {
      for (HasMetadata item : items.get()) {
        client.resource(item).delete();
      }
    } catch (KubernetesClientException e) {
      failures.add(what + " (" + e.getMessage() + ")");
    }
  }
}
