package dev.cornac.local;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Starting, finding and stopping a cluster's {@link Supervisor}, a detached JVM of its own. */
public final class SupervisorProcess {
  /** Enough for a loop that starts processes and polls Patroni; measured around 60 MiB resident. */
  static final List<String> JVM_OPTIONS =
      List.of(
          "-Xmx48m",
          "-Xss512k",
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "-XX:MaxMetaspaceSize=64m",
          "-XX:ReservedCodeCacheSize=16m",
          "-XX:-UsePerfData");

  private SupervisorProcess() {}

  /** The supervisor's pid when it is running. */
  public static Optional<ProcessHandle> running(LocalLayout layout) {
    if (!Files.exists(layout.supervisorPid())) {
      return Optional.empty();
    }
    try {
      long pid = Long.parseLong(Files.readString(layout.supervisorPid()).strip());
      return ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .filter(h -> ProcessCommandLine.of(pid).contains(layout.dir().toString()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * Starts it in its own session, so that closing the terminal or Ctrl-C does not stop the cluster,
   * and returns once it has written its own pid ({@code setsid} may fork, so the pid of the process
   * we spawned is not always its).
   */
  public static ProcessHandle start(LocalLayout layout) {
    List<String> cmd = new ArrayList<>();
    cmd.add("setsid");
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(JVM_OPTIONS);
    cmd.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            Supervisor.class.getName(),
            layout.dir().toString()));
    try {
      Files.deleteIfExists(layout.supervisorPid());
      new ProcessBuilder(cmd)
          .directory(layout.dir().toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(layout.supervisorLog().toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .start();
    } catch (IOException e) {
      throw new LocalRuntimeException(
          "cannot start the supervisor ("
              + String.join(" ", cmd.subList(0, 2))
              + "): "
              + e.getMessage(),
          e);
    }
    try {
      return Waits.until(
          Duration.ofSeconds(30),
          Duration.ofMillis(50),
          () -> running(layout),
          () ->
              "the supervisor of "
                  + layout.cluster()
                  + " did not start within 30 s; see "
                  + layout.supervisorLog());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LocalRuntimeException(
          "interrupted while waiting for the supervisor of " + layout.cluster() + " to start", e);
    }
  }

  /**
   * SIGTERM, then wait while it stops everything in order; SIGKILL only if it hangs past the
   * timeout.
   */
  public static boolean stop(ProcessHandle supervisor, Duration timeout) {
    supervisor.destroy();
    try {
      supervisor.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (Exception e) {
      supervisor.destroyForcibly();
      return false;
    }
  }
}
