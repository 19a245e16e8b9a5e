package dev.cornac.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Paths of the repository and of the upstream examples in {@code ../shared} (present on every
 * machine and in CI).
 */
public final class TestFiles {
  private TestFiles() {}

  public static Path repoRoot() {
    String root = System.getProperty("cornac.repo.root");
    Path p = root != null ? Path.of(root) : Path.of("..");
    return p.toAbsolutePath().normalize();
  }

  public static Path upstreamManifests() {
    return repoRoot().resolve("../shared/upstream-examples/manifests").normalize();
  }

  public static Path upstreamManifest(String name) {
    return upstreamManifests().resolve(name);
  }

  public static Path ourManifest(String name) {
    return repoRoot().resolve("manifests").resolve(name);
  }

  /** Upstream's example postgresql manifests followed by ours. */
  public static Stream<Path> allPostgresqlExamples() {
    return Stream.concat(
        postgresqlManifests(upstreamManifests()).stream(),
        postgresqlManifests(repoRoot().resolve("manifests")).stream());
  }

  /** Every YAML file in a folder whose text declares a postgresql resource. */
  public static List<Path> postgresqlManifests(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> f.toString().endsWith(".yaml"))
          .filter(TestFiles::declaresPostgresql)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean declaresPostgresql(Path f) {
    try {
      return Files.readAllLines(f).stream().anyMatch(l -> l.strip().equals("kind: postgresql"))
          && !f.getFileName().toString().endsWith(".crd.yaml");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
