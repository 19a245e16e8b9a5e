package dev.cornac.api.cluster;

import dev.cornac.api.config.OperatorConfig;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Whether now is a time for maintenance (reference c.5): the manifest's windows, else the configuration's; none
 * configured, or {@code enable_maintenance_windows=false}, means always. Windows are UTC.
 */
public final class MaintenanceWindows {
  private MaintenanceWindows() {}

  public static boolean inWindow(List<String> manifestWindows, OperatorConfig config, Instant now) {
    if (!config.bool("enable_maintenance_windows")) {
      return true;
    }
    List<String> windows = manifestWindows != null && !manifestWindows.isEmpty() ? manifestWindows
        : config.list("maintenance_windows");
    if (windows.isEmpty()) {
      return true;
    }
    // The configuration's windows are checked when it is loaded; one that does not parse opens nothing.
    return windows.stream().anyMatch(w -> {
      try {
        return MaintenanceWindow.parse(w).contains(now.atZone(ZoneOffset.UTC));
      } catch (IllegalArgumentException e) {
        return false;
      }
    });
  }
}
