package dev.cornac.local;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where local clusters live: one directory per cluster under a home that is, in order, the {@code
 * --state-dir} option, {@code $CORNAC_LOCAL_HOME}, {@code /var/lib/cornac/local} for root (whose
 * own home the unprivileged PostgreSQL user cannot enter), or {@code $XDG_DATA_HOME/cornac} ({@code
 * ~/.local/share/cornac}).
 */
public final class LocalHome {
  private LocalHome() {}

  public static Path resolve(Path option, Map<String, String> env, RuntimeUser user) {
    if (option != null) {
      return option.toAbsolutePath().normalize();
    }
    String configured = env.get("CORNAC_LOCAL_HOME");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    if (user.dropsPrivileges()) {
      return Path.of("/var/lib/cornac/local");
    }
    String xdg = env.get("XDG_DATA_HOME");
    Path data =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".local", "share");
    return data.resolve("cornac");
  }
}
