package dev.cornac.api.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Upstream's string encodings of the ConfigMap form (upstream: pkg/util/config/util.go,
 * processField and getMapPairsFromString), parsed exactly: Go's ParseBool, ParseInt with base 0,
 * ParseDuration, comma lists without trimming and {@code a:b,c:d} maps that split on quotes-aware
 * commas.
 */
public final class ConfigMapValues {
  private static final Pattern DURATION_PART =
      Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");

  private ConfigMapValues() {}

  public static boolean parseBool(String key, String value) {
    return switch (value) {
      case "1", "t", "T", "TRUE", "true", "True" -> true;
      case "0", "f", "F", "FALSE", "false", "False" -> false;
      default ->
          throw new ConfigException(
              "configuration key "
                  + key
                  + ": \""
                  + value
                  + "\" is not a boolean (use true or false)");
    };
  }

  public static long parseInt(String key, String value) {
    String s = value;
    boolean negative = false;
    if (s.startsWith("-") || s.startsWith("+")) {
      negative = s.startsWith("-");
      s = s.substring(1);
    }
    s = s.replace("_", "");
    try {
      long v;
      if (s.startsWith("0x") || s.startsWith("0X")) {
        v = Long.parseLong(s.substring(2), 16);
      } else if (s.startsWith("0b") || s.startsWith("0B")) {
        v = Long.parseLong(s.substring(2), 2);
      } else if (s.startsWith("0o") || s.startsWith("0O")) {
        v = Long.parseLong(s.substring(2), 8);
      } else if (s.length() > 1 && s.startsWith("0")) {
        v = Long.parseLong(s.substring(1), 8);
      } else {
        v = Long.parseLong(s);
      }
      return negative ? -v : v;
    } catch (NumberFormatException e) {
      throw new ConfigException(
          "configuration key " + key + ": \"" + value + "\" is not an integer");
    }
  }

  public static Duration parseDuration(String key, String value) {
    String s = value;
    boolean negative = false;
    if (s.startsWith("-") || s.startsWith("+")) {
      negative = s.startsWith("-");
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = DURATION_PART.matcher(s);
    int at = 0;
    double nanos = 0;
    while (at < s.length()) {
      if (!m.find(at) || m.start() != at) {
        throw new ConfigException(
            "configuration key "
                + key
                + ": \""
                + value
                + "\" is not a duration (examples: 3s, 10m, 1h30m)");
      }
      nanos += Double.parseDouble(m.group(1)) * unitNanos(m.group(2));
      at = m.end();
    }
    if (s.isEmpty()) {
      throw new ConfigException("configuration key " + key + ": empty duration");
    }
    Duration d = Duration.ofNanos(Math.round(nanos));
    return negative ? d.negated() : d;
  }

  /**
   * Go's {@code time.Duration.String()}: {@code 30m0s}, {@code 1h0m0s}, {@code 5s}, {@code 100ms},
   * {@code 0s}.
   */
  public static String formatDuration(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    String sign = d.isNegative() ? "-" : "";
    Duration a = d.abs();
    if (a.compareTo(Duration.ofSeconds(1)) < 0) {
      long nanos = a.toNanos();
      if (nanos % 1_000_000 == 0) {
        return sign + nanos / 1_000_000 + "ms";
      }
      return nanos % 1000 == 0 ? sign + nanos / 1000 + "µs" : sign + nanos + "ns";
    }
    long hours = a.toHours();
    int minutes = a.toMinutesPart();
    String seconds =
        a.toSecondsPart()
            + (a.toNanosPart() == 0
                ? ""
                : ("." + String.format("%09d", a.toNanosPart())).replaceAll("0+$", ""));
    if (hours > 0) {
      return sign + hours + "h" + minutes + "m" + seconds + "s";
    }
    return sign + (minutes > 0 ? minutes + "m" : "") + seconds + "s";
  }

  private static double unitNanos(String unit) {
    return switch (unit) {
      case "ns" -> 1;
      case "us", "µs", "μs" -> 1e3;
      case "ms" -> 1e6;
      case "s" -> 1e9;
      case "m" -> 60e9;
      default -> 3600e9;
    };
  }

  /**
   * Splits on every comma, without trimming: {@code "a, b"} gives {@code "a"} and {@code " b"} as
   * upstream does.
   */
  public static List<String> parseList(String value) {
    if (value.isEmpty()) {
      return List.of();
    }
    return List.copyOf(Arrays.asList(value.split(",", -1)));
  }

  public static Map<String, String> parseMap(String key, String value) {
    Map<String, String> map = new LinkedHashMap<>();
    if (value.isEmpty()) {
      return map;
    }
    for (String pair : splitOutsideQuotes(key, value)) {
      String trimmed = pair.strip();
      String[] kv = trimmed.split(":", -1);
      if (kv.length != 2) {
        throw new ConfigException(
            "configuration key "
                + key
                + ": \""
                + trimmed
                + "\" must be exactly one key:value pair (':' cannot appear in keys or values)");
      }
      map.put(kv[0], kv[1]);
    }
    return map;
  }

  private static List<String> splitOutsideQuotes(String key, String value) {
    List<String> parts = new ArrayList<>();
    char quote = 0;
    int quoteAt = -1;
    int start = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
        quoteAt = i;
      } else if (c == ',') {
        parts.add(value.substring(start, i));
        start = i + 1;
      }
    }
    if (quote != 0) {
      throw new ConfigException(
          "configuration key " + key + ": unmatched quote starting at position " + (quoteAt + 1));
    }
    parts.add(value.substring(start));
    return parts;
  }
}
