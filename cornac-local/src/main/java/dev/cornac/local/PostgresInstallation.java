package dev.cornac.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The PostgreSQL major versions installed on this machine, Debian's layout: {@code
 * /usr/lib/postgresql/N/bin}.
 */
public record PostgresInstallation(Path root) {
  public static PostgresInstallation system() {
    return new PostgresInstallation(Path.of("/usr/lib/postgresql"));
  }

  public List<String> installedVersions() {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(root)) {
      return dirs.filter(d -> Files.isExecutable(d.resolve("bin").resolve("postgres")))
          .map(d -> d.getFileName().toString())
          .sorted(
              Comparator.comparingInt((String v) -> major(v))
                  .thenComparing(Comparator.naturalOrder()))
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** The bin directory of a version, or a clear error naming the installed ones. */
  public Path binDir(String version) {
    Path bin = root.resolve(version).resolve("bin");
    if (Files.isExecutable(bin.resolve("postgres"))) {
      return bin;
    }
    List<String> installed = installedVersions();
    if (installed.isEmpty()) {
      throw new LocalRuntimeException(
          "PostgreSQL "
              + version
              + " is not installed, and no other version is either; "
              + "install it (Debian/Ubuntu: apt-get install postgresql-"
              + version
              + ")");
    }
    String newest = installed.get(installed.size() - 1);
    throw new LocalRuntimeException(
        "spec.postgresql.version is \""
            + version
            + "\" but PostgreSQL "
            + version
            + " is not installed on this machine (installed: "
            + String.join(", ", installed)
            + "); install "
            + "postgresql-"
            + version
            + ", or run with --postgres-version "
            + newest
            + " to use an installed one");
  }

  private static int major(String v) {
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }
}
