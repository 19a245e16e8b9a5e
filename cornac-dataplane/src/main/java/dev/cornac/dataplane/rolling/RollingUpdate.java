package dev.cornac.dataplane.rolling;

import dev.cornac.dataplane.patroni.ClusterMember;
import dev.cornac.dataplane.patroni.PatroniClient;
import dev.cornac.dataplane.patroni.PatroniException;
import dev.cornac.dataplane.patroni.PatroniRole;
import dev.cornac.dataplane.patroni.SwitchoverCandidates;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recreates the members marked for it (reference c.4): replicas first, one at a time, each awaited until it streams
 * again with a lag within {@code maximum_lag_on_failover}; then one switchover to the best candidate; then the old
 * leader. The marks are the progress: a run that stops half-way resumes with the members still marked.
 */
public final class RollingUpdate {
  private static final Logger LOG = LoggerFactory.getLogger(RollingUpdate.class);

  public record Step(String action, String member) {}

  private final MemberControl control;
  private final long maxLagBytes;
  private final boolean synchronousMode;
  private final Duration timeout;

  public RollingUpdate(MemberControl control, long maxLagBytes, boolean synchronousMode, Duration timeout) {
    this.control = control;
    this.maxLagBytes = maxLagBytes;
    this.synchronousMode = synchronousMode;
    this.timeout = timeout;
  }

  public List<Step> run() throws Exception {
    List<Step> steps = new ArrayList<>();
    String leader = leader();
    for (String member : control.members()) {
      if (!member.equals(leader) && control.isMarkedForRecreation(member)) {
        LOG.info("rolling update: recreating replica {}", member);
        control.recreate(member);
        steps.add(new Step("recreate", member));
        awaitStreaming(member);
      }
    }
    if (control.isMarkedForRecreation(leader)) {
      Optional<ClusterMember> candidate = switchover(leader);
      if (candidate.isPresent()) {
        steps.add(new Step("switchover", candidate.get().name()));
        awaitLeader(candidate.get().name());
      } else {
        LOG.warn("rolling update: no replica to switch over to; recreating the leader {} means downtime", leader);
      }
      control.recreate(leader);
      steps.add(new Step("recreate", leader));
      if (candidate.isPresent()) {
        awaitStreaming(leader);
      }
    }
    return steps;
  }

  /**
   * Switches over to the best candidate. A member that has just come back may not yet count as a good candidate for
   * Patroni (412), so the choice and the request are retried until the timeout.
   */
  private Optional<ClusterMember> switchover(String leader) throws InterruptedException {
    PatroniClient leaderClient = control.client(leader);
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      Optional<ClusterMember> candidate = SwitchoverCandidates.best(leaderClient.cluster(), synchronousMode);
      if (candidate.isEmpty()) {
        return candidate;
      }
      try {
        LOG.info("rolling update: switching over from {} to {}", leader, candidate.get().name());
        leaderClient.switchover(leader, candidate.get().name(), Optional.empty());
        return candidate;
      } catch (PatroniException e) {
        if ((e.status() != 412 && e.status() != 503) || Instant.now().isAfter(deadline)) {
          throw e;
        }
        LOG.info("rolling update: Patroni is not ready to switch over yet ({}); retrying", e.getMessage());
        Thread.sleep(1000);
      }
    }
  }

  private String leader() {
    for (String member : control.members()) {
      try {
        return control.client(member).cluster().stream().filter(m -> m.role() == PatroniRole.LEADER)
            .map(ClusterMember::name).findFirst().orElseThrow(() -> new IllegalStateException("no leader"));
      } catch (PatroniException e) {
        LOG.debug("member {} not answering: {}", member, e.getMessage());
      }
    }
    throw new IllegalStateException("no member answers; cannot find the leader");
  }

  private void awaitStreaming(String member) throws InterruptedException {
    await("member " + member + " streaming with lag ≤ " + maxLagBytes + " bytes", () -> {
      for (String any : control.members()) {
        try {
          return control.client(any).cluster().stream().anyMatch(m -> m.name().equals(member)
              && !m.role().isLeader() && m.isStreamingOrRunning() && m.lag().isPresent()
              && m.lag().getAsLong() <= maxLagBytes);
        } catch (PatroniException e) {
          // try the next member
        }
      }
      return false;
    });
  }

  private void awaitLeader(String member) throws InterruptedException {
    await("member " + member + " to lead", () -> {
      try {
        return control.client(member).patroni().role() == PatroniRole.LEADER;
      } catch (PatroniException e) {
        return false;
      }
    });
  }

  private void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("rolling update: timed out after " + timeout.toSeconds() + " s waiting for "
        + what + "; the marks are kept and the next sync resumes");
  }
}
