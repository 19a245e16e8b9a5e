package dev.cornac.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A process's argv from {@code /proc}: how a pid found in a file is recognised before anything
 * signals it. (The JDK's ProcessHandle.Info gives up on long command lines such as a JVM's class
 * path.)
 */
final class ProcessCommandLine {
  private ProcessCommandLine() {}

  static List<String> of(long pid) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
      String all = new String(raw, StandardCharsets.UTF_8);
      if (all.endsWith("\0")) {
        all = all.substring(0, all.length() - 1);
      }
      return all.isEmpty() ? List.of() : List.of(all.split("\0", -1));
    } catch (IOException e) {
      return List.of();
    }
  }
}
