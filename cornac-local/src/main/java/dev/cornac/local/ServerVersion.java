package dev.cornac.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL server version as {@code server_version_num} counts it (15.18 is 150018): what a
 * member runs (Patroni's {@code server_version}) against what the package manager installed ({@code
 * postgres --version} of the cluster's bin directory). A running server keeps its binaries until it
 * restarts, so an installed version newer than the running one is a restart owed.
 */
public record ServerVersion(int num) implements Comparable<ServerVersion> {
  private static final Pattern VERSION_OUTPUT =
      Pattern.compile("\\(PostgreSQL\\) (\\d+)(?:\\.(\\d+))?");

  /** {@code postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)}; empty when not recognised. */
  public static Optional<ServerVersion> ofVersionOutput(String output) {
    Matcher m = VERSION_OUTPUT.matcher(output);
    if (!m.find()) {
      return Optional.empty();
    }
    int major = Integer.parseInt(m.group(1));
    int minor = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
    return Optional.of(new ServerVersion(major * 10000 + minor));
  }

  /** Patroni's {@code server_version}; 0 (not known yet) is empty. */
  public static Optional<ServerVersion> ofNum(int num) {
    return num > 0 ? Optional.of(new ServerVersion(num)) : Optional.empty();
  }

  /** The version of the {@code postgres} binary in {@code binDir}; empty when it cannot say. */
  public static Optional<ServerVersion> installed(Path binDir) {
    try {
      Process p =
          new ProcessBuilder(binDir.resolve("postgres").toString(), "--version")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0
          ? ofVersionOutput(out)
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * Whether a member running {@code running} owes a restart to the {@code installed} binaries: only
   * when both are known and the installed one is newer (a downgrade is not applied by a restart
   * that Cornac would suggest).
   */
  public static boolean restartOwed(
      Optional<ServerVersion> running, Optional<ServerVersion> installed) {
    return running.isPresent()
        && installed.isPresent()
        && installed.get().compareTo(running.get()) > 0;
  }

  @Override
  public int compareTo(ServerVersion other) {
    return Integer.compare(num, other.num);
  }

  @Override
  public String toString() {
    return (num / 10000) + "." + (num % 10000);
  }
}
