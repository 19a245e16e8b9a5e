package dev.cornac.operator.upgrade;

import dev.cornac.dataplane.patroni.ClusterMember;
import dev.cornac.dataplane.patroni.MemberStatus;
import dev.cornac.dataplane.patroni.PatroniRole;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a major version upgrade runs now, from what the members report (upstream:
 * pkg/cluster/majorversionupgrade.go, majorVersionUpgrade; checks in upstream's order). Pure: the
 * caller gathers the facts and carries out the decision.
 */
public final class MajorUpgradeChecks {
  /** Upstream refuses to upgrade while any member lags more than this. */
  static final long MAX_LAG_BYTES = 16L * 1024 * 1024;

  public enum Action {
    /** Nothing to do; {@code reason} is empty when there is nothing worth telling the user. */
    SKIP,
    /** The version is where the manifest wants it: a recorded failure no longer applies. */
    CLEAR_FAILURE,
    RUN
  }

  /**
   * {@code waiting}: the upgrade is due but a passing state holds it (members starting, lag): look
   * again soon.
   */
  public record Decision(
      Action action,
      Optional<String> reason,
      String primaryPod,
      int currentMajor,
      boolean waiting) {
    static Decision skip(String reason) {
      return new Decision(Action.SKIP, Optional.ofNullable(reason), null, 0, false);
    }

    static Decision waitFor(String reason) {
      return new Decision(Action.SKIP, Optional.ofNullable(reason), null, 0, true);
    }
  }

  /**
   * @param members every pod's {@code GET /patroni}, empty for a pod whose Patroni did not answer
   * @param clusterView the primary's {@code GET /cluster}, empty when there is no primary
   * @param failureRecorded the {@code last-major-upgrade-failure} annotation, if the resource
   *     carries one
   */
  public record Facts(
      String mode,
      List<String> teamAllowList,
      String team,
      String desiredVersion,
      String manifestVersion,
      Map<String, Optional<MemberStatus>> members,
      List<ClusterMember> clusterView,
      Optional<String> failureRecorded,
      boolean inMaintenanceWindow) {}

  private MajorUpgradeChecks() {}

  public static Decision decide(Facts f) {
    if (!enabled(f.mode(), f.teamAllowList(), f.team())) {
      return Decision.skip(null);
    }
    int desired = major(f.desiredVersion());
    if (desired <= 0) {
      return Decision.skip(null);
    }
    boolean allRunning = true;
    String primary = null;
    int current = 0;
    int standbyVersion = 0;
    for (var e : f.members().entrySet()) {
      Optional<MemberStatus> s = e.getValue();
      if (s.isEmpty() || !"running".equals(s.get().state())) {
        allRunning = false;
        continue;
      }
      if (s.get().role() == PatroniRole.STANDBY_LEADER) {
        standbyVersion = s.get().serverVersion();
      } else if (s.get().role() == PatroniRole.LEADER) {
        primary = e.getKey();
        current = s.get().serverVersion();
      }
    }
    if (standbyVersion > 0) {
      return Decision.skip(
          "this is a standby cluster: its major version follows its source's; upgrade the source "
              + "and recreate the standby");
    }
    if (primary == null) {
      return Decision.waitFor(null);
    }
    int currentMajor = current / 10000;
    if (current >= desired * 10000) {
      boolean reverted =
          major(f.manifestVersion()) > 0 && current >= major(f.manifestVersion()) * 10000;
      return f.failureRecorded().isPresent() && reverted
          ? new Decision(Action.CLEAR_FAILURE, Optional.empty(), primary, currentMajor, false)
          : Decision.skip(null);
    }
    if (f.failureRecorded().isPresent()) {
      return Decision.skip(
          "the upgrade to PostgreSQL "
              + desired
              + " failed at "
              + f.failureRecorded().get()
              + " and is not retried: see the cluster's events, fix the cause, then remove the annotation "
              + MajorVersionUpgrade.FAILURE_ANNOTATION
              + " (or set spec.postgresql.version back to "
              + currentMajor
              + ")");
    }
    if (!f.inMaintenanceWindow()) {
      return Decision.skip(
          "the upgrade to PostgreSQL " + desired + " waits for a maintenance window");
    }
    for (ClusterMember m : f.clusterView()) {
      if (m.role() != PatroniRole.LEADER && m.lagOrMax() > MAX_LAG_BYTES) {
        return Decision.waitFor(
            "the upgrade to PostgreSQL "
                + desired
                + " waits: "
                + m.name()
                + " lags "
                + (m.lag().isPresent()
                    ? m.lag().getAsLong() / (1024 * 1024) + " MiB"
                    : "an unknown amount")
                + " behind the primary (at most 16 MiB)");
      }
    }
    String patroniVersion = f.members().get(primary).map(MemberStatus::patroniVersion).orElse("");
    if (atLeast(patroniVersion, 3, 0, 4)) {
      for (ClusterMember m : f.clusterView()) {
        if (m.role() != PatroniRole.LEADER && !"streaming".equals(m.state())) {
          return Decision.waitFor(
              "the upgrade to PostgreSQL "
                  + desired
                  + " waits until "
                  + m.name()
                  + " streams from "
                  + "the primary (it is "
                  + m.state()
                  + ")");
        }
      }
    }
    if (!allRunning) {
      return Decision.waitFor(
          "the upgrade to PostgreSQL " + desired + " waits until every member runs");
    }
    return new Decision(Action.RUN, Optional.empty(), primary, currentMajor, false);
  }

  /** Mode {@code off} turns upgrades off, except for the teams of the allow list. */
  public static boolean enabled(String mode, List<String> teamAllowList, String team) {
    return !"off".equalsIgnoreCase(mode == null ? "manual" : mode.strip())
        || teamAllowList.stream().anyMatch(t -> t.equalsIgnoreCase(team));
  }

  /** Patroni's version string (3.0.2) compared with a version; unparsable counts as older. */
  static boolean atLeast(String version, int... wanted) {
    String[] parts = version == null ? new String[0] : version.split("\\.");
    for (int i = 0; i < wanted.length; i++) {
      int have;
      try {
        have = i < parts.length ? Integer.parseInt(parts[i].replaceAll("\\D.*", "")) : 0;
      } catch (NumberFormatException e) {
        return false;
      }
      if (have != wanted[i]) {
        return have > wanted[i];
      }
    }
    return true;
  }

  /** {@code "16"} → 16; anything else (absent, {@code "9.6"}) → 0, which never upgrades. */
  public static int major(String version) {
    try {
      return version == null ? 0 : Integer.parseInt(version.strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
