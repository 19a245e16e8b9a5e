package dev.cornac.operator.dataplane;

import dev.cornac.api.config.OperatorConfig;
import dev.cornac.dataplane.MemberEndpoints;
import dev.cornac.dataplane.patroni.PatroniClient;
import dev.cornac.dataplane.patroni.PatroniConfigSync;
import dev.cornac.dataplane.patroni.RestartRound;
import dev.cornac.dataplane.sql.ClusterSqlSync;
import dev.cornac.dataplane.sql.DatabaseSync;
import dev.cornac.dataplane.sql.RotationRetention;
import dev.cornac.generators.Cluster;
import dev.cornac.generators.naming.ClusterNames;
import dev.cornac.generators.secrets.DesiredRole;
import dev.cornac.generators.secrets.PasswordRotation;
import dev.cornac.generators.statefulset.SpiloConfiguration;
import dev.cornac.operator.infrastructure.InfrastructureRoles;
import dev.cornac.operator.switchover.PodMembers;
import io.fabric8.kubernetes.api.model.Pod;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What the operator does inside a running cluster once its pods are up (upstream:
 * pkg/cluster/sync.go, Sync: syncStatefulSet, then syncRoles, syncDatabases and
 * syncPreparedDatabases): Patroni's dynamic configuration from the manifest, then roles, databases
 * and prepared databases over SQL. Skipped, as upstream does, without database access, with no
 * instances, for standby clusters, and while a pod has no address.
 */
public final class DataPlaneSync {
  private final OperatorConfig config;
  private final MemberEndpoints endpoints;
  private final Clock clock;

  /** Each cluster's configuration change in flight (its restarts), between passes. */
  private final Map<String, RestartRound> rounds = new ConcurrentHashMap<>();

  public DataPlaneSync(OperatorConfig config, MemberEndpoints endpoints, Clock clock) {
    this.config = config;
    this.endpoints = endpoints;
    this.clock = clock;
  }

  /**
   * What one pass did, for events (empty when nothing changed or the sync does not apply); whether
   * restarts of a configuration change are still under way (the pass comes back soon, and pod
   * recreation waits); members left pending after repeated restarts.
   */
  public record Outcome(
      List<String> actions, boolean restartsInProgress, List<String> stillPending) {}

  /** The cluster is gone: its round of restarts with it. */
  public void forget(String namespace, String name) {
    rounds.remove(namespace + "/" + name);
  }

  public Outcome sync(
      Cluster c,
      List<Pod> pods,
      Function<String, Optional<String>> passwordOfSecret,
      Function<String, Optional<String>> usernameOfSecret,
      List<InfrastructureRoles.Role> infrastructure,
      List<DesiredRole> teamMembers)
      throws SQLException {
    List<String> actions = new ArrayList<>();
    if (!applies(c, pods)) {
      return new Outcome(actions, false, List.of());
    }
    List<PatroniClient> members =
        pods.stream().map(p -> endpoints.patroni(PodMembers.address(p)).once()).toList();
    String key = c.namespace() + "/" + c.name();
    PatroniConfigSync.Change change =
        PatroniConfigSync.apply(
            members.get(0),
            c.spec().patroni,
            SpiloConfiguration.dcsParameters(c),
            config.bool("enable_patroni_failsafe_mode"),
            clock.instant());
    if (!change.patch().isEmpty()) {
      actions.add("patched Patroni configuration " + change.patch());
    }
    RestartRound round =
        change.patch().path("postgresql").path("parameters").isEmpty()
            ? rounds.getOrDefault(key, RestartRound.none())
            : change.round();
    PatroniConfigSync.Step step = PatroniConfigSync.restartStep(members, round, clock.instant());
    step.restarted().forEach(m -> actions.add("restarted PostgreSQL at " + m));
    if (step.inProgress() || !step.givenUp().isEmpty()) {
      rounds.put(key, step.round());
    } else {
      rounds.remove(key);
    }
    Outcome outcome = new Outcome(actions, step.inProgress(), step.givenUp());
    if (step.inProgress()) {
      // Roles and databases wait for the members to be back: the next pass comes in seconds.
      return outcome;
    }
    Pod leader = pods.stream().filter(p -> "master".equals(label(p))).findFirst().orElse(null);
    Optional<String> superPassword =
        passwordOfSecret.apply(ClusterNames.credentialSecret(c, config.superUsername()));
    if (leader == null || superPassword.isEmpty()) {
      return outcome;
    }
    MemberEndpoints.Member address = PodMembers.address(leader);
    var connector =
        (DatabaseSync.Connector)
            db ->
                DriverManager.getConnection(
                    endpoints.jdbcUrl(address, db), config.superUsername(), superPassword.get());
    RotatedRoles rotated = RotatedRoles.of(c, secret -> usernameOfSecret.apply(secret));
    List<DesiredRole> extra = new ArrayList<>(rotated.roles());
    extra.addAll(teamMembers);
    Map<String, String> infrastructurePasswords = new HashMap<>();
    for (InfrastructureRoles.Role role : infrastructure) {
      extra.add(role.desired(c.namespace()));
      infrastructurePasswords.put(role.name(), role.password());
    }
    actions.addAll(
        ClusterSqlSync.sync(
            c,
            connector,
            role ->
                infrastructurePasswords.containsKey(role)
                    ? infrastructurePasswords.get(role)
                    : rotated.secretOf(role).flatMap(passwordOfSecret).orElse(null),
            extra));
    List<String> problems = new ArrayList<>();
    try (Connection conn = connector.connect("postgres")) {
      for (String role : rotated.newUserRotation()) {
        actions.addAll(
            RotationRetention.sync(
                    conn,
                    role,
                    LocalDate.now(clock.withZone(ZoneOffset.UTC)),
                    PasswordRotation.retentionDays(c),
                    problems)
                .executed());
      }
    }
    problems.forEach(p -> actions.add("skipped: " + p));
    return outcome;
  }

  private boolean applies(Cluster c, List<Pod> pods) {
    return config.bool("enable_database_access")
        && c.effectiveInstances() > 0
        && !c.isStandby()
        && !pods.isEmpty()
        && pods.stream()
            .allMatch(
                p ->
                    p.getStatus() != null
                        && p.getStatus().getPodIP() != null
                        && !p.getStatus().getPodIP().isEmpty());
  }

  private String label(Pod p) {
    return p.getMetadata().getLabels() == null
        ? null
        : p.getMetadata().getLabels().get(config.podRoleLabel());
  }
}
