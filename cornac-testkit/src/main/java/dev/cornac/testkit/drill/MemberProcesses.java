package dev.cornac.testkit.drill;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One Patroni member's processes, as a node failure would hit them: its Patroni and its PostgreSQL
 * (postmaster and every backend). {@link #freeze} is a hung node (SIGSTOP: it holds its sockets and
 * answers nothing), {@link #resume} is that node coming back, {@link #kill} a crash (SIGKILL, which
 * also ends frozen processes).
 */
public final class MemberProcesses {
  private final List<Long> pids;

  private MemberProcesses(List<Long> pids) {
    this.pids = List.copyOf(pids);
  }

  /**
   * Patroni's process (its pid file) and the postmaster of {@code dataDir} with its children, read
   * now: PostgreSQL's processes change when it restarts.
   */
  public static MemberProcesses of(Path patroniPidFile, Path dataDir) throws IOException {
    List<Long> pids = new ArrayList<>();
    pids.add(Long.parseLong(Files.readString(patroniPidFile).strip()));
    Path postmasterPid = dataDir.resolve("postmaster.pid");
    if (Files.exists(postmasterPid)) {
      long postmaster = Long.parseLong(Files.readAllLines(postmasterPid).get(0).strip());
      Optional<ProcessHandle> handle = ProcessHandle.of(postmaster);
      if (handle.isPresent()) {
        pids.add(postmaster);
        handle.get().descendants().forEach(h -> pids.add(h.pid()));
      }
    }
    return new MemberProcesses(pids);
  }

  public List<Long> pids() {
    return pids;
  }

  public void freeze() throws IOException, InterruptedException {
    signal("STOP");
  }

  public void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  public void kill() throws IOException, InterruptedException {
    signal("KILL");
  }

  private void signal(String signal) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("kill", "-" + signal));
    pids.forEach(p -> cmd.add(Long.toString(p)));
    // Some backends may have exited since they were listed: kill's exit status says nothing here.
    new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start()
        .waitFor(5, TimeUnit.SECONDS);
  }
}
