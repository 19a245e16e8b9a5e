package dev.cornac.operator.dataplane;

import dev.cornac.api.config.OperatorConfig;
import dev.cornac.dataplane.MemberEndpoints;
import dev.cornac.dataplane.patroni.PatroniClient;
import dev.cornac.dataplane.patroni.PatroniConfigSync;
import dev.cornac.dataplane.sql.ClusterSqlSync;
import dev.cornac.dataplane.sql.DatabaseSync;
import dev.cornac.dataplane.sql.RotationRetention;
import dev.cornac.generators.secrets.DesiredRole;
import dev.cornac.generators.secrets.PasswordRotation;
import dev.cornac.operator.infrastructure.InfrastructureRoles;
import dev.cornac.operator.switchover.PodMembers;
import java.util.HashMap;
import java.util.Map;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import dev.cornac.generators.Cluster;
import dev.cornac.generators.naming.ClusterNames;
import dev.cornac.generators.statefulset.SpiloConfiguration;
import io.fabric8.kubernetes.api.model.Pod;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the operator does inside a running cluster once its pods are up (reference b.2 steps 10 and 14): Patroni's
 * dynamic configuration from the manifest, then roles, databases and prepared databases over SQL. Skipped, as
 * upstream does, without database access, with no instances, for standby clusters, and while a pod has no address.
 */
public final class DataPlaneSync {
  private final OperatorConfig config;
  private final MemberEndpoints endpoints;
  private final Clock clock;

  public DataPlaneSync(OperatorConfig config, MemberEndpoints endpoints, Clock clock) {
    this.config = config;
    this.endpoints = endpoints;
    this.clock = clock;
  }

  /** The statements and patches it made, for events; empty when nothing changed or the sync does not apply. */
  public List<String> sync(Cluster c, List<Pod> pods, Function<String, Optional<String>> passwordOfSecret,
      Function<String, Optional<String>> usernameOfSecret, List<InfrastructureRoles.Role> infrastructure,
      List<DesiredRole> teamMembers) throws SQLException, InterruptedException {
    List<String> actions = new ArrayList<>();
    if (!applies(c, pods)) {
      return actions;
    }
    List<PatroniClient> members = pods.stream()
        .map(p -> endpoints.patroni(PodMembers.address(p))).toList();
    var configResult = PatroniConfigSync.sync(members, c.spec().patroni, SpiloConfiguration.dcsParameters(c),
        config.bool("enable_patroni_failsafe_mode"), Duration.ofSeconds(12));
    if (configResult.changed()) {
      actions.add("patched Patroni configuration " + configResult.patch());
    }
    configResult.restarted().forEach(m -> actions.add("restarted PostgreSQL at " + m));
    Pod leader = pods.stream().filter(p -> "master".equals(label(p))).findFirst().orElse(null);
    Optional<String> superPassword = passwordOfSecret.apply(ClusterNames.credentialSecret(c, config.superUsername()));
    if (leader == null || superPassword.isEmpty()) {
      return actions;
    }
    MemberEndpoints.Member address = PodMembers.address(leader);
    var connector = (DatabaseSync.Connector) db -> DriverManager.getConnection(endpoints.jdbcUrl(address, db),
        config.superUsername(), superPassword.get());
    RotatedRoles rotated = RotatedRoles.of(c, secret -> usernameOfSecret.apply(secret));
    List<DesiredRole> extra = new ArrayList<>(rotated.roles());
    extra.addAll(teamMembers);
    Map<String, String> infrastructurePasswords = new HashMap<>();
    for (InfrastructureRoles.Role role : infrastructure) {
      extra.add(role.desired(c.namespace()));
      infrastructurePasswords.put(role.name(), role.password());
    }
    actions.addAll(ClusterSqlSync.sync(c, connector, role -> infrastructurePasswords.containsKey(role)
        ? infrastructurePasswords.get(role) : rotated.secretOf(role).flatMap(passwordOfSecret).orElse(null), extra));
    List<String> problems = new ArrayList<>();
    try (java.sql.Connection conn = connector.connect("postgres")) {
      for (String role : rotated.newUserRotation()) {
        actions.addAll(RotationRetention.sync(conn, role, LocalDate.now(clock.withZone(ZoneOffset.UTC)),
            PasswordRotation.retentionDays(c), problems).executed());
      }
    }
    problems.forEach(p -> actions.add("skipped: " + p));
    return actions;
  }

  private boolean applies(Cluster c, List<Pod> pods) {
    return config.bool("enable_database_access") && c.effectiveInstances() > 0 && !c.isStandby()
        && !pods.isEmpty() && pods.stream().allMatch(p -> p.getStatus() != null
            && p.getStatus().getPodIP() != null && !p.getStatus().getPodIP().isEmpty());
  }

  private String label(Pod p) {
    return p.getMetadata().getLabels() == null ? null : p.getMetadata().getLabels().get(config.podRoleLabel());
  }
}
