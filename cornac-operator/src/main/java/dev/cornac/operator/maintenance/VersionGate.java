package dev.cornac.operator.maintenance;

import dev.cornac.api.cluster.MaintenanceWindows;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.api.model.Postgresql;
import dev.cornac.generators.Cluster;
import dev.cornac.generators.statefulset.SpiloEnvironment;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * A PostgreSQL version change waits for a maintenance window (upstream: pkg/cluster/sync.go, Sync,
 * and pkg/cluster/cluster.go, Update, with pkg/cluster/util.go, isInMaintenanceWindow): outside
 * one, the cluster is generated with the version its StatefulSet runs, and says why in its status.
 * Everything else in the manifest applies at once.
 */
public final class VersionGate {
  /** The cluster to generate, and the note for the status when the version is held back. */
  public record Gated(Cluster cluster, Optional<String> note) {}

  private VersionGate() {}

  public static Gated apply(Cluster c, Optional<StatefulSet> live, Clock clock) {
    Optional<String> running = live.flatMap(VersionGate::runningVersion);
    String wanted = SpiloEnvironment.desiredMajorVersion(c);
    if (running.isEmpty()
        || running.get().equals(wanted)
        || MaintenanceWindows.inWindow(c.spec().maintenanceWindows, c.config(), clock.instant())) {
      return new Gated(c, Optional.empty());
    }
    Postgresql held = ManifestMapper.convert(ManifestMapper.tree(c.resource()), Postgresql.class);
    held.getSpec().postgresql.version = running.get();
    return new Gated(
        new Cluster(held, c.config()),
        Optional.of(
            "PostgreSQL "
                + wanted
                + " waits for a maintenance "
                + "window ("
                + String.join(", ", windows(c))
                + "); running "
                + running.get()
                + " until then"));
  }

  private static List<String> windows(Cluster c) {
    return c.spec().maintenanceWindows != null && !c.spec().maintenanceWindows.isEmpty()
        ? c.spec().maintenanceWindows
        : c.config().list("maintenance_windows");
  }

  static Optional<String> runningVersion(StatefulSet sts) {
    if (sts.getSpec() == null
        || sts.getSpec().getTemplate() == null
        || sts.getSpec().getTemplate().getSpec() == null) {
      return Optional.empty();
    }
    for (Container container : sts.getSpec().getTemplate().getSpec().getContainers()) {
      if (container.getEnv() == null) {
        continue;
      }
      for (EnvVar e : container.getEnv()) {
        if ("PGVERSION".equals(e.getName()) && e.getValue() != null) {
          return Optional.of(e.getValue());
        }
      }
    }
    return Optional.empty();
  }
}
