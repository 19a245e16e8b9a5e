package dev.cornac.generators.statefulset;

import dev.cornac.api.config.OperatorConfig;
import dev.cornac.api.quantity.Quantities;
import dev.cornac.generators.Cluster;
import dev.cornac.generators.GenerationException;
import dev.cornac.generators.PodEnvironmentSources;
import dev.cornac.generators.monitoring.ExporterContainer;
import dev.cornac.generators.naming.ClusterLabels;
import dev.cornac.generators.naming.ClusterNames;
import dev.cornac.generators.naming.Role;
import dev.cornac.generators.resources.ResourceRequirementsResolver;
import dev.cornac.generators.security.PodHardening;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SeccompProfileBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The StatefulSet of a cluster, field for field as upstream generates it (upstream:
 * pkg/cluster/k8sres.go, generateStatefulSet).
 */
public final class StatefulSetGenerator {
  public static final int PATRONI_PORT = 8008;
  public static final int POSTGRES_PORT = 5432;
  public static final int SPILO_API_PORT = 8080;

  private StatefulSetGenerator() {}

  public static StatefulSet generate(Cluster c, PodEnvironmentSources sources) {
    OperatorConfig config = c.config();
    List<Container> containers = new ArrayList<>();
    containers.add(postgresContainer(c, sources));
    ExporterContainer.of(c).ifPresent(containers::add);
    containers.addAll(SidecarContainers.of(c));
    Map<String, String> objectLabels = ClusterLabels.object(c);
    return new StatefulSetBuilder()
        .withNewMetadata()
        .withName(c.name())
        .withNamespace(c.namespace())
        .withLabels(objectLabels)
        .withAnnotations(ClusterLabels.orNull(ClusterLabels.propagatedAnnotations(c)))
        .withOwnerReferences(c.ownerReferences())
        .endMetadata()
        .withNewSpec()
        .withReplicas(c.effectiveInstances())
        .withNewSelector()
        .withMatchLabels(ClusterLabels.selector(c))
        .endSelector()
        .withServiceName(ClusterNames.service(c, Role.MASTER))
        .withNewUpdateStrategy()
        .withType("OnDelete")
        .endUpdateStrategy()
        .withPodManagementPolicy(podManagementPolicy(config))
        .withNewPersistentVolumeClaimRetentionPolicy()
        .withWhenDeleted(retention(config, "when_deleted"))
        .withWhenScaled(retention(config, "when_scaled"))
        .endPersistentVolumeClaimRetentionPolicy()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(objectLabels)
        .withNamespace(c.namespace())
        .withAnnotations(ClusterLabels.orNull(podAnnotations(c)))
        .endMetadata()
        .withNewSpec()
        .withServiceAccountName(c.config().podServiceAccountName())
        .withTerminationGracePeriodSeconds(
            config.duration("pod_terminate_grace_period").toSeconds())
        .withSecurityContext(podSecurityContext(c))
        .withContainers(containers)
        .withInitContainers(c.spec().initContainers)
        .withTolerations(Scheduling.tolerations(c))
        .withAffinity(Scheduling.affinity(c, c.spec().nodeAffinity, objectLabels))
        .withTopologySpreadConstraints(c.spec().topologySpreadConstraints)
        .withPriorityClassName(priorityClass(c))
        .withSchedulerName(c.spec().schedulerName)
        .withVolumes(PodVolumes.volumes(c))
        .endSpec()
        .endTemplate()
        .withVolumeClaimTemplates(volumeClaimTemplate(c))
        .endSpec()
        .build();
  }

  /**
   * Pod annotations: custom + manifest + inherited, plus the kube2iam role (upstream:
   * pkg/cluster/k8sres.go, generatePodAnnotations and generatePodTemplate).
   */
  static Map<String, String> podAnnotations(Cluster c) {
    Map<String, String> a = ClusterLabels.podAnnotations(c);
    String iamRole = c.config().string("kube_iam_role");
    if (!iamRole.isEmpty()) {
      a.put("iam.amazonaws.com/role", iamRole);
    }
    return a;
  }

  private static Container postgresContainer(Cluster c, PodEnvironmentSources sources) {
    OperatorConfig config = c.config();
    String image =
        c.spec().dockerImage == null || c.spec().dockerImage.isEmpty()
            ? config.dockerImage()
            : c.spec().dockerImage;
    String ignoreKey = config.string("ignore_resources_limits_annotation_key");
    boolean enforce = ignoreKey.isEmpty() || !"true".equals(c.annotations().get(ignoreKey));
    ContainerBuilder b =
        new ContainerBuilder()
            .withName(PodVolumes.POSTGRES_CONTAINER)
            .withImage(image)
            .withImagePullPolicy("IfNotPresent")
            .withPorts(databasePorts())
            .withResources(
                ResourceRequirementsResolver.postgres(c.spec().resources, config, enforce))
            .withEnv(SpiloEnvironment.of(c, sources))
            .withEnvFrom(c.spec().envFrom)
            .withVolumeMounts(PodVolumes.postgresMounts(c))
            .withSecurityContext(postgresSecurityContext(c, true));
    if (config.bool("enable_readiness_probe")) {
      b.withReadinessProbe(readinessProbe());
    }
    Probe liveness =
        c.spec().livenessProbe != null
            ? c.spec().livenessProbe
            : config.livenessProbe().orElse(null);
    b.withLivenessProbe(liveness);
    return b.build();
  }

  /** The three unnamed ports of the Spilo container; the logical backup container repeats them. */
  public static List<ContainerPort> databasePorts() {
    return List.of(port(PATRONI_PORT), port(POSTGRES_PORT), port(SPILO_API_PORT));
  }

  private static ContainerPort port(int number) {
    return new ContainerPortBuilder().withContainerPort(number).withProtocol("TCP").build();
  }

  /**
   * Container security context of Spilo; the backup container has the same without capabilities.
   * Hardened pods ({@link PodHardening}) drop every capability but those added by {@code
   * additional_pod_capabilities}.
   */
  public static SecurityContext postgresSecurityContext(Cluster c, boolean withCapabilities) {
    OperatorConfig config = c.config();
    SecurityContextBuilder b =
        new SecurityContextBuilder()
            .withAllowPrivilegeEscalation(config.bool("spilo_allow_privilege_escalation"))
            .withPrivileged(config.bool("spilo_privileged"))
            .withReadOnlyRootFilesystem(false);
    List<String> capabilities =
        config.list("additional_pod_capabilities").stream()
            .filter(s -> !s.isEmpty())
            .map(s -> s.toUpperCase(Locale.ROOT))
            .toList();
    boolean hardened = PodHardening.restricted(c);
    List<String> add = withCapabilities && !capabilities.isEmpty() ? capabilities : null;
    if (add != null || hardened) {
      b.withCapabilities(new Capabilities(add, hardened ? List.of("ALL") : null));
    }
    return b.build();
  }

  private static Probe readinessProbe() {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath("/readiness")
        .withPort(new IntOrString(PATRONI_PORT))
        .withScheme("HTTP")
        .endHttpGet()
        .withInitialDelaySeconds(6)
        .withPeriodSeconds(10)
        .withTimeoutSeconds(5)
        .withSuccessThreshold(1)
        .withFailureThreshold(3)
        .build();
  }

  /**
   * runAsUser/runAsGroup/fsGroup from the manifest, else the configuration; the object is always
   * present.
   */
  public static PodSecurityContext podSecurityContext(Cluster c) {
    PodSecurityContext sc = new PodSecurityContext();
    sc.setRunAsUser(
        c.spec().spiloRunAsUser != null
            ? c.spec().spiloRunAsUser
            : c.config().integer("spilo_runasuser").orElse(null));
    sc.setRunAsGroup(
        c.spec().spiloRunAsGroup != null
            ? c.spec().spiloRunAsGroup
            : c.config().integer("spilo_runasgroup").orElse(null));
    sc.setFsGroup(fsGroup(c));
    if (PodHardening.restricted(c)) {
      sc.setRunAsNonRoot(true);
      sc.setSeccompProfile(new SeccompProfileBuilder().withType("RuntimeDefault").build());
    }
    return sc;
  }

  public static Long fsGroup(Cluster c) {
    return c.spec().spiloFSGroup != null
        ? c.spec().spiloFSGroup
        : c.config().integer("spilo_fsgroup").orElse(null);
  }

  private static String priorityClass(Cluster c) {
    if (c.spec().podPriorityClassName != null && !c.spec().podPriorityClassName.isEmpty()) {
      return c.spec().podPriorityClassName;
    }
    String fromConfig = c.config().string("pod_priority_class_name");
    return fromConfig.isEmpty() ? null : fromConfig;
  }

  private static String podManagementPolicy(OperatorConfig config) {
    return switch (config.string("pod_management_policy")) {
      case "ordered_ready" -> "OrderedReady";
      case "parallel" -> "Parallel";
      default ->
          throw new GenerationException(
              "pod_management_policy '"
                  + config.string("pod_management_policy")
                  + "' is not supported; use ordered_ready or parallel");
    };
  }

  private static String retention(OperatorConfig config, String key) {
    return "delete".equals(config.map("persistent_volume_claim_retention_policy").get(key))
        ? "Delete"
        : "Retain";
  }

  private static PersistentVolumeClaim volumeClaimTemplate(Cluster c) {
    var volume = c.spec().volume;
    String size = volume == null || volume.size == null ? null : volume.size;
    if (size == null || !Quantities.isValid(size)) {
      throw new GenerationException(
          "spec.volume.size '" + size + "' is not a quantity; use e.g. 1Gi");
    }
    // Upstream's template carries no apiVersion/kind; the API server stores what it is given, so
    // neither do we.
    return new PersistentVolumeClaimBuilder()
        .withApiVersion(null)
        .withKind(null)
        .withNewMetadata()
        .withName(ClusterNames.PGDATA_VOLUME)
        .withLabels(ClusterLabels.object(c))
        .withAnnotations(ClusterLabels.orNull(ClusterLabels.inheritedAnnotations(c)))
        .endMetadata()
        .withNewSpec()
        .withAccessModes("ReadWriteOnce")
        .withNewResources()
        .addToRequests("storage", new Quantity(size))
        .endResources()
        .withStorageClassName(
            volume.storageClass == null || volume.storageClass.isEmpty()
                ? null
                : volume.storageClass)
        .withVolumeMode("Filesystem")
        .withSelector(volume.selector)
        .endSpec()
        .build();
  }
}
