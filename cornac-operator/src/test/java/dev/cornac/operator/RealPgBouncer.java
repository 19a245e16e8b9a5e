package dev.cornac.operator;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Debian PgBouncer, started on a free 127.0.0.1 port from an ini body the test writes (without
 * {@code listen_addr}/{@code listen_port}, which this adds), the way the pooler image's entrypoint
 * starts it from its environment. As root it runs as {@code postgres}, as the pooler image runs it
 * unprivileged (PgBouncer refuses root).
 */
final class RealPgBouncer implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path log;

  private RealPgBouncer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * @param settings the {@code [pgbouncer]} section's other settings; {@code databases} the
   *     section's lines
   */
  static RealPgBouncer start(Path dir, String databases, String settings)
      throws IOException, InterruptedException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path ini = dir.resolve("pgbouncer.ini");
    Files.writeString(
        ini,
        "[databases]\n"
            + databases
            + "\n[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = "
            + port
            + "\nunix_socket_dir =\nignore_startup_parameters = extra_float_digits,options\n"
            + settings
            + "\n");
    List<String> command = new ArrayList<>(List.of("/usr/sbin/pgbouncer", ini.toString()));
    if ("root".equals(System.getProperty("user.name"))) {
      new ProcessBuilder("chown", "-R", "postgres:postgres", dir.toString())
          .inheritIO()
          .start()
          .waitFor();
      command.addAll(
          0, List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"));
    }
    Path log = dir.resolve("pgbouncer.log");
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new RealPgBouncer(p, port, log);
  }

  int port() {
    return port;
  }

  /** What PgBouncer printed, for assertion messages. */
  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor(10, TimeUnit.SECONDS);
  }
}
