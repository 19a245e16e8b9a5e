package dev.cornac.generators.services;

import dev.cornac.generators.Cluster;
import dev.cornac.generators.naming.ClusterLabels;
import dev.cornac.generators.naming.ClusterNames;
import dev.cornac.generators.naming.Role;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import java.util.Optional;

/**
 * The master Endpoints the operator creates in endpoints (or etcd) mode, empty for a new cluster:
 * Patroni fills it with the leader's address (upstream: pkg/cluster/k8sres.go, generateEndpoint;
 * pkg/cluster/cluster.go, Create). In ConfigMap DCS mode there is none.
 */
public final class EndpointsGenerator {
  private EndpointsGenerator() {}

  public static Optional<Endpoints> master(Cluster c) {
    if (c.config().configMapDcs()) {
      return Optional.empty();
    }
    return Optional.of(
        new EndpointsBuilder()
            .withNewMetadata()
            .withName(ClusterNames.service(c, Role.MASTER))
            .withNamespace(c.namespace())
            .withLabels(ClusterLabels.objectWithRole(c, Role.MASTER))
            .withAnnotations(ClusterLabels.orNull(ClusterLabels.inheritedAnnotations(c)))
            .withOwnerReferences(c.ownerReferences())
            .endMetadata()
            .build());
  }
}
