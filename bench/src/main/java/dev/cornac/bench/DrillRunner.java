package dev.cornac.bench;

import dev.cornac.dataplane.wait.Poll;
import dev.cornac.testkit.drill.AcknowledgedWriter;
import dev.cornac.testkit.drill.MemberProcesses;
import dev.cornac.testkit.drill.OldPrimaryProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.time.Duration;
import java.util.Optional;

/**
 * One drill on a whole cluster: a writer runs before, during and after it; the figures are taken
 * once the cluster is whole again (the old primary streaming as a replica) and the writer has gone
 * on writing for a while.
 */
final class DrillRunner {
  private static final Duration WHOLE = Duration.ofSeconds(120);
  private static final Duration FAILOVER = Duration.ofSeconds(60);
  private static final Duration PROBE = Duration.ofSeconds(30);
  private static final int STEADY_COMMITS = 50;

  private DrillRunner() {}

  static DrillResult run(DrillCluster c, String variant, Drill drill) throws Exception {
    String before = c.awaitWhole(WHOLE);
    int oldPort = c.member(before).pgPort();
    long rewindsBefore = rewinds(c, before);
    Happened happened;
    AcknowledgedWriter writer = AcknowledgedWriter.start(c.ports(), c.superuser(), c.password());
    try {
      awaitCommits(writer, STEADY_COMMITS);
      BenchReport.progress(variant + ": " + drill.label + " of " + before + " (" + drill.how + ")");
      happened = strike(c, variant, drill, before, oldPort);
      c.awaitWhole(WHOLE);
      awaitCommits(writer, writer.count() + STEADY_COMMITS);
    } finally {
      writer.close();
    }
    String after = c.awaitWhole(WHOLE);
    Integer oldPrimaryWrites = happened.probeWrites();
    if (oldPrimaryWrites != null) {
      oldPrimaryWrites += writer.acceptedByAfterOthers(oldPort).size();
    } else if (!after.equals(before)) {
      oldPrimaryWrites = writer.acceptedByAfterOthers(oldPort).size();
    }
    int lost;
    try (Connection primary = c.connect(after)) {
      lost = writer.lost(primary).size();
    }
    return new DrillResult(
        variant,
        drill,
        writer.longestGap(),
        happened.promotedAfter(),
        writer.count(),
        lost,
        oldPrimaryWrites,
        before,
        after,
        rewinds(c, before) > rewindsBefore);
  }

  /**
   * What the drill itself saw: the old primary's direct writes once it ran again (null: there was
   * no promotion to check against), and for a hang how long until another member led.
   */
  private record Happened(Integer probeWrites, Duration promotedAfter) {}

  private static Happened strike(
      DrillCluster c, String variant, Drill drill, String primary, int oldPort) throws Exception {
    switch (drill) {
      case SWITCHOVER -> {
        c.runtime.switchover(c.name, Optional.empty());
        return new Happened(0, null);
      }
      case CRASH -> {
        c.processes(primary).kill();
        return new Happened(null, null);
      }
      default -> {
        MemberProcesses frozen = c.processes(primary);
        long frozenAt = System.nanoTime();
        frozen.freeze();
        String promoted = c.awaitNewLeader(primary, FAILOVER);
        Duration promotedAfter = Duration.ofNanos(System.nanoTime() - frozenAt);
        BenchReport.progress(variant + ": " + promoted + " leads");
        if (drill == Drill.HANG) {
          frozen.resume();
        } else {
          frozen.kill();
        }
        return new Happened(
            OldPrimaryProbe.run(oldPort, c.superuser(), c.password(), PROBE).accepted(),
            promotedAfter);
      }
    }
  }

  private static void awaitCommits(AcknowledgedWriter writer, int count)
      throws InterruptedException {
    Poll.until(
        WHOLE,
        Duration.ofMillis(50),
        () -> writer.count() >= count ? Optional.of(true) : Optional.empty(),
        e -> false,
        () ->
            new IllegalStateException(
                "the writer had " + writer.count() + " acknowledged commits after " + WHOLE));
  }

  /** How often Patroni has rewound the member (its log says so on each rewind). */
  private static long rewinds(DrillCluster c, String member) throws IOException {
    try (var lines = Files.lines(c.layout.memberLog(member))) {
      return lines.filter(l -> l.contains("running pg_rewind from")).count();
    }
  }
}
