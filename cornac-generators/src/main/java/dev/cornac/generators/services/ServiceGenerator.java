package dev.cornac.generators.services;

import dev.cornac.api.config.OperatorConfig;
import dev.cornac.api.model.PostgresqlSpec;
import dev.cornac.generators.Cluster;
import dev.cornac.generators.naming.ClusterLabels;
import dev.cornac.generators.naming.ClusterNames;
import dev.cornac.generators.naming.Role;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The master ({@code <cluster>}) and replica ({@code <cluster>-repl}) Services (upstream:
 * pkg/cluster/k8sres.go, generateService).
 */
public final class ServiceGenerator {
  public static final String EXTERNAL_DNS_ANNOTATION = "external-dns.alpha.kubernetes.io/hostname";
  public static final List<String> DEFAULT_SOURCE_RANGES = List.of("127.0.0.1/32");
  static final int POSTGRES_PORT = 5432;

  private ServiceGenerator() {}

  public static Service generate(Cluster c, Role role) {
    ServiceType type = type(c, role);
    ServiceBuilder b =
        new ServiceBuilder()
            .withNewMetadata()
            .withName(ClusterNames.service(c, role))
            .withNamespace(c.namespace())
            .withLabels(ClusterLabels.objectWithRole(c, role))
            .withAnnotations(ClusterLabels.orNull(annotations(c, role, type)))
            .withOwnerReferences(c.ownerReferences())
            .endMetadata()
            .withNewSpec()
            .withPorts(
                new ServicePortBuilder()
                    .withName("postgresql")
                    .withPort(POSTGRES_PORT)
                    .withTargetPort(new IntOrString(POSTGRES_PORT))
                    .withNodePort(type.nodePort())
                    .build())
            .withType(type.type())
            .endSpec();
    // In endpoints or etcd mode Patroni maintains the master Endpoints itself, so the Service has
    // no selector.
    if (role == Role.REPLICA || c.config().configMapDcs()) {
      b.editSpec().withSelector(ClusterLabels.selectorWithRole(c, role)).endSpec();
    }
    if (type.isExternal()) {
      b.editSpec()
          .withExternalTrafficPolicy(c.config().string("external_traffic_policy"))
          .endSpec();
    }
    if (type.isLoadBalancer()) {
      b.editSpec().withLoadBalancerSourceRanges(sourceRanges(c.spec())).endSpec();
    }
    return b.build();
  }

  public static ServiceType type(Cluster c, Role role) {
    PostgresqlSpec s = c.spec();
    OperatorConfig config = c.config();
    return role == Role.MASTER
        ? ServiceType.decide(
            s.enableMasterNodePort,
            s.masterNodePort,
            config.bool("enable_master_node_port"),
            s.enableMasterLoadBalancer,
            config.bool("enable_master_load_balancer"))
        : ServiceType.decide(
            s.enableReplicaNodePort,
            s.replicaNodePort,
            config.bool("enable_replica_node_port"),
            s.enableReplicaLoadBalancer,
            config.bool("enable_replica_load_balancer"));
  }

  public static List<String> sourceRanges(PostgresqlSpec spec) {
    return spec.allowedSourceRanges == null || spec.allowedSourceRanges.isEmpty()
        ? DEFAULT_SOURCE_RANGES
        : spec.allowedSourceRanges;
  }

  /**
   * custom → serviceAnnotations → role annotations → external-dns (LoadBalancer only) → inherited.
   */
  private static Map<String, String> annotations(Cluster c, Role role, ServiceType type) {
    Map<String, String> a = roleAnnotations(c, role);
    if (type.isLoadBalancer()) {
      a.put(EXTERNAL_DNS_ANNOTATION, ClusterNames.serviceDnsNames(c, role));
    }
    a.putAll(ClusterLabels.inheritedAnnotations(c));
    return a;
  }

  /**
   * The configured and manifest annotations of a role's Services, shared with the pooler Services.
   */
  public static Map<String, String> roleAnnotations(Cluster c, Role role) {
    Map<String, String> a = new LinkedHashMap<>(c.config().map("custom_service_annotations"));
    PostgresqlSpec s = c.spec();
    if (s.serviceAnnotations != null) {
      a.putAll(s.serviceAnnotations);
    }
    Map<String, String> specific =
        role == Role.MASTER ? s.masterServiceAnnotations : s.replicaServiceAnnotations;
    if (specific != null) {
      a.putAll(specific);
    }
    return a;
  }
}
