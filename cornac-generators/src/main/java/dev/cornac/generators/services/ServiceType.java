package dev.cornac.generators.services;

/**
 * The type decision of upstream's Services (upstream: pkg/cluster/k8sres.go, generateService):
 * NodePort beats LoadBalancer; each flag comes from the manifest when present, else from the
 * configuration.
 */
public record ServiceType(String type, Integer nodePort) {
  public static ServiceType decide(
      Boolean manifestNodePort,
      Integer manifestPort,
      boolean configNodePort,
      Boolean manifestLoadBalancer,
      boolean configLoadBalancer) {
    boolean nodePort = manifestNodePort != null ? manifestNodePort : configNodePort;
    if (nodePort) {
      Integer port =
          Boolean.TRUE.equals(manifestNodePort) && manifestPort != null && manifestPort != 0
              ? manifestPort
              : null;
      return new ServiceType("NodePort", port);
    }
    boolean loadBalancer = manifestLoadBalancer != null ? manifestLoadBalancer : configLoadBalancer;
    return new ServiceType(loadBalancer ? "LoadBalancer" : "ClusterIP", null);
  }

  public boolean isLoadBalancer() {
    return "LoadBalancer".equals(type);
  }

  public boolean isExternal() {
    return !"ClusterIP".equals(type);
  }
}
