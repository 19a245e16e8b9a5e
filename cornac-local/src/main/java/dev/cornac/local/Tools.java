package dev.cornac.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The programs a local cluster runs, each with the Debian/Ubuntu package that provides it. */
final class Tools {
  private Tools() {}

  static void check(boolean pooler) {
    Map<String, String> needed = new LinkedHashMap<>();
    needed.put(Components.PATRONI, "patroni");
    needed.put(Components.ETCD, "etcd-server");
    needed.put(Components.EXPORTER, "prometheus-postgres-exporter");
    needed.put("/usr/bin/setpriv", "util-linux");
    if (pooler) {
      needed.put(Components.PGBOUNCER, "pgbouncer");
    }
    List<String> missing = new ArrayList<>();
    List<String> packages = new ArrayList<>();
    needed.forEach(
        (binary, pkg) -> {
          if (!Files.isExecutable(Path.of(binary))) {
            missing.add(binary);
            packages.add(pkg);
          }
        });
    if (!missing.isEmpty()) {
      throw new LocalRuntimeException(
          "missing "
              + String.join(", ", missing)
              + "; install them (Debian/Ubuntu: "
              + "apt-get install "
              + String.join(" ", packages)
              + ")");
    }
  }
}
