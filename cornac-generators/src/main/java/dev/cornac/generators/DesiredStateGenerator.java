package dev.cornac.generators;

import dev.cornac.generators.backup.LogicalBackupCronJobGenerator;
import dev.cornac.generators.connectionpooler.ConnectionPoolerGenerator;
import dev.cornac.generators.monitoring.PodMonitorGenerator;
import dev.cornac.generators.naming.Role;
import dev.cornac.generators.pdb.PodDisruptionBudgetGenerator;
import dev.cornac.generators.rbac.PodServiceAccountGenerator;
import dev.cornac.generators.secrets.CredentialSecretGenerator;
import dev.cornac.generators.secrets.Credentials;
import dev.cornac.generators.services.EndpointsGenerator;
import dev.cornac.generators.services.ServiceGenerator;
import dev.cornac.generators.statefulset.StatefulSetGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Composes every generator: (cluster, configuration, external inputs) → {@link DesiredState}. No
 * I/O.
 */
public final class DesiredStateGenerator {
  private DesiredStateGenerator() {}

  public static DesiredState generate(
      Cluster c,
      PodEnvironmentSources sources,
      SortedSet<String> backupSecretKeys,
      Credentials credentials) {
    List<DesiredState.PoolerObjects> poolers = new ArrayList<>();
    if (c.masterPoolerEnabled()) {
      poolers.add(pooler(c, Role.MASTER, credentials));
    }
    if (c.replicaPoolerEnabled()) {
      poolers.add(pooler(c, Role.REPLICA, credentials));
    }
    return new DesiredState(
        PodServiceAccountGenerator.serviceAccount(c),
        PodServiceAccountGenerator.roleBinding(c),
        EndpointsGenerator.master(c),
        ServiceGenerator.generate(c, Role.MASTER),
        ServiceGenerator.generate(c, Role.REPLICA),
        CredentialSecretGenerator.generate(c, credentials),
        PodDisruptionBudgetGenerator.primary(c),
        PodDisruptionBudgetGenerator.criticalOperation(c),
        StatefulSetGenerator.generate(c, sources),
        LogicalBackupCronJobGenerator.generate(c, backupSecretKeys),
        poolers,
        PodMonitorGenerator.generate(c));
  }

  /** For offline rendering: no external objects, placeholder passwords unless asked. */
  public static DesiredState generate(Cluster c, Credentials credentials) {
    return generate(c, PodEnvironmentSources.NONE, new TreeSet<>(), credentials);
  }

  private static DesiredState.PoolerObjects pooler(Cluster c, Role role, Credentials credentials) {
    return new DesiredState.PoolerObjects(
        ConnectionPoolerGenerator.authSecret(c, role, credentials),
        ConnectionPoolerGenerator.deployment(c, role),
        ConnectionPoolerGenerator.service(c, role));
  }
}
