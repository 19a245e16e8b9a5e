package dev.cornac.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The (verb, resource) pairs each identity was allowed, so the suite can check the shipped roles
 * against what the components really do: nothing used that is not granted (the server refuses it
 * anyway) and nothing granted that no test ever used. Each server writes its part under {@code
 * target/rbac-usage/} of the repository when it closes.
 */
public final class RbacUsage {
  /** The folder every test server writes to, under the repository root that surefire names. */
  public static Path folder() {
    String root = System.getProperty("cornac.repo.root", "..");
    return Path.of(root).toAbsolutePath().normalize().resolve("target").resolve("rbac-usage");
  }

  private final Map<String, Set<String>> used = new ConcurrentHashMap<>();

  void record(Identity who, RequestAttributes a) {
    if (who.isAdmin() || !a.resourceRequest()) {
      return;
    }
    used.computeIfAbsent(who.user(), u -> ConcurrentHashMap.newKeySet())
        .add(line(a.verb(), a.group(), a.resourceWithSubresource()));
  }

  /**
   * Granting a role counts as using every right in it: the API server demands them of whoever binds
   * the role.
   */
  void recordHeldForBinding(Identity who, String verb, String group, String resource) {
    if (who.isAdmin()) {
      return;
    }
    used.computeIfAbsent(who.user(), u -> ConcurrentHashMap.newKeySet())
        .add(line(verb, group, resource));
  }

  public Set<String> of(String user) {
    return new TreeSet<>(used.getOrDefault(user, Set.of()));
  }

  static String line(String verb, String group, String resource) {
    return verb + " " + (group.isEmpty() ? "core" : group) + " " + resource;
  }

  void write() {
    if (used.isEmpty()) {
      return;
    }
    try {
      for (Map.Entry<String, Set<String>> e : used.entrySet()) {
        Path dir = folder().resolve(e.getKey().replace(':', '_'));
        Files.createDirectories(dir);
        Files.write(dir.resolve(UUID.randomUUID() + ".txt"), new TreeSet<>(e.getValue()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the RBAC usage report under " + folder(), e);
    }
  }
}
