package dev.cornac.generators.statefulset;

import dev.cornac.api.config.OperatorConfig;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.api.model.Sidecar;
import dev.cornac.generators.Cluster;
import dev.cornac.generators.EnvVars;
import dev.cornac.generators.naming.ClusterNames;
import dev.cornac.generators.resources.ResourceDefaults;
import dev.cornac.generators.resources.ResourceRequirementsResolver;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The containers after {@code postgres} (upstream: pkg/cluster/k8sres.go, generateStatefulSet and
 * patchSidecarContainers; pkg/cluster/util.go, mergeContainers): manifest sidecars, global
 * sidecars, the deprecated image map and the deprecated scalyr sidecar, de-duplicated by name
 * (first wins), each given the pod identity and superuser credentials in its environment and the
 * pgdata mount.
 */
public final class SidecarContainers {
  static final String SCALYR_SIDECAR = "scalyr-sidecar";
  private static final Set<String> INJECTED =
      Set.of("pod_name", "pod_namespace", "postgres_user", "postgres_password");

  private SidecarContainers() {}

  public static List<Container> of(Cluster c) {
    OperatorConfig config = c.config();
    Map<String, Container> byName = new LinkedHashMap<>();
    List<Sidecar> manifest = c.spec().sidecars == null ? List.of() : c.spec().sidecars;
    for (int i = 0; i < manifest.size(); i++) {
      Sidecar s = manifest.get(i);
      String name = s.name == null || s.name.isEmpty() ? "sidecar-" + i : s.name;
      byName.putIfAbsent(
          name,
          new ContainerBuilder()
              .withName(name)
              .withImage(s.image)
              .withImagePullPolicy("IfNotPresent")
              .withResources(
                  ResourceRequirementsResolver.other(
                      s.resources, ResourceDefaults.postgres(config), config))
              .withEnv(s.env)
              .withPorts(s.ports)
              .withCommand(s.command)
              .build());
    }
    for (Container global : config.sidecars()) {
      byName.putIfAbsent(global.getName(), ManifestMapper.convert(global, Container.class));
    }
    new TreeMap<>(config.map("sidecar_docker_images"))
        .forEach(
            (name, image) ->
                byName.putIfAbsent(
                    name,
                    new ContainerBuilder()
                        .withName(name)
                        .withImage(image)
                        .withImagePullPolicy("IfNotPresent")
                        .withResources(
                            ResourceRequirementsResolver.other(
                                null, ResourceDefaults.postgres(config), config))
                        .build()));
    if (!config.string("scalyr_api_key").isEmpty() && !config.string("scalyr_image").isEmpty()) {
      List<EnvVar> env = new ArrayList<>();
      env.add(EnvVars.value("SCALYR_API_KEY", config.string("scalyr_api_key")));
      env.add(EnvVars.value("SCALYR_SERVER_HOST", c.name()));
      if (!config.string("scalyr_server_url").isEmpty()) {
        env.add(EnvVars.value("SCALYR_SERVER_URL", config.string("scalyr_server_url")));
      }
      byName.putIfAbsent(
          SCALYR_SIDECAR,
          new ContainerBuilder()
              .withName(SCALYR_SIDECAR)
              .withImage(config.string("scalyr_image"))
              .withImagePullPolicy("IfNotPresent")
              .withEnv(env)
              .withResources(
                  ResourceRequirementsResolver.other(null, ResourceDefaults.scalyr(config), config))
              .build());
    }
    List<Container> sidecars = new ArrayList<>(byName.values());
    for (Container sidecar : sidecars) {
      sidecar.setEnv(withPodIdentity(c, sidecar.getEnv()));
      PodVolumes.addSidecarMounts(c, sidecar);
    }
    return sidecars;
  }

  private static List<EnvVar> withPodIdentity(Cluster c, List<EnvVar> own) {
    List<EnvVar> env = new ArrayList<>();
    env.add(EnvVars.field("POD_NAME", "metadata.name"));
    env.add(EnvVars.field("POD_NAMESPACE", "metadata.namespace"));
    env.add(EnvVars.value("POSTGRES_USER", c.config().superUsername()));
    env.add(
        EnvVars.secret(
            "POSTGRES_PASSWORD",
            ClusterNames.credentialSecret(c, c.config().superUsername()),
            "password"));
    if (own != null) {
      own.stream()
          .filter(
              e -> e.getName() == null || !INJECTED.contains(e.getName().toLowerCase(Locale.ROOT)))
          .forEach(env::add);
    }
    return env;
  }
}
