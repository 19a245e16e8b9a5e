package dev.cornac.generators.statefulset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cornac.api.config.OperatorConfigReader;
import dev.cornac.generators.Cluster;
import dev.cornac.generators.Fixtures;
import dev.cornac.generators.GenerationException;
import dev.cornac.generators.PodEnvironmentSources;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatefulSetGeneratorTest {
  private static StatefulSet sts(String yaml, Map<String, String> config) {
    return StatefulSetGenerator.generate(
        Fixtures.cluster(yaml, config), PodEnvironmentSources.NONE);
  }

  private static PodSpec pod(StatefulSet s) {
    return s.getSpec().getTemplate().getSpec();
  }

  private static List<String> mounts(Container c) {
    return c.getVolumeMounts().stream().map(m -> m.getName() + ":" + m.getMountPath()).toList();
  }

  @Test
  void additionalVolumesAreMountedInTheirTargetContainers() {
    StatefulSet s =
        sts(
            Fixtures.minimalWith(
                """
        sidecars: [{name: telegraf, image: telegraf}]
        additionalVolumes:
        - {name: empty, mountPath: /opt/empty, targetContainers: [all], volumeSource: {emptyDir: {}}}
        - {name: conf, mountPath: /etc/telegraf, subPath: telegraf.conf, targetContainers: [telegraf],
           volumeSource: {configMap: {name: telegraf-config}}}
        - {name: data, mountPath: /home/postgres/pgdata/partitions, volumeSource: {emptyDir: {}}}
        - {name: shadow, mountPath: /opt/empty, volumeSource: {emptyDir: {}}}
        - {name: clash, mountPath: /home/postgres/pgdata, volumeSource: {emptyDir: {}}}
        """),
            Map.of());
    assertThat(pod(s).getVolumes())
        .extracting(Volume::getName)
        .containsExactly("dshm", "empty", "conf", "data");
    assertThat(pod(s).getVolumes().get(2).getConfigMap().getName()).isEqualTo("telegraf-config");
    Container postgres = pod(s).getContainers().get(0);
    Container telegraf = pod(s).getContainers().get(1);
    assertThat(mounts(postgres))
        .containsExactly(
            "pgdata:/home/postgres/pgdata",
            "dshm:/dev/shm",
            "empty:/opt/empty",
            "data:/home/postgres/pgdata/partitions");
    assertThat(mounts(telegraf))
        .containsExactly("empty:/opt/empty", "conf:/etc/telegraf", "pgdata:/home/postgres/pgdata");
    assertThat(telegraf.getVolumeMounts().get(1).getSubPath()).isEqualTo("telegraf.conf");
  }

  @Test
  void sidecarsGetPodIdentityAndSuperuserCredentials() {
    StatefulSet s =
        sts(
            Fixtures.minimalWith(
                """
        sidecars:
        - {image: exporter:1, env: [{name: POSTGRES_USER, value: mine}, {name: OWN, value: "1"}]}
        - {name: sidecar-0, image: duplicate:1}
        """),
            Map.of("sidecar_docker_images", "legacy:legacy-image", "default_cpu_request", "100m"));
    List<Container> containers = pod(s).getContainers();
    assertThat(containers)
        .extracting(Container::getName)
        .containsExactly("postgres", "sidecar-0", "legacy");
    Container sidecar = containers.get(1);
    assertThat(sidecar.getEnv())
        .extracting(EnvVar::getName)
        .containsExactly("POD_NAME", "POD_NAMESPACE", "POSTGRES_USER", "POSTGRES_PASSWORD", "OWN");
    assertThat(sidecar.getEnv().get(2).getValue()).isEqualTo("postgres");
    assertThat(sidecar.getImagePullPolicy()).isEqualTo("IfNotPresent");
    assertThat(sidecar.getResources().getRequests().get("cpu").toString()).isEqualTo("100m");
  }

  @Test
  void securityContextsComeFromTheManifestThenTheConfiguration() {
    StatefulSet s =
        sts(
            Fixtures.minimalWith("spiloRunAsUser: 101\nspiloFSGroup: 103\n"),
            Map.of(
                "spilo_runasuser",
                "1000",
                "spilo_runasgroup",
                "1001",
                "spilo_allow_privilege_escalation",
                "false",
                "additional_pod_capabilities",
                "sys_nice"));
    var sc = pod(s).getSecurityContext();
    assertThat(sc.getRunAsUser()).isEqualTo(101L);
    assertThat(sc.getRunAsGroup()).isEqualTo(1001L);
    assertThat(sc.getFsGroup()).isEqualTo(103L);
    var csc = pod(s).getContainers().get(0).getSecurityContext();
    assertThat(csc.getAllowPrivilegeEscalation()).isFalse();
    assertThat(csc.getPrivileged()).isFalse();
    assertThat(csc.getReadOnlyRootFilesystem()).isFalse();
    assertThat(csc.getCapabilities().getAdd()).containsExactly("SYS_NICE");
  }

  @Test
  void readinessLabelsMergeWithManifestAffinityByOrOrAnd() {
    String manifest =
        Fixtures.minimalWith(
            """
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
            - matchExpressions: [{key: postgres-operator, operator: In, values: [enabled]}]
        """);
    var or =
        pod(sts(manifest, Map.of("node_readiness_label", "lifecycle-status:ready")))
            .getAffinity()
            .getNodeAffinity()
            .getRequiredDuringSchedulingIgnoredDuringExecution()
            .getNodeSelectorTerms();
    assertThat(or).hasSize(2);
    assertThat(or.get(1).getMatchExpressions().get(0).getKey()).isEqualTo("lifecycle-status");
    var and =
        pod(sts(
                manifest,
                Map.of(
                    "node_readiness_label",
                    "lifecycle-status:ready",
                    "node_readiness_label_merge",
                    "AND")))
            .getAffinity()
            .getNodeAffinity()
            .getRequiredDuringSchedulingIgnoredDuringExecution()
            .getNodeSelectorTerms();
    assertThat(and).singleElement().satisfies(t -> assertThat(t.getMatchExpressions()).hasSize(2));
    var alone =
        pod(sts(Fixtures.MINIMAL, Map.of("node_readiness_label", "lifecycle-status:ready")))
            .getAffinity()
            .getNodeAffinity()
            .getRequiredDuringSchedulingIgnoredDuringExecution()
            .getNodeSelectorTerms();
    assertThat(alone)
        .singleElement()
        .satisfies(
            t -> assertThat(t.getMatchExpressions().get(0).getValues()).containsExactly("ready"));
  }

  @Test
  void antiAffinityIsPreferredWhenConfigured() {
    var affinity =
        pod(sts(
                Fixtures.MINIMAL,
                Map.of(
                    "enable_pod_antiaffinity",
                    "true",
                    "pod_antiaffinity_preferred_during_scheduling",
                    "true",
                    "pod_antiaffinity_topology_key",
                    "zone")))
            .getAffinity();
    assertThat(affinity.getNodeAffinity()).isNull();
    assertThat(affinity.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution())
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.getWeight()).isEqualTo(1);
              assertThat(w.getPodAffinityTerm().getTopologyKey()).isEqualTo("zone");
              assertThat(w.getPodAffinityTerm().getLabelSelector().getMatchLabels())
                  .containsEntry("team", "acid");
            });
  }

  @Test
  void tolerationsFromTheManifestReplaceTheConfiguredOne() {
    assertThat(
            pod(sts(
                    Fixtures.MINIMAL,
                    Map.of("toleration", "key:db-only,operator:Exists,effect:NoSchedule")))
                .getTolerations())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getKey()).isEqualTo("db-only");
              assertThat(t.getOperator()).isEqualTo("Exists");
              assertThat(t.getValue()).isNull();
            });
    assertThat(
            pod(sts(
                    Fixtures.minimalWith("tolerations: [{key: postgres, operator: Exists}]\n"),
                    Map.of("toleration", "key:db-only")))
                .getTolerations())
        .extracting(t -> t.getKey())
        .containsExactly("postgres");
  }

  @Test
  void shmVolumeCanOnlyBeForcedOnByTheManifest() {
    assertThat(pod(sts(Fixtures.minimalWith("enableShmVolume: false\n"), Map.of())).getVolumes())
        .extracting(Volume::getName)
        .contains("dshm");
    assertThat(pod(sts(Fixtures.MINIMAL, Map.of("enable_shm_volume", "false"))).getVolumes())
        .isEmpty();
    assertThat(
            pod(sts(
                    Fixtures.minimalWith("enableShmVolume: true\n"),
                    Map.of("enable_shm_volume", "false")))
                .getVolumes())
        .extracting(Volume::getName)
        .containsExactly("dshm");
  }

  @Test
  void instancesAreClampedUnlessTheAnnotationSaysOtherwise() {
    Map<String, String> limits =
        Map.of(
            "min_instances",
            "3",
            "max_instances",
            "5",
            "ignore_instance_limits_annotation_key",
            "ignore-limits");
    assertThat(sts(Fixtures.MINIMAL, limits).getSpec().getReplicas()).isEqualTo(3);
    assertThat(
            sts(
                    Fixtures.MINIMAL.replace(
                        "metadata: {", "metadata: {annotations: {ignore-limits: \"true\"}, "),
                    limits)
                .getSpec()
                .getReplicas())
        .isEqualTo(2);
  }

  @Test
  void volumeTemplateCarriesClassSelectorAndSubPath() {
    StatefulSet s =
        sts(
            Fixtures.MINIMAL.replace(
                "volume: {size: 1Gi}",
                "volume: {size: 10Gi, storageClass: "
                    + "rook-ceph-block, subPath: $(POD_NAME), isSubPathExpr: true, selector: {matchLabels: {tier: fast}}}"),
            Map.of(
                "persistent_volume_claim_retention_policy",
                "when_deleted:delete,when_scaled:retain"));
    var pvc = s.getSpec().getVolumeClaimTemplates().get(0);
    assertThat(pvc.getSpec().getStorageClassName()).isEqualTo("rook-ceph-block");
    assertThat(pvc.getSpec().getResources().getRequests().get("storage").toString())
        .isEqualTo("10Gi");
    assertThat(pvc.getSpec().getSelector().getMatchLabels()).containsEntry("tier", "fast");
    VolumeMount pgdata = pod(s).getContainers().get(0).getVolumeMounts().get(0);
    assertThat(pgdata.getSubPathExpr()).isEqualTo("$(POD_NAME)");
    assertThat(s.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted())
        .isEqualTo("Delete");
    assertThat(s.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenScaled())
        .isEqualTo("Retain");
  }

  @Test
  void tlsSecretsAreMountedWithRestrictedMode() {
    StatefulSet s =
        sts(
            Fixtures.minimalWith(
                "tls: {secretName: pg-tls, caFile: ca.crt, caSecretName: pg-ca}\n"),
            Map.of());
    assertThat(pod(s).getVolumes())
        .extracting(Volume::getName)
        .containsExactly("dshm", "pg-tls", "pg-ca");
    assertThat(pod(s).getVolumes().get(1).getSecret().getDefaultMode()).isEqualTo(0640);
    assertThat(mounts(pod(s).getContainers().get(0))).contains("pg-tls:/tls", "pg-ca:/tlsca");
  }

  @Test
  void podSettingsFromManifestAndConfiguration() {
    StatefulSet s =
        sts(
            Fixtures.minimalWith(
                "podPriorityClassName: critical\nschedulerName: custom\n"
                    + "podAnnotations: {b: manifest}\n"),
            Map.of(
                "custom_pod_annotations",
                "a:config,b:config",
                "kube_iam_role",
                "db-role",
                "pod_terminate_grace_period",
                "1m",
                "enable_readiness_probe",
                "true",
                "pod_management_policy",
                "parallel"));
    assertThat(pod(s).getPriorityClassName()).isEqualTo("critical");
    assertThat(pod(s).getSchedulerName()).isEqualTo("custom");
    assertThat(pod(s).getTerminationGracePeriodSeconds()).isEqualTo(60L);
    assertThat(s.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
    assertThat(s.getSpec().getTemplate().getMetadata().getAnnotations())
        .isEqualTo(Map.of("a", "config", "b", "manifest", "iam.amazonaws.com/role", "db-role"));
    assertThat(pod(s).getContainers().get(0).getReadinessProbe().getHttpGet().getPath())
        .isEqualTo("/readiness");
  }

  @Test
  void unknownPodManagementPolicyIsAGenerationError() {
    Cluster c =
        Fixtures.cluster(
            Fixtures.MINIMAL,
            OperatorConfigReader.fromConfigMap(Map.of("pod_management_policy", "random")));
    assertThatThrownBy(() -> StatefulSetGenerator.generate(c, PodEnvironmentSources.NONE))
        .isInstanceOf(GenerationException.class)
        .hasMessageContaining("ordered_ready or parallel");
  }

  @Test
  void downscalerAnnotationsReachTheStatefulSet() {
    StatefulSet s =
        sts(
            Fixtures.MINIMAL.replace(
                "metadata: {",
                "metadata: {annotations: {downscaler/uptime: " + "\"Mon-Fri\", unrelated: x}, "),
            Map.of("downscaler_annotations", "downscaler/*"));
    assertThat(s.getMetadata().getAnnotations()).isEqualTo(Map.of("downscaler/uptime", "Mon-Fri"));
  }
}
