package dev.cornac.operator.reconcile.steps;

import dev.cornac.generators.monitoring.PodMonitor;
import dev.cornac.generators.monitoring.PodMonitorGenerator;
import dev.cornac.generators.plan.ObjectMatcher;
import dev.cornac.operator.reconcile.Reconciliation;
import java.util.Optional;

/**
 * The cluster's PodMonitor: created, kept as generated, and deleted when the exporter or the
 * PodMonitor option is turned off. Nothing is done without the PodMonitor CRD (the operator said so
 * at start).
 */
public final class PodMonitorSync {
  private PodMonitorSync() {}

  public static void sync(Reconciliation r) {
    Optional<PodMonitor> desired = r.desired().podMonitor();
    if (!r.informers().watches(PodMonitor.class)) {
      if (desired.isPresent()) {
        r.note("no PodMonitor: the Prometheus Operator's PodMonitor CRD is not installed");
      }
      return;
    }
    String name = PodMonitorGenerator.name(r.cluster());
    Optional<PodMonitor> live = r.informers().get(PodMonitor.class, r.cluster().namespace(), name);
    if (desired.isEmpty()) {
      if (live.isPresent()) {
        r.writer().delete(live.get());
        r.acted(
            "PodMonitor",
            "deleted PodMonitor " + name + " (the exporter or its PodMonitor is turned off)");
      }
      return;
    }
    if (live.isEmpty()) {
      r.writer().create(desired.get());
      r.acted("PodMonitor", "created PodMonitor " + name);
    } else if (!ObjectMatcher.covers(desired.get(), live.get())) {
      r.writer().update(desired.get(), live.get());
      r.acted("PodMonitor", "updated PodMonitor " + name);
    }
  }
}
