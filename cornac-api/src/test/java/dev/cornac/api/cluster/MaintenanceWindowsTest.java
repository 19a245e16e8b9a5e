package dev.cornac.api.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cornac.api.config.OperatorConfig;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaintenanceWindowsTest {
  @Test
  void windowsIncludeTheirEndsAtMinutePrecisionInUtc() {
    MaintenanceWindow sat = MaintenanceWindow.parse("Sat:01:00-02:00");
    assertThat(sat.contains(ZonedDateTime.parse("2026-12-05T01:00:00Z"))).isTrue();
    assertThat(sat.contains(ZonedDateTime.parse("2026-12-05T02:00:59Z")))
        .as("the end minute counts")
        .isTrue();
    assertThat(sat.contains(ZonedDateTime.parse("2026-12-05T02:01:00Z"))).isFalse();
    assertThat(sat.contains(ZonedDateTime.parse("2026-12-06T01:30:00Z"))).as("Sunday").isFalse();
    assertThat(sat.contains(ZonedDateTime.parse("2026-12-05T02:30:00+01:00")))
        .as("01:30 UTC")
        .isTrue();
    assertThat(
            MaintenanceWindow.parse("01:00-06:00")
                .contains(ZonedDateTime.parse("2026-12-02T05:59:00Z")))
        .isTrue();
  }

  @Test
  void theManifestWinsAndNoWindowOrDisabledMeansAlways() {
    Instant monday = Instant.parse("2026-11-30T12:00:00Z");
    OperatorConfig config =
        OperatorConfig.defaults().with("maintenance_windows", List.of("Mon:11:00-13:00"));
    assertThat(MaintenanceWindows.inWindow(List.of(), config, monday))
        .as("the configuration's")
        .isTrue();
    assertThat(MaintenanceWindows.inWindow(List.of("Sat:01:00-02:00"), config, monday)).isFalse();
    assertThat(MaintenanceWindows.inWindow(List.of(), OperatorConfig.defaults(), monday)).isTrue();
    assertThat(
            MaintenanceWindows.inWindow(
                List.of("Sat:01:00-02:00"),
                OperatorConfig.defaults().with("enable_maintenance_windows", false),
                monday))
        .isTrue();
  }

  @Test
  void theNextOpeningIsTheEarliestStartAfterNow() {
    Instant monday = Instant.parse("2026-11-30T12:00:00Z");
    OperatorConfig config = OperatorConfig.defaults();
    assertThat(MaintenanceWindows.nextOpening(List.of("Sat:01:00-02:00"), config, monday))
        .contains(Instant.parse("2026-12-05T01:00:00Z"));
    assertThat(
            MaintenanceWindows.nextOpening(
                List.of("Sat:01:00-02:00", "13:30-14:00"), config, monday))
        .as("a daily window later today")
        .contains(Instant.parse("2026-11-30T13:30:00Z"));
    assertThat(MaintenanceWindows.nextOpening(List.of("11:00-11:30"), config, monday))
        .as("passed today: tomorrow")
        .contains(Instant.parse("2026-12-01T11:00:00Z"));
    assertThat(MaintenanceWindows.nextOpening(List.of("Mon:11:00-11:30"), config, monday))
        .as("passed this week: next week")
        .contains(Instant.parse("2026-12-07T11:00:00Z"));
    assertThat(MaintenanceWindows.nextOpening(List.of(), config, monday))
        .as("no windows: nothing waits")
        .isEmpty();
    assertThat(
            MaintenanceWindows.nextOpening(
                List.of("Sat:01:00-02:00"),
                config.with("enable_maintenance_windows", false),
                monday))
        .isEmpty();
  }
}
