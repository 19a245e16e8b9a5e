package dev.cornac.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Chooses ports on 127.0.0.1 that are free now and not remembered by another local cluster (which
 * may be stopped and come back), and never hands out the same port twice.
 */
public final class FreePorts {
  private final Set<Integer> taken;

  public FreePorts(Set<Integer> reservedByOthers) {
    this.taken = new HashSet<>(reservedByOthers);
  }

  public int next() {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = probe(0);
      if (port > 0 && taken.add(port)) {
        return port;
      }
    }
    throw new LocalRuntimeException("no free TCP port found on 127.0.0.1");
  }

  /**
   * The remembered port when it is still free, else a new one: another program may have taken it
   * meanwhile.
   */
  public int keepOrReplace(int remembered) {
    if (remembered > 0 && !taken.contains(remembered) && probe(remembered) == remembered) {
      taken.add(remembered);
      return remembered;
    }
    return next();
  }

  private static int probe(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      return -1;
    }
  }
}
