package dev.cornac.operator.switchover;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * A switchover asked for declaratively, with the annotation {@code cornac.dev/switchover} on the
 * {@code postgresql} resource: {@code now} (the best replica, at once), {@code <pod>} (that
 * member), {@code <pod> at <time>} or {@code at <time>} (Patroni schedules it; the time is ISO-8601
 * with an offset, e.g. 2026-12-01T02:00:00Z). The value is the request's identity: the operator
 * acts once per value, and a new value asks again; a trailing {@code #tag} (ignored otherwise)
 * makes a repeated request new, e.g. {@code now #2}.
 */
public record SwitchoverRequest(
    String raw, Optional<String> candidate, Optional<OffsetDateTime> at) {
  public static final String ANNOTATION = "cornac.dev/switchover";
  public static final String FORMAT =
      "use \"now\", \"<pod>\", \"<pod> at <time>\" or \"at <time>\", the time in "
          + "ISO-8601 with an offset such as 2026-12-01T02:00:00Z, optionally followed by \" #tag\"";

  public static SwitchoverRequest parse(String raw) {
    String value = raw.strip();
    int tag = value.indexOf('#');
    if (tag >= 0) {
      value = value.substring(0, tag).strip();
    }
    String target = value;
    Optional<OffsetDateTime> at = Optional.empty();
    int split = value.startsWith("at ") ? 0 : value.indexOf(" at ");
    if (split >= 0) {
      String time = value.substring(split == 0 ? 3 : split + 4).strip();
      target = split == 0 ? "" : value.substring(0, split).strip();
      try {
        at = Optional.of(OffsetDateTime.parse(time));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "annotation " + ANNOTATION + ": \"" + time + "\" is not a time; " + FORMAT);
      }
    }
    if (target.contains(" ")) {
      throw new IllegalArgumentException(
          "annotation " + ANNOTATION + ": cannot read \"" + value + "\"; " + FORMAT);
    }
    Optional<String> candidate =
        target.isEmpty() || target.equals("now") || target.equals("true")
            ? Optional.empty()
            : Optional.of(target);
    return new SwitchoverRequest(raw.strip(), candidate, at);
  }
}
