package dev.cornac.generators.security;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The Kubernetes Pod Security Standard "restricted" (with the "baseline" rules it includes),
 * checked on a pod spec: one line per broken rule, naming the container and the field. An empty
 * list means the pod is admitted by a namespace labelled {@code pod-security.kubernetes.io/enforce:
 * restricted}.
 */
public final class RestrictedProfile {
  private static final Set<String> ALLOWED_VOLUMES =
      Set.of(
          "configMap",
          "csi",
          "downwardAPI",
          "emptyDir",
          "ephemeral",
          "persistentVolumeClaim",
          "projected",
          "secret");

  private RestrictedProfile() {}

  public static List<String> violations(PodSpec spec) {
    List<String> out = new ArrayList<>();
    PodSecurityContext pod =
        spec.getSecurityContext() == null ? new PodSecurityContext() : spec.getSecurityContext();
    if (Boolean.TRUE.equals(spec.getHostNetwork())
        || Boolean.TRUE.equals(spec.getHostPID())
        || Boolean.TRUE.equals(spec.getHostIPC())) {
      out.add("pod: host namespaces (hostNetwork/hostPID/hostIPC) must not be used");
    }
    for (Volume v : spec.getVolumes() == null ? List.<Volume>of() : spec.getVolumes()) {
      String type = volumeType(v);
      if (!ALLOWED_VOLUMES.contains(type)) {
        out.add("volume " + v.getName() + ": type " + type + " is not allowed");
      }
    }
    if (pod.getRunAsUser() != null && pod.getRunAsUser() == 0) {
      out.add("pod: securityContext.runAsUser must not be 0");
    }
    List<Container> containers =
        Stream.concat(
                spec.getInitContainers() == null
                    ? Stream.<Container>empty()
                    : spec.getInitContainers().stream(),
                spec.getContainers() == null
                    ? Stream.<Container>empty()
                    : spec.getContainers().stream())
            .toList();
    for (Container c : containers) {
      String who = "container " + c.getName();
      SecurityContext sc =
          c.getSecurityContext() == null ? new SecurityContext() : c.getSecurityContext();
      if (Boolean.TRUE.equals(sc.getPrivileged())) {
        out.add(who + ": securityContext.privileged must be false");
      }
      if (!Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
        out.add(who + ": securityContext.allowPrivilegeEscalation must be false");
      }
      boolean nonRoot =
          sc.getRunAsNonRoot() != null
              ? sc.getRunAsNonRoot()
              : Boolean.TRUE.equals(pod.getRunAsNonRoot());
      if (!nonRoot) {
        out.add(who + ": runAsNonRoot must be true (pod or container securityContext)");
      }
      if (sc.getRunAsUser() != null && sc.getRunAsUser() == 0) {
        out.add(who + ": securityContext.runAsUser must not be 0");
      }
      String seccomp =
          sc.getSeccompProfile() != null
              ? sc.getSeccompProfile().getType()
              : pod.getSeccompProfile() == null ? null : pod.getSeccompProfile().getType();
      if (!"RuntimeDefault".equals(seccomp) && !"Localhost".equals(seccomp)) {
        out.add(
            who + ": seccompProfile.type must be RuntimeDefault or Localhost (pod or container)");
      }
      List<String> drop =
          sc.getCapabilities() == null || sc.getCapabilities().getDrop() == null
              ? List.of()
              : sc.getCapabilities().getDrop();
      if (!drop.contains("ALL")) {
        out.add(who + ": capabilities.drop must contain ALL");
      }
      List<String> add =
          sc.getCapabilities() == null || sc.getCapabilities().getAdd() == null
              ? List.of()
              : sc.getCapabilities().getAdd();
      add.stream()
          .filter(a -> !"NET_BIND_SERVICE".equals(a))
          .forEach(
              a ->
                  out.add(who + ": capability " + a + " may not be added (only NET_BIND_SERVICE)"));
      for (ContainerPort p : c.getPorts() == null ? List.<ContainerPort>of() : c.getPorts()) {
        if (p.getHostPort() != null && p.getHostPort() != 0) {
          out.add(who + ": hostPort " + p.getHostPort() + " must not be used");
        }
      }
    }
    return out;
  }

  private static String volumeType(Volume v) {
    if (v.getConfigMap() != null) {
      return "configMap";
    }
    if (v.getSecret() != null) {
      return "secret";
    }
    if (v.getEmptyDir() != null) {
      return "emptyDir";
    }
    if (v.getPersistentVolumeClaim() != null) {
      return "persistentVolumeClaim";
    }
    if (v.getProjected() != null) {
      return "projected";
    }
    if (v.getDownwardAPI() != null) {
      return "downwardAPI";
    }
    if (v.getCsi() != null) {
      return "csi";
    }
    if (v.getEphemeral() != null) {
      return "ephemeral";
    }
    return v.getHostPath() != null ? "hostPath" : "other";
  }
}
