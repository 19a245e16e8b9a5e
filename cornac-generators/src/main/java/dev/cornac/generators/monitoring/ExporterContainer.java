package dev.cornac.generators.monitoring;

import dev.cornac.generators.Cluster;
import dev.cornac.generators.EnvVars;
import dev.cornac.generators.naming.ClusterNames;
import dev.cornac.generators.secrets.DesiredRoles;
import dev.cornac.generators.statefulset.StatefulSetGenerator;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cornac's postgres_exporter sidecar ({@code enable_postgres_exporter}): it reads PostgreSQL on
 * localhost as its own {@code pg_monitor} role, whose password comes from that role's credentials
 * secret, and serves {@code /metrics} on the port named {@code exporter} (9187). Restricted in
 * every respect, whatever the Spilo container is.
 */
public final class ExporterContainer {
  public static final String NAME = "postgres-exporter";
  public static final int PORT = 9187;
  public static final String PORT_NAME = "exporter";

  private ExporterContainer() {}

  public static Optional<Container> of(Cluster c) {
    if (!c.config().bool("enable_postgres_exporter") || c.isStandby()) {
      return Optional.empty();
    }
    String user = DesiredRoles.exporterUser(c);
    return Optional.of(
        new ContainerBuilder()
            .withName(NAME)
            .withImage(c.config().string("postgres_exporter_image"))
            .withImagePullPolicy("IfNotPresent")
            .addNewPort()
            .withName(PORT_NAME)
            .withContainerPort(PORT)
            .withProtocol("TCP")
            .endPort()
            .withEnv(
                List.of(
                    EnvVars.value(
                        "DATA_SOURCE_URI",
                        "localhost:"
                            + StatefulSetGenerator.POSTGRES_PORT
                            + "/postgres?sslmode=disable"),
                    EnvVars.value("DATA_SOURCE_USER", user),
                    EnvVars.secret(
                        "DATA_SOURCE_PASS", ClusterNames.credentialSecret(c, user), "password")))
            .withNewResources()
            .withRequests(Map.of("cpu", new Quantity("10m"), "memory", new Quantity("32Mi")))
            .withLimits(Map.of("cpu", new Quantity("100m"), "memory", new Quantity("64Mi")))
            .endResources()
            .withNewReadinessProbe()
            .withNewHttpGet()
            .withPath("/metrics")
            .withPort(new IntOrString(PORT))
            .endHttpGet()
            .withInitialDelaySeconds(5)
            .withPeriodSeconds(30)
            .endReadinessProbe()
            .withNewSecurityContext()
            .withRunAsNonRoot(true)
            .withRunAsUser(65534L)
            .withAllowPrivilegeEscalation(false)
            .withReadOnlyRootFilesystem(true)
            .withNewCapabilities()
            .withDrop("ALL")
            .endCapabilities()
            .withNewSeccompProfile()
            .withType("RuntimeDefault")
            .endSeccompProfile()
            .endSecurityContext()
            .build());
  }
}
