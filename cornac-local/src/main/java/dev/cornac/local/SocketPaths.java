package dev.cornac.local;

import java.nio.charset.StandardCharsets;

/**
 * PostgreSQL's Unix socket lives in each member's directory ({@code
 * <home>/<cluster>/members/<member>/.s.PGSQL.<port>}), and a socket path has at most 107 bytes (the
 * kernel's {@code sun_path}). A longer one fails deep in the bootstrap with "could not create any
 * Unix-domain sockets"; checked first instead, with what to change.
 */
final class SocketPaths {
  static final int MAX_BYTES = 107;

  private SocketPaths() {}

  static void requireShortEnough(LocalLayout layout, LocalState state) {
    for (LocalState.Member m : state.members()) {
      String path =
          layout.memberDir(m.name()).resolve(".s.PGSQL." + m.pgPort()).toAbsolutePath().toString();
      int bytes = path.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > MAX_BYTES) {
        throw new LocalRuntimeException(
            "PostgreSQL's socket "
                + path
                + " would be "
                + bytes
                + " bytes long, more than the "
                + MAX_BYTES
                + " a Unix socket path may have; use a shorter --state-dir (or CORNAC_LOCAL_HOME) "
                + "or a shorter cluster name");
      }
    }
  }
}
