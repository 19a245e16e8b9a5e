package dev.cornac.generators.security;

import dev.cornac.generators.Cluster;

/**
 * When the Spilo pods are configured to run as a non-root user ({@code spiloRunAsUser} / {@code
 * spilo_runasuser} other than 0) with privilege escalation off ({@code
 * spilo_allow_privilege_escalation: false}), Cornac completes the Kubernetes "restricted" profile:
 * {@code runAsNonRoot}, seccomp {@code RuntimeDefault} and all capabilities dropped. Otherwise the
 * pods stay exactly as upstream writes them, so that replacing the Zalando operator restarts
 * nothing.
 */
public final class PodHardening {
  private PodHardening() {}

  public static boolean restricted(Cluster c) {
    Long user =
        c.spec().spiloRunAsUser != null
            ? c.spec().spiloRunAsUser
            : c.config().integer("spilo_runasuser").orElse(null);
    return user != null && user != 0 && !c.config().bool("spilo_allow_privilege_escalation");
  }
}
