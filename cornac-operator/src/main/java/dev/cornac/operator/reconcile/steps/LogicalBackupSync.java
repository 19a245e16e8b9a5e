package dev.cornac.operator.reconcile.steps;

import dev.cornac.generators.naming.ClusterNames;
import dev.cornac.generators.plan.ObjectMatcher;
import dev.cornac.operator.reconcile.Reconciliation;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;

/**
 * The logical backup CronJob: created, updated or deleted with {@code enableLogicalBackup}
 * (reference 3.13).
 */
public final class LogicalBackupSync {
  private LogicalBackupSync() {}

  public static void sync(Reconciliation r) {
    String name = ClusterNames.logicalBackupJob(r.cluster());
    var live = r.informers().get(CronJob.class, r.cluster().namespace(), name);
    var desired = r.desired().logicalBackup();
    if (desired.isEmpty() || r.cluster().effectiveInstances() <= 0) {
      if (live.isPresent() && desired.isEmpty()) {
        r.writer().delete(live.get());
        r.acted("LogicalBackup", "deleted logical backup cron job " + name);
      }
      return;
    }
    CronJob job = desired.get();
    if (live.isEmpty()) {
      r.writer().create(job);
      r.acted(
          "LogicalBackup",
          "created logical backup cron job " + name + " (" + job.getSpec().getSchedule() + ")");
    } else if (!ObjectMatcher.covers(job, live.get())) {
      r.writer().update(job, live.get());
      r.acted("LogicalBackup", "updated logical backup cron job " + name);
    }
  }
}
