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
  void badExpressionsNameTheVariable() {
    assertThatThrownBy(() -> CronSchedule.parse("daily")).hasMessageContaining("BACKUP_SCHEDULE \"daily\"");
    assertThatThrownBy(() -> CronSchedule.parse("61 * * * *")).hasMessageContaining("between 0 and 59");
  }
}
