package dev.cornac.api.validation;

import dev.cornac.api.model.Patterns;
import java.util.Map;

/**
 * Human hints for the schema patterns, so an error says what would be accepted, not just a regular
 * expression.
 */
final class PatternHints {
  private static final Map<String, String> HINTS =
      Map.of(
          Patterns.CPU, "use millicores like 250m or cores like 1 or 0.5",
          Patterns.MEMORY, "use a quantity like 500Mi, 1Gi or 1000000",
          Patterns.POSTGRES_VERSION, "supported versions are 14, 15, 16, 17 and 18",
          Patterns.CRON, "use a five-field cron schedule like \"30 00 * * *\"",
          Patterns.MAINTENANCE_WINDOW, "use Ddd:HH:MM-HH:MM (e.g. Sat:01:00-04:00) or HH:MM-HH:MM",
          Patterns.CLONE_TIMESTAMP,
              "use RFC 3339 with a UTC offset, e.g. 2024-05-01T12:00:00+00:00",
          Patterns.CIDR, "use an IPv4 or IPv6 CIDR such as 10.0.0.0/8",
          Patterns.USER_FLAG,
              "flags are superuser, inherit, login, createrole, createdb, replication, bypassrls "
                  + "or their no... forms");

  private PatternHints() {}

  static String hint(String pattern) {
    if (pattern.equals("^(session|transaction)$")) {
      return "use session or transaction";
    }
    return HINTS.getOrDefault(pattern, null);
  }
}
