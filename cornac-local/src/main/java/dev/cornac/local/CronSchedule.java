package dev.cornac.local;

import java.time.ZonedDateTime;
import java.util.BitSet;

/**
 * A five-field cron expression (minute hour day-of-month month day-of-week; numbers, ranges, lists, steps and
 * {@code *}), as Spilo's {@code BACKUP_SCHEDULE} takes: whether a minute matches.
 */
public record CronSchedule(BitSet minutes, BitSet hours, BitSet days, BitSet months, BitSet weekdays) {

  public static CronSchedule parse(String expression) {
    String[] f = expression.trim().split("\\s+");
    if (f.length != 5) {
      throw new LocalRuntimeException("BACKUP_SCHEDULE \"" + expression + "\" is not a five-field cron expression "
          + "(minute hour day month weekday), e.g. \"00 01 * * *\"");
    }
    return new CronSchedule(field(expression, f[0], 0, 59), field(expression, f[1], 0, 23), field(expression, f[2], 1, 31),
        field(expression, f[3], 1, 12), field(expression, f[4], 0, 7));
  }

  private static BitSet field(String expression, String text, int min, int max) {
    BitSet bits = new BitSet();
    try {
      for (String part : text.split(",")) {
        int step = 1;
        String range = part;
        if (part.contains("/")) {
          step = Integer.parseInt(part.substring(part.indexOf('/') + 1));
          range = part.substring(0, part.indexOf('/'));
        }
        int from;
        int to;
        if (range.equals("*")) {
          from = min;
          to = max;
        } else if (range.contains("-")) {
          from = Integer.parseInt(range.substring(0, range.indexOf('-')));
          to = Integer.parseInt(range.substring(range.indexOf('-') + 1));
        } else {
          from = Integer.parseInt(range);
          to = part.contains("/") ? max : from;
        }
        if (from < min || to > max || from > to || step < 1) {
          throw new NumberFormatException();
        }
        for (int v = from; v <= to; v += step) {
          bits.set(v);
        }
      }
    } catch (NumberFormatException e) {
      throw new LocalRuntimeException("BACKUP_SCHEDULE \"" + expression + "\": \"" + text + "\" is not a cron field "
          + "between " + min + " and " + max);
    }
    return bits;
  }

  public boolean matches(ZonedDateTime t) {
    int weekday = t.getDayOfWeek().getValue() % 7;
    return minutes.get(t.getMinute()) && hours.get(t.getHour()) && days.get(t.getDayOfMonth())
        && months.get(t.getMonthValue()) && (weekdays.get(weekday) || (weekday == 0 && weekdays.get(7)));
  }
}
