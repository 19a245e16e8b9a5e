package dev.cornac.operator.status;

import dev.cornac.api.model.ManifestMapper;
import dev.cornac.api.model.Postgresql;
import dev.cornac.api.model.PostgresqlStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The next status of a cluster from the outcome of a reconciliation, with upstream's values and
 * transitions: Creating until the pods are up the first time, Running, Updating while a spec change
 * is being applied, the *Failed value matching the phase that failed, Invalid for a manifest that
 * cannot be used. Conditions carry the human message; their transition times only move when their
 * status does, so an unchanged cluster gets an equal status and no write.
 */
public final class StatusCalculator {
  /**
   * ROLLING: applied to the objects, the pods are being recreated (or wait their turn) to match.
   */
  public enum Outcome {
    APPLIED,
    ROLLING,
    INVALID,
    FAILED
  }

  public static final String READY = "Ready";
  public static final String RECONCILED = "Reconciled";

  private final Clock clock;

  public StatusCalculator(Clock clock) {
    this.clock = clock;
  }

  public PostgresqlStatus next(Postgresql pg, Outcome outcome, boolean podsReady, String message) {
    return next(pg, outcome, podsReady, message, List.of());
  }

  /**
   * @param reported conditions of other types this pass settled (a switchover's outcome); other
   *     conditions of the previous status are kept as they were
   */
  public PostgresqlStatus next(
      Postgresql pg, Outcome outcome, boolean podsReady, String message, List<Condition> reported) {
    PostgresqlStatus previous = pg.getStatus() == null ? new PostgresqlStatus() : pg.getStatus();
    String before = previous.postgresClusterStatus == null ? "" : previous.postgresClusterStatus;
    long generation =
        pg.getMetadata().getGeneration() == null ? 0 : pg.getMetadata().getGeneration();
    boolean specChanged =
        previous.observedGeneration == null || previous.observedGeneration != generation;
    boolean everRan =
        !before.isEmpty()
            && !before.equals(ClusterStatus.CREATING)
            && !before.equals(ClusterStatus.CREATE_FAILED)
            && !before.equals(ClusterStatus.INVALID);
    String value =
        switch (outcome) {
          case INVALID -> ClusterStatus.INVALID;
          case FAILED ->
              !everRan
                  ? ClusterStatus.CREATE_FAILED
                  : specChanged ? ClusterStatus.UPDATE_FAILED : ClusterStatus.SYNC_FAILED;
          case ROLLING -> everRan ? ClusterStatus.UPDATING : ClusterStatus.CREATING;
          case APPLIED -> {
            if (podsReady) {
              yield ClusterStatus.RUNNING;
            } else if (!everRan) {
              yield ClusterStatus.CREATING;
            } else if (specChanged
                || before.equals(ClusterStatus.UPDATING)
                || before.equals(ClusterStatus.UPDATE_FAILED)
                || before.equals(ClusterStatus.SYNC_FAILED)) {
              yield ClusterStatus.UPDATING;
            } else {
              yield before;
            }
          }
        };
    PostgresqlStatus next = new PostgresqlStatus(value);
    boolean applied = outcome == Outcome.APPLIED || outcome == Outcome.ROLLING;
    next.observedGeneration = applied ? Long.valueOf(generation) : previous.observedGeneration;
    List<Condition> conditions = new ArrayList<>();
    conditions.add(
        condition(
            previous,
            READY,
            podsReady && applied,
            podsReady ? "PodsReady" : "PodsNotReady",
            podsReady
                ? "every instance has a Patroni role"
                : "waiting for the pods to get a Patroni role"));
    conditions.add(
        condition(
            previous,
            RECONCILED,
            applied,
            switch (outcome) {
              case APPLIED -> "Applied";
              case ROLLING -> "RollingUpdate";
              case INVALID -> "InvalidManifest";
              case FAILED -> "Failed";
            },
            message));
    Set<String> types = new HashSet<>(List.of(READY, RECONCILED));
    for (Condition c : reported) {
      conditions.add(
          condition(
              previous, c.getType(), "True".equals(c.getStatus()), c.getReason(), c.getMessage()));
      types.add(c.getType());
    }
    if (previous.conditions != null) {
      previous.conditions.stream()
          .filter(c -> !types.contains(c.getType()))
          .forEach(conditions::add);
    }
    next.conditions = conditions;
    return next;
  }

  private Condition condition(
      PostgresqlStatus previous, String type, boolean ok, String reason, String message) {
    String status = ok ? "True" : "False";
    String since =
        previous.conditions == null
            ? null
            : previous.conditions.stream()
                .filter(c -> type.equals(c.getType()) && status.equals(c.getStatus()))
                .map(Condition::getLastTransitionTime)
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(null);
    String now =
        DateTimeFormatter.ISO_INSTANT.format(Instant.now(clock).truncatedTo(ChronoUnit.SECONDS));
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withLastTransitionTime(since != null ? since : now)
        .build();
  }

  /** Statuses compare by value, so an unchanged cluster gets no status write. */
  public static boolean sameStatus(PostgresqlStatus a, PostgresqlStatus b) {
    if (a == null || b == null) {
      return a == b;
    }
    return ManifestMapper.tree(a).equals(ManifestMapper.tree(b));
  }
}
