package dev.cornac.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Runs the CLI in-process with its output captured, as a user at a terminal would see it. */
final class CliRunner {
  record Result(int exit, String out, String err) {}

  private CliRunner() {}

  static Path repo() {
    String root = System.getProperty("cornac.repo.root");
    return (root != null ? Path.of(root) : Path.of("..")).toAbsolutePath().normalize();
  }

  /** {@code cornac local --state-dir <home> <args>}. */
  static Result local(Path home, String... args) {
    java.util.List<String> all =
        new java.util.ArrayList<>(java.util.List.of("local", "--state-dir", home.toString()));
    all.addAll(java.util.List.of(args));
    return run(all.toArray(String[]::new));
  }

  /** Removes a test's directory tree. */
  static void deleteTree(Path dir) throws java.io.IOException {
    try (java.util.stream.Stream<Path> paths = java.nio.file.Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  static synchronized Result run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int exit = Main.run(args);
      return new Result(
          exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }
}
