package dev.cornac.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A benchmark's report: each measure as it is taken (on stderr), then all of them as a Markdown
 * table.
 */
final class BenchReport {
  private final Map<String, String> lines = new LinkedHashMap<>();

  void line(String what, String value) {
    lines.put(what, value);
    progress(what + ": " + value);
  }

  static void progress(String s) {
    System.err.println("[bench] " + s);
  }

  /** The table, then the machine and the run's parameters. */
  void print(String parameters) {
    System.out.println();
    System.out.println("| measure | value |");
    System.out.println("|---|---|");
    lines.forEach((k, v) -> System.out.println("| " + k + " | " + v + " |"));
    System.out.println();
    System.out.println(
        "machine: "
            + Runtime.getRuntime().availableProcessors()
            + " cores for the benchmark JVM, Java "
            + Runtime.version()
            + "; "
            + parameters);
  }
}
