package dev.cornac.generators.connectionpooler;

import dev.cornac.api.config.OperatorConfig;
import dev.cornac.api.model.ConnectionPooler;
import dev.cornac.api.model.Tls;
import dev.cornac.generators.Cluster;
import dev.cornac.generators.EnvVars;
import dev.cornac.generators.naming.ClusterLabels;
import dev.cornac.generators.naming.ClusterNames;
import dev.cornac.generators.naming.Role;
import dev.cornac.generators.resources.ResourceDefaults;
import dev.cornac.generators.resources.ResourceRequirementsResolver;
import dev.cornac.generators.secrets.Credentials;
import dev.cornac.generators.secrets.DesiredRoles;
import dev.cornac.generators.services.ServiceGenerator;
import dev.cornac.generators.services.ServiceType;
import dev.cornac.generators.statefulset.PodVolumes;
import dev.cornac.generators.statefulset.Scheduling;
import dev.cornac.generators.statefulset.StatefulSetGenerator;
import dev.cornac.generators.statefulset.TlsPaths;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SeccompProfileBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The PgBouncer Deployment, Service and userlist Secret of one pooler role (upstream:
 * pkg/cluster/connection_pooler.go, generateConnectionPoolerDeployment and
 * generateConnectionPoolerService).
 */
public final class ConnectionPoolerGenerator {
  public static final String CONTAINER = "connection-pooler";
  static final int POOLER_PORT = 5432;
  static final long POOLER_RUN_AS_USER = 100L;
  static final long POOLER_RUN_AS_GROUP = 101L;

  private ConnectionPoolerGenerator() {}

  private static ConnectionPooler section(Cluster c) {
    return c.spec().connectionPooler == null ? new ConnectionPooler() : c.spec().connectionPooler;
  }

  /** Replicas: manifest, else configuration, else 1; at least 1. */
  static int instances(Cluster c) {
    Integer manifest = section(c).numberOfInstances;
    long n =
        manifest != null
            ? manifest
            : c.config().integerOr("connection_pooler_number_of_instances", 1);
    return (int) Math.max(1, n);
  }

  public static Deployment deployment(Cluster c, Role role) {
    String name = ClusterNames.pooler(c, role);
    Map<String, String> podLabels = ClusterLabels.poolerObject(c, role);
    List<Volume> volumes = new ArrayList<>();
    volumes.add(
        new VolumeBuilder()
            .withName(name + "-u")
            .withNewSecret()
            .withSecretName(name + "-u")
            .endSecret()
            .build());
    volumes.addAll(PodVolumes.tlsVolumes(c));
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(
        new VolumeMountBuilder()
            .withName(name + "-u")
            .withMountPath("/etc/pgbouncer/userlist.txt")
            .withSubPath("userlist.txt")
            .withReadOnly(true)
            .build());
    mounts.addAll(PodVolumes.tlsMounts(c));
    PodSecurityContext security = new PodSecurityContext();
    security.setRunAsUser(POOLER_RUN_AS_USER);
    security.setRunAsGroup(POOLER_RUN_AS_GROUP);
    security.setFsGroup(StatefulSetGenerator.fsGroup(c));
    // PgBouncer runs as an unprivileged user in any case: the pooler always meets the restricted
    // profile.
    security.setRunAsNonRoot(true);
    security.setSeccompProfile(new SeccompProfileBuilder().withType("RuntimeDefault").build());
    ConnectionPooler p = section(c);
    String image =
        p.dockerImage == null || p.dockerImage.isEmpty()
            ? c.config().string("connection_pooler_image")
            : p.dockerImage;
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(c.namespace())
        .withLabels(podLabels)
        .withAnnotations(ClusterLabels.orNull(ClusterLabels.propagatedAnnotations(c)))
        .withOwnerReferences(c.ownerReferences())
        .endMetadata()
        .withNewSpec()
        .withReplicas(instances(c))
        .withNewSelector()
        .withMatchLabels(ClusterLabels.poolerSelector(c, role))
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(podLabels)
        .withAnnotations(ClusterLabels.orNull(ClusterLabels.podAnnotations(c)))
        .endMetadata()
        .withNewSpec()
        .withTerminationGracePeriodSeconds(
            c.config().duration("pod_terminate_grace_period").toSeconds())
        .withServiceAccountName(c.config().podServiceAccountName())
        .withSecurityContext(security)
        .withTolerations(Scheduling.tolerations(c))
        .withAffinity(
            Scheduling.affinity(c, c.spec().nodeAffinity, ClusterLabels.poolerSelector(c, role)))
        .withContainers(
            new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(image)
                .withImagePullPolicy("IfNotPresent")
                .withResources(
                    ResourceRequirementsResolver.other(
                        p.resources, ResourceDefaults.pooler(c.config()), c.config()))
                .addNewPort()
                .withContainerPort(POOLER_PORT)
                .withProtocol("TCP")
                .endPort()
                .withNewReadinessProbe()
                .withNewTcpSocket()
                .withPort(new IntOrString(POOLER_PORT))
                .endTcpSocket()
                .endReadinessProbe()
                .withNewSecurityContext()
                .withAllowPrivilegeEscalation(false)
                .withNewCapabilities()
                .withDrop("ALL")
                .endCapabilities()
                .endSecurityContext()
                .withEnv(environment(c, role))
                .withVolumeMounts(mounts)
                .build())
        .withVolumes(volumes)
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private static List<EnvVar> environment(Cluster c, Role role) {
    PoolerSettings p = PoolerSettings.of(c);
    String userSecret = ClusterNames.credentialSecret(c, p.envUser());
    List<EnvVar> env = new ArrayList<>();
    env.add(EnvVars.value("PGHOST", ClusterNames.service(c, role)));
    env.add(EnvVars.value("PGPORT", String.valueOf(POOLER_PORT)));
    env.add(EnvVars.secret("PGUSER", userSecret, "username"));
    env.add(EnvVars.value("PGSCHEMA", p.schema()));
    env.add(EnvVars.secret("PGPASSWORD", userSecret, "password"));
    env.add(EnvVars.value("CONNECTION_POOLER_PORT", String.valueOf(POOLER_PORT)));
    env.add(EnvVars.value("CONNECTION_POOLER_MODE", p.mode()));
    env.add(EnvVars.value("CONNECTION_POOLER_DEFAULT_SIZE", String.valueOf(p.defaultSize())));
    env.add(EnvVars.value("CONNECTION_POOLER_MIN_SIZE", String.valueOf(p.minSize())));
    env.add(EnvVars.value("CONNECTION_POOLER_RESERVE_SIZE", String.valueOf(p.reserveSize())));
    env.add(
        EnvVars.value(
            "CONNECTION_POOLER_MAX_CLIENT_CONN", String.valueOf(p.maxClientConnections())));
    env.add(
        EnvVars.value(
            "CONNECTION_POOLER_MAX_DB_CONN", String.valueOf(p.maxDbConnectionsPerInstance())));
    Tls tls = c.spec().tls;
    if (tls != null && tls.secretName != null && !tls.secretName.isEmpty()) {
      TlsPaths paths = TlsPaths.of(tls);
      env.add(EnvVars.value("CONNECTION_POOLER_CLIENT_TLS_CRT", paths.certificate()));
      env.add(EnvVars.value("CONNECTION_POOLER_CLIENT_TLS_KEY", paths.privateKey()));
      paths.ca().ifPresent(ca -> env.add(EnvVars.value("CONNECTION_POOLER_CLIENT_CA_FILE", ca)));
    }
    return env;
  }

  public static Service service(Cluster c, Role role) {
    String name = ClusterNames.pooler(c, role);
    var s = c.spec();
    OperatorConfig config = c.config();
    ServiceType type =
        role == Role.MASTER
            ? ServiceType.decide(
                s.enableMasterPoolerNodePort,
                s.masterPoolerNodePort,
                config.bool("enable_master_pooler_node_port"),
                s.enableMasterPoolerLoadBalancer,
                config.bool("enable_master_pooler_load_balancer"))
            : ServiceType.decide(
                s.enableReplicaPoolerNodePort,
                s.replicaPoolerNodePort,
                config.bool("enable_replica_pooler_node_port"),
                s.enableReplicaPoolerLoadBalancer,
                config.bool("enable_replica_pooler_load_balancer"));
    Map<String, String> annotations = ServiceGenerator.roleAnnotations(c, role);
    if (type.isLoadBalancer()) {
      annotations.put(
          ServiceGenerator.EXTERNAL_DNS_ANNOTATION, ClusterNames.poolerDnsName(c, role));
    }
    annotations.putAll(ClusterLabels.inheritedAnnotations(c));
    ServiceBuilder b =
        new ServiceBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(c.namespace())
            .withLabels(ClusterLabels.poolerSelector(c, role))
            .withAnnotations(ClusterLabels.orNull(annotations))
            .withOwnerReferences(c.ownerReferences())
            .endMetadata()
            .withNewSpec()
            .withPorts(
                new ServicePortBuilder()
                    .withName(name)
                    .withPort(POOLER_PORT)
                    .withTargetPort(new IntOrString(POOLER_PORT))
                    .withNodePort(type.nodePort())
                    .build())
            .withType(type.type())
            .withSelector(Map.of(ClusterLabels.CONNECTION_POOLER, name))
            .endSpec();
    if (type.isExternal()) {
      b.editSpec().withExternalTrafficPolicy(config.string("external_traffic_policy")).endSpec();
    }
    if (type.isLoadBalancer()) {
      b.editSpec().withLoadBalancerSourceRanges(ServiceGenerator.sourceRanges(s)).endSpec();
    }
    return b.build();
  }

  /**
   * {@code <pooler>-u}: PgBouncer's userlist with the pooler user's password (infrastructure roles:
   * operator).
   */
  public static Secret authSecret(Cluster c, Role role, Credentials credentials) {
    String user = DesiredRoles.poolerUser(c);
    String password = credentials.password(ClusterNames.credentialSecret(c, user), user);
    Map<String, String> data = new LinkedHashMap<>();
    // Upstream writes stringData; the API server stores it as data, which is what we write and
    // compare.
    data.put(
        "userlist.txt",
        Base64.getEncoder()
            .encodeToString(
                ("\"" + user + "\" \"" + password + "\"\n").getBytes(StandardCharsets.UTF_8)));
    return new SecretBuilder()
        .withNewMetadata()
        .withName(ClusterNames.poolerAuthSecret(c, role))
        .withNamespace(c.namespace())
        .withLabels(ClusterLabels.poolerObject(c, role))
        .withAnnotations(ClusterLabels.orNull(ClusterLabels.inheritedAnnotations(c)))
        .withOwnerReferences(c.ownerReferences())
        .endMetadata()
        .withType("Opaque")
        .withData(data)
        .build();
  }
}
