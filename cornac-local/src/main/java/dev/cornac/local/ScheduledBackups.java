package dev.cornac.local;

import dev.cornac.dataplane.patroni.ClusterMember;
import dev.cornac.dataplane.patroni.PatroniRole;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Base backups on {@code BACKUP_SCHEDULE} (cron, UTC, as Spilo reads it), run by the supervisor on
 * whichever member is the primary at that minute; one at a time, in the background, logged.
 */
final class ScheduledBackups {
  private final LocalLayout layout;
  private final RuntimeUser user;
  private final Consumer<String> log;
  private ZonedDateTime lastMinute;
  private Thread running;

  ScheduledBackups(LocalLayout layout, RuntimeUser user, Consumer<String> log) {
    this.layout = layout;
    this.user = user;
    this.log = log;
  }

  /** The schedule file {@code up}/{@code apply} write when backups are on (absent when off). */
  static Path scheduleFile(LocalLayout layout) {
    return layout.dir().resolve("pgbackrest").resolve("schedule");
  }

  void tick(LocalState state) {
    Path file = scheduleFile(layout);
    if (!Files.exists(file)) {
      return;
    }
    ZonedDateTime minute = ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES);
    if (minute.equals(lastMinute)) {
      return;
    }
    CronSchedule schedule;
    try {
      schedule = CronSchedule.parse(Files.readString(file, StandardCharsets.UTF_8).strip());
    } catch (IOException | LocalRuntimeException e) {
      return;
    }
    if (!schedule.matches(minute)) {
      return;
    }
    lastMinute = minute;
    if (running != null && running.isAlive()) {
      log.accept("scheduled backup at " + minute + " skipped: the previous one is still running");
      return;
    }
    Optional<String> leader =
        LocalPatroni.clusterView(state)
            .flatMap(
                v ->
                    v.stream()
                        .filter(m -> m.role() == PatroniRole.LEADER)
                        .map(ClusterMember::name)
                        .findFirst());
    if (leader.isEmpty()) {
      log.accept("scheduled backup at " + minute + " skipped: no primary");
      return;
    }
    running =
        new Thread(
            () -> {
              log.accept(
                  "scheduled backup of " + state.name() + " on " + leader.get() + " started");
              try {
                new PgBackRest(layout, user)
                    .run(
                        leader.get(),
                        Duration.ofHours(6),
                        "--stanza=" + state.name(),
                        "--type=full",
                        "backup");
                log.accept("scheduled backup of " + state.name() + " done");
              } catch (LocalRuntimeException e) {
                log.accept("scheduled backup of " + state.name() + " failed: " + e.getMessage());
              }
            },
            "scheduled-backup");
    running.setDaemon(true);
    running.start();
  }
}
