package dev.cornac.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class CronScheduleTest {
  static ZonedDateTime at(String iso) {
    return ZonedDateTime.parse(iso).withZoneSameInstant(ZoneOffset.UTC);
  }

  @Test
  void spilosDefaultRunsAtOneInTheMorningOnly() {
    CronSchedule daily = CronSchedule.parse("00 01 * * *");
    assertThat(daily.matches(at("2026-11-28T01:00:00Z"))).isTrue();
    assertThat(daily.matches(at("2026-11-28T01:01:00Z"))).isFalse();
    assertThat(daily.matches(at("2026-11-28T13:00:00Z"))).isFalse();
  }

  @Test
  void listsRangesStepsAndSundayAsZeroOrSeven() {
    CronSchedule s = CronSchedule.parse("*/15 2-4 * * 0");
    assertThat(s.matches(at("2026-11-29T03:45:00Z"))).as("a Sunday").isTrue();
    assertThat(s.matches(at("2026-11-28T03:45:00Z"))).as("a Saturday").isFalse();
    assertThat(s.matches(at("2026-11-29T03:50:00Z"))).isFalse();
    assertThat(CronSchedule.parse("0 0 * * 7").matches(at("2026-11-29T00:00:00Z"))).isTrue();
    assertThat(CronSchedule.parse("30 1,13 1 * *").matches(at("2026-12-01T13:30:00Z"))).isTrue();
  }

  @Test
  void aRestrictedDayOfMonthAndDayOfWeekRunOnEitherAsCronDoes() {
    // Given "on the 13th, and on Fridays" (cron ORs the two day fields when both are restricted)
    CronSchedule s = CronSchedule.parse("0 0 13 * 5");

    assertThat(s.matches(at("2026-11-13T00:00:00Z"))).as("Friday the 13th").isTrue();
    assertThat(s.matches(at("2026-11-27T00:00:00Z"))).as("a Friday, not the 13th").isTrue();
    assertThat(s.matches(at("2026-12-13T00:00:00Z"))).as("the 13th, a Sunday").isTrue();
    assertThat(s.matches(at("2026-11-28T00:00:00Z"))).as("neither").isFalse();
    assertThat(CronSchedule.parse("0 0 * * 5").matches(at("2026-11-13T00:00:00Z")))
        .as("a star day-of-month leaves the weekday alone")
        .isTrue();
    assertThat(CronSchedule.parse("0 0 * * 5").matches(at("2026-11-14T00:00:00Z"))).isFalse();
  }

  @Test
  void monthAndWeekdayNamesInAnyCase() {
    CronSchedule s = CronSchedule.parse("0 1 * JAN,jul Mon-FRI");

    assertThat(s.matches(at("2027-01-04T01:00:00Z"))).as("a Monday in January").isTrue();
    assertThat(s.matches(at("2027-07-09T01:00:00Z"))).as("a Friday in July").isTrue();
    assertThat(s.matches(at("2027-01-02T01:00:00Z"))).as("a Saturday").isFalse();
    assertThat(s.matches(at("2026-12-07T01:00:00Z"))).as("December").isFalse();
    assertThat(CronSchedule.parse("0 0 * * sun").matches(at("2026-11-29T00:00:00Z"))).isTrue();
  }

  @Test
  void nicknamesAsCronTakesThem() {
    assertThat(CronSchedule.parse("@daily").matches(at("2026-11-28T00:00:00Z"))).isTrue();
    assertThat(CronSchedule.parse("@daily").matches(at("2026-11-28T01:00:00Z"))).isFalse();
    assertThat(CronSchedule.parse("@midnight").matches(at("2026-11-28T00:00:00Z"))).isTrue();
    assertThat(CronSchedule.parse("@hourly").matches(at("2026-11-28T07:00:00Z"))).isTrue();
    assertThat(CronSchedule.parse("@hourly").matches(at("2026-11-28T07:30:00Z"))).isFalse();
    assertThat(CronSchedule.parse("@weekly").matches(at("2026-11-29T00:00:00Z")))
        .as("Sunday midnight")
        .isTrue();
    assertThat(CronSchedule.parse("@weekly").matches(at("2026-11-28T00:00:00Z"))).isFalse();
    assertThat(CronSchedule.parse("@monthly").matches(at("2026-12-01T00:00:00Z"))).isTrue();
    assertThat(CronSchedule.parse("@yearly").matches(at("2027-01-01T00:00:00Z"))).isTrue();
    assertThat(CronSchedule.parse("@annually").matches(at("2026-12-01T00:00:00Z"))).isFalse();
  }

  @Test
  void aBadScheduleNamesTheSettingWhatIsWrongAndTheFix() {
    assertThatThrownBy(() -> CronSchedule.parse("daily"))
        .isInstanceOf(LocalRuntimeException.class)
        .hasMessageStartingWith("BACKUP_SCHEDULE \"daily\" is not a cron schedule")
        .hasMessageContaining(
            "five fields",
            "minute hour day-of-month month day-of-week",
            "\"00 01 * * *\"",
            "@daily");
    assertThatThrownBy(() -> CronSchedule.parse("61 * * * *"))
        .hasMessageContaining("BACKUP_SCHEDULE \"61 * * * *\"", "61 not in range [0, 59]");
    assertThatThrownBy(() -> CronSchedule.parse("0 0 * * FOO")).hasMessageContaining("FOO");
    assertThatThrownBy(() -> CronSchedule.parse("@reboot"))
        .as("no meaning for a backup schedule")
        .hasMessageContaining("BACKUP_SCHEDULE \"@reboot\"");
    assertThatThrownBy(() -> CronSchedule.parse("0 0 L * *"))
        .as("Quartz, not cron")
        .hasMessageContaining("BACKUP_SCHEDULE \"0 0 L * *\" is not a cron schedule");
    assertThatThrownBy(() -> CronSchedule.parse("")).hasMessageContaining("BACKUP_SCHEDULE \"\"");
  }
}
