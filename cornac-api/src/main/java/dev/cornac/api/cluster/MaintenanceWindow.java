package dev.cornac.api.cluster;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A maintenance window, {@code Ddd:HH:MM-HH:MM} or {@code HH:MM-HH:MM} (every day), parsed with
 * upstream's Go rules (upstream: pkg/apis/acid.zalan.do/v1/marshal.go,
 * MaintenanceWindow.UnmarshalJSON): hour of one or two digits, minutes of exactly two, no
 * surrounding spaces, end not before start.
 */
public record MaintenanceWindow(Optional<DayOfWeek> weekday, LocalTime start, LocalTime end) {
  private static final Pattern FORM =
      Pattern.compile(
          "^(?:(Mon|Tue|Wed|Thu|Fri|Sat|Sun):)?(\\d{1,2}):(\\d{2})-(\\d{1,2}):(\\d{2})$");

  /** Parses one window or explains, in a sentence, why it cannot be parsed. */
  public static MaintenanceWindow parse(String text) {
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "is not a maintenance window; use Ddd:HH:MM-HH:MM (e.g. Sat:01:00-04:00) "
              + "or HH:MM-HH:MM with two-digit minutes and no spaces");
    }
    LocalTime start = time(m.group(2), m.group(3));
    LocalTime end = time(m.group(4), m.group(5));
    if (end.isBefore(start)) {
      throw new IllegalArgumentException(
          "ends before it starts; a window cannot cross midnight, split it in two");
    }
    Optional<DayOfWeek> day = Optional.ofNullable(m.group(1)).map(MaintenanceWindow::day);
    return new MaintenanceWindow(day, start, end);
  }

  /**
   * Whether a UTC moment falls inside, start and end included, compared at minute precision as
   * upstream does.
   */
  public boolean contains(ZonedDateTime utc) {
    ZonedDateTime t = utc.withZoneSameInstant(ZoneOffset.UTC);
    if (weekday.isPresent() && weekday.get() != t.getDayOfWeek()) {
      return false;
    }
    LocalTime now = t.toLocalTime().withSecond(0).withNano(0);
    return !now.isBefore(start) && !now.isAfter(end);
  }

  /** The first start of this window strictly after a UTC moment. */
  public ZonedDateTime nextStart(ZonedDateTime utc) {
    ZonedDateTime t = utc.withZoneSameInstant(ZoneOffset.UTC);
    ZonedDateTime candidate = t.toLocalDate().atTime(start).atZone(ZoneOffset.UTC);
    for (int day = 0; day <= 7; day++) {
      ZonedDateTime at = candidate.plusDays(day);
      if (at.isAfter(t) && (weekday.isEmpty() || weekday.get() == at.getDayOfWeek())) {
        return at;
      }
    }
    throw new IllegalStateException("a weekly window always starts within 8 days");
  }

  private static LocalTime time(String hour, String minute) {
    int h = Integer.parseInt(hour);
    int min = Integer.parseInt(minute);
    if (h > 23 || min > 59) {
      throw new IllegalArgumentException("has a time out of range (hours 0-23, minutes 00-59)");
    }
    return LocalTime.of(h, min);
  }

  private static DayOfWeek day(String abbreviation) {
    return switch (abbreviation) {
      case "Mon" -> DayOfWeek.MONDAY;
      case "Tue" -> DayOfWeek.TUESDAY;
      case "Wed" -> DayOfWeek.WEDNESDAY;
      case "Thu" -> DayOfWeek.THURSDAY;
      case "Fri" -> DayOfWeek.FRIDAY;
      case "Sat" -> DayOfWeek.SATURDAY;
      default -> DayOfWeek.SUNDAY;
    };
  }
}
