package dev.cornac.api.cluster;

import dev.cornac.api.config.OperatorConfig;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Whether now is a time for maintenance (upstream: pkg/cluster/util.go, isInMaintenanceWindow): the
 * manifest's windows, else the configuration's; none configured, or {@code
 * enable_maintenance_windows=false}, means always. Windows are UTC.
 */
public final class MaintenanceWindows {
  private MaintenanceWindows() {}

  public static boolean inWindow(List<String> manifestWindows, OperatorConfig config, Instant now) {
    List<String> windows = effective(manifestWindows, config);
    if (windows.isEmpty()) {
      return true;
    }
    // The configuration's windows are checked when it is loaded; one that does not parse opens
    // nothing.
    return windows.stream()
        .anyMatch(
            w -> {
              try {
                return MaintenanceWindow.parse(w).contains(now.atZone(ZoneOffset.UTC));
              } catch (IllegalArgumentException e) {
                return false;
              }
            });
  }

  /**
   * When the next window opens, for work held until then to be looked at again at that moment
   * rather than at the next resync (which could fall after a short window); empty when windows do
   * not restrict anything.
   */
  public static Optional<Instant> nextOpening(
      List<String> manifestWindows, OperatorConfig config, Instant now) {
    ZonedDateTime utc = now.atZone(ZoneOffset.UTC);
    return effective(manifestWindows, config).stream()
        .flatMap(
            w -> {
              try {
                return Stream.of(MaintenanceWindow.parse(w).nextStart(utc).toInstant());
              } catch (IllegalArgumentException e) {
                return Stream.empty();
              }
            })
        .min(Instant::compareTo);
  }

  /** The windows that apply: none when turned off, the manifest's, else the configuration's. */
  private static List<String> effective(List<String> manifestWindows, OperatorConfig config) {
    if (!config.bool("enable_maintenance_windows")) {
      return List.of();
    }
    return manifestWindows != null && !manifestWindows.isEmpty()
        ? manifestWindows
        : config.list("maintenance_windows");
  }
}
