package dev.cornac.dataplane.patroni;

import java.util.Locale;

/**
 * A member's role, whatever Patroni version reports it: 3.0 says {@code master} in /patroni and
 * {@code leader} in /cluster, later versions say {@code primary}.
 */
public enum PatroniRole {
  LEADER,
  REPLICA,
  SYNC_STANDBY,
  STANDBY_LEADER,
  UNKNOWN;

  public static PatroniRole parse(String text) {
    if (text == null) {
      return UNKNOWN;
    }
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "leader", "master", "primary" -> LEADER;
      case "replica" -> REPLICA;
      case "sync_standby" -> SYNC_STANDBY;
      case "standby_leader" -> STANDBY_LEADER;
      default -> UNKNOWN;
    };
  }

  public boolean isLeader() {
    return this == LEADER || this == STANDBY_LEADER;
  }
}
