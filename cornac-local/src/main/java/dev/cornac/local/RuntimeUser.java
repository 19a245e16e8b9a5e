package dev.cornac.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Who runs PostgreSQL, Patroni, PgBouncer and the rest. They refuse root, so root hands them to the
 * unprivileged {@code postgres} user (with {@code setpriv}, which execs in place: the pid we hold
 * is the real process); anyone else runs them as themselves.
 */
public record RuntimeUser(String name, boolean dropsPrivileges) {
  public static final String UNPRIVILEGED = "postgres";

  public static RuntimeUser current() {
    String me = System.getProperty("user.name");
    return "root".equals(me) ? new RuntimeUser(UNPRIVILEGED, true) : new RuntimeUser(me, false);
  }

  /** The command line that runs {@code command} as this user. */
  public List<String> wrap(List<String> command) {
    if (!dropsPrivileges) {
      return command;
    }
    List<String> wrapped =
        new ArrayList<>(
            List.of("setpriv", "--reuid=" + name, "--regid=" + name, "--init-groups", "--"));
    wrapped.addAll(command);
    return wrapped;
  }

  /** Hands files and directories (not their contents) to this user, when we are root. */
  public void own(Path... paths) {
    chown(false, paths);
  }

  /** Hands a whole tree to this user, when we are root. */
  public void ownTree(Path path) {
    chown(true, path);
  }

  private void chown(boolean recursive, Path... paths) {
    if (!dropsPrivileges) {
      return;
    }
    List<String> cmd = new ArrayList<>(List.of("chown"));
    if (recursive) {
      cmd.add("-R");
    }
    cmd.add(name + ":" + name);
    for (Path p : paths) {
      if (Files.exists(p)) {
        cmd.add(p.toString());
      }
    }
    if (cmd.size() == (recursive ? 3 : 2)) {
      return;
    }
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (p.waitFor() != 0) {
        throw new LocalRuntimeException(
            "cannot hand files to the user " + name + ": " + out.strip());
      }
    } catch (IOException e) {
      throw new LocalRuntimeException("cannot run chown: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LocalRuntimeException("interrupted", e);
    }
  }

  /**
   * Whether this user can read the file: tried as the user, since root reads what the user cannot.
   */
  public boolean canRead(Path file) {
    if (!dropsPrivileges) {
      return Files.isReadable(file);
    }
    try {
      return new ProcessBuilder(wrap(List.of("test", "-r", file.toString()))).start().waitFor()
          == 0;
    } catch (IOException e) {
      throw new LocalRuntimeException("cannot run setpriv (util-linux): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LocalRuntimeException("interrupted", e);
    }
  }

  /**
   * Checks, as root, that the unprivileged user can reach the directory: a home under /root would
   * not work.
   */
  public void checkReachable(Path dir) {
    if (!dropsPrivileges) {
      return;
    }
    for (Path p = dir.getParent(); p != null; p = p.getParent()) {
      if (!Files.exists(p)) {
        continue;
      }
      try {
        Process probe = new ProcessBuilder(wrap(List.of("test", "-x", p.toString()))).start();
        if (probe.waitFor() != 0) {
          throw new LocalRuntimeException(
              "the user "
                  + name
                  + " cannot enter "
                  + p
                  + ", so PostgreSQL could not reach "
                  + dir
                  + "; choose another place with --state-dir (for example /var/lib/cornac/local)");
        }
        return;
      } catch (IOException e) {
        throw new LocalRuntimeException("cannot run setpriv (util-linux): " + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LocalRuntimeException("interrupted", e);
      }
    }
  }
}
