package dev.cornac.generators.statefulset;

import dev.cornac.api.model.AdditionalVolume;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.api.model.Tls;
import dev.cornac.generators.Cluster;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pod volumes of a database pod and the mounts of each container, in upstream's order
 * (upstream: pkg/cluster/k8sres.go, generatePodTemplate and addAdditionalVolumes).
 */
public final class PodVolumes {
  public static final String POSTGRES_CONTAINER = "postgres";
  public static final String SHM_VOLUME = "dshm";
  public static final String RUN_VOLUME = "postgresql-run";
  public static final String RUN_PATH = "/var/run/postgresql";
  static final int TLS_SECRET_MODE = 0640;

  private PodVolumes() {}

  /**
   * True when the shm volume is used: only a manifest {@code true} overrides the configuration
   * (upstream: pkg/cluster/k8sres.go, mountShmVolumeNeeded).
   */
  public static boolean shmEnabled(Cluster c) {
    return Boolean.TRUE.equals(c.spec().enableShmVolume) || c.config().bool("enable_shm_volume");
  }

  public static List<Volume> volumes(Cluster c) {
    List<Volume> volumes = new ArrayList<>();
    if (shmEnabled(c)) {
      volumes.add(
          new VolumeBuilder()
              .withName(SHM_VOLUME)
              .withNewEmptyDir()
              .withMedium("Memory")
              .endEmptyDir()
              .build());
    }
    if (c.config().bool("share_pgsocket_with_sidecars")) {
      volumes.add(
          new VolumeBuilder()
              .withName(RUN_VOLUME)
              .withNewEmptyDir()
              .withMedium("Memory")
              .endEmptyDir()
              .build());
    }
    String secretMount = c.config().string("additional_secret_mount");
    if (!secretMount.isEmpty()) {
      volumes.add(
          new VolumeBuilder()
              .withName(secretMount)
              .withNewSecret()
              .withSecretName(secretMount)
              .endSecret()
              .build());
    }
    for (AdditionalVolume v : acceptedAdditionalVolumes(c)) {
      Map<String, Object> source = new LinkedHashMap<>();
      source.put("name", v.name);
      if (v.volumeSource != null) {
        source.putAll(v.volumeSource);
      }
      volumes.add(ManifestMapper.convert(source, Volume.class));
    }
    volumes.addAll(tlsVolumes(c));
    return volumes;
  }

  /** TLS secret volumes, also used by the pooler pods. */
  public static List<Volume> tlsVolumes(Cluster c) {
    List<Volume> volumes = new ArrayList<>();
    Tls tls = c.spec().tls;
    if (tls == null || tls.secretName == null || tls.secretName.isEmpty()) {
      return volumes;
    }
    volumes.add(secretVolume(tls.secretName));
    if (notEmpty(tls.caFile) && notEmpty(tls.caSecretName)) {
      volumes.add(secretVolume(tls.caSecretName));
    }
    return volumes;
  }

  public static List<VolumeMount> tlsMounts(Cluster c) {
    List<VolumeMount> mounts = new ArrayList<>();
    Tls tls = c.spec().tls;
    if (tls == null || tls.secretName == null || tls.secretName.isEmpty()) {
      return mounts;
    }
    mounts.add(
        new VolumeMountBuilder()
            .withName(tls.secretName)
            .withMountPath(TlsPaths.TLS_MOUNT)
            .build());
    if (notEmpty(tls.caFile) && notEmpty(tls.caSecretName)) {
      mounts.add(
          new VolumeMountBuilder()
              .withName(tls.caSecretName)
              .withMountPath(TlsPaths.TLS_CA_MOUNT)
              .build());
    }
    return mounts;
  }

  private static Volume secretVolume(String secretName) {
    return new VolumeBuilder()
        .withName(secretName)
        .withNewSecret()
        .withSecretName(secretName)
        .withDefaultMode(TLS_SECRET_MODE)
        .endSecret()
        .build();
  }

  /**
   * Additional volumes minus those whose mount path is pgdata's or an earlier volume's (skipped
   * with a warning).
   */
  static List<AdditionalVolume> acceptedAdditionalVolumes(Cluster c) {
    List<AdditionalVolume> accepted = new ArrayList<>();
    Set<String> paths = new HashSet<>();
    if (c.spec().additionalVolumes == null) {
      return accepted;
    }
    for (AdditionalVolume v : c.spec().additionalVolumes) {
      if (SpiloEnvironment.PGDATA_MOUNT.equals(v.mountPath) || !paths.add(v.mountPath)) {
        continue;
      }
      accepted.add(v);
    }
    return accepted;
  }

  public static VolumeMount pgdataMount(Cluster c) {
    var volume = c.spec().volume;
    return mount(
        "pgdata",
        SpiloEnvironment.PGDATA_MOUNT,
        volume == null ? null : volume.subPath,
        volume != null && Boolean.TRUE.equals(volume.isSubPathExpr));
  }

  /** Mounts of the postgres container. */
  public static List<VolumeMount> postgresMounts(Cluster c) {
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(pgdataMount(c));
    if (shmEnabled(c)) {
      mounts.add(new VolumeMountBuilder().withName(SHM_VOLUME).withMountPath("/dev/shm").build());
    }
    mounts.addAll(sharedMounts(c, POSTGRES_CONTAINER));
    mounts.addAll(tlsMounts(c));
    return mounts;
  }

  /**
   * Mounts every container of the pod gets (socket dir, secret mount) plus the additional volumes
   * it is named in.
   */
  static List<VolumeMount> sharedMounts(Cluster c, String containerName) {
    List<VolumeMount> mounts = new ArrayList<>();
    if (c.config().bool("share_pgsocket_with_sidecars")) {
      mounts.add(new VolumeMountBuilder().withName(RUN_VOLUME).withMountPath(RUN_PATH).build());
    }
    String secretMount = c.config().string("additional_secret_mount");
    if (!secretMount.isEmpty()) {
      mounts.add(
          new VolumeMountBuilder()
              .withName(secretMount)
              .withMountPath(c.config().string("additional_secret_mount_path"))
              .build());
    }
    for (AdditionalVolume v : acceptedAdditionalVolumes(c)) {
      if (targets(v, containerName)) {
        mounts.add(mount(v.name, v.mountPath, v.subPath, Boolean.TRUE.equals(v.isSubPathExpr)));
      }
    }
    return mounts;
  }

  /** A mount whose sub-path is either literal or, with {@code isSubPathExpr}, an expression. */
  private static VolumeMount mount(String name, String path, String subPath, boolean isExpression) {
    VolumeMountBuilder b = new VolumeMountBuilder().withName(name).withMountPath(path);
    if (notEmpty(subPath)) {
      if (isExpression) {
        b.withSubPathExpr(subPath);
      } else {
        b.withSubPath(subPath);
      }
    }
    return b.build();
  }

  private static boolean targets(AdditionalVolume v, String containerName) {
    if (v.targetContainers == null || v.targetContainers.isEmpty()) {
      return POSTGRES_CONTAINER.equals(containerName);
    }
    return v.targetContainers.contains("all") || v.targetContainers.contains(containerName);
  }

  /**
   * Sidecars keep their own mounts; shared mounts and pgdata are appended (upstream:
   * pkg/cluster/k8sres.go, patchSidecarContainers).
   */
  static void addSidecarMounts(Cluster c, Container sidecar) {
    List<VolumeMount> mounts =
        new ArrayList<>(sidecar.getVolumeMounts() == null ? List.of() : sidecar.getVolumeMounts());
    mounts.addAll(sharedMounts(c, sidecar.getName()));
    mounts.add(pgdataMount(c));
    sidecar.setVolumeMounts(mounts);
  }

  private static boolean notEmpty(String s) {
    return s != null && !s.isEmpty();
  }
}
