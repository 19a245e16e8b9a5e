package dev.cornac.local;

import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/**
 * Spilo's {@code BACKUP_SCHEDULE}, which Spilo hands to cron: Unix cron's five fields (with names
 * such as {@code JAN} and {@code MON}, and a day-of-month and a day-of-week both restricted meaning
 * either) and its nicknames such as {@code @daily}; whether a minute matches.
 */
public final class CronSchedule {
  private static final CronParser PARSER = new CronParser(unixCronWithNicknames());

  private final ExecutionTime execution;

  private CronSchedule(ExecutionTime execution) {
    this.execution = execution;
  }

  public static CronSchedule parse(String expression) {
    try {
      return new CronSchedule(ExecutionTime.forCron(PARSER.parse(expression.strip())));
    } catch (IllegalArgumentException e) {
      throw new LocalRuntimeException(
          "BACKUP_SCHEDULE \""
              + expression
              + "\" is not a cron schedule ("
              + e.getMessage()
              + "); give five fields, minute hour day-of-month month day-of-week, in UTC, such as "
              + "\"00 01 * * *\" (Spilo's default), or @hourly, @daily, @weekly, @monthly or @yearly");
    }
  }

  public boolean matches(ZonedDateTime t) {
    return execution.isMatch(t.truncatedTo(ChronoUnit.MINUTES));
  }

  /**
   * cron-utils' Unix definition ({@code CronDefinitionBuilder.unixCrontab}) with the nicknames Unix
   * cron takes; {@code @reboot} is left out, as a backup schedule it has no meaning.
   */
  private static CronDefinition unixCronWithNicknames() {
    return CronDefinitionBuilder.defineCron()
        .withMinutes()
        .withValidRange(0, 59)
        .withStrictRange()
        .and()
        .withHours()
        .withValidRange(0, 23)
        .withStrictRange()
        .and()
        .withDayOfMonth()
        .withValidRange(1, 31)
        .withStrictRange()
        .and()
        .withMonth()
        .withValidRange(1, 12)
        .withStrictRange()
        .and()
        .withDayOfWeek()
        .withValidRange(0, 7)
        .withMondayDoWValue(1)
        .withIntMapping(7, 0)
        .withStrictRange()
        .and()
        .withSupportedNicknameHourly()
        .withSupportedNicknameDaily()
        .withSupportedNicknameMidnight()
        .withSupportedNicknameWeekly()
        .withSupportedNicknameMonthly()
        .withSupportedNicknameYearly()
        .withSupportedNicknameAnnually()
        .instance();
  }
}
