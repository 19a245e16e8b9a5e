package dev.cornac.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.HashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntBiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The mock API server in CRUD mode that also answers pod port-forwards the way the API server does (one WebSocket per
 * connection; channel 0 data, channel 1 errors, each opened by the two bytes of the port), bridging each to a local
 * TCP port chosen by the test: a pod's 5432 or 8008 leads to a real member's processes.
 */
public final class PortForwardingMockServer implements AutoCloseable {
  private static final Pattern PORT_FORWARD =
      Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/]+)/portforward\\?ports=(\\d+)");

  /** One INFO line per request drowns the test output; held here because the JDK keeps loggers weakly. */
  private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  private final KubernetesMockServer server;
  private final AtomicInteger forwarded = new AtomicInteger();
  private volatile ToIntBiFunction<String, Integer> target = (pod, port) -> -1;

  public PortForwardingMockServer() {
    QUIET.setLevel(java.util.logging.Level.WARNING);
    var dispatcher = new KubernetesMixedDispatcher(new HashMap<>()) {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        Matcher m = PORT_FORWARD.matcher(request.getPath());
        if (m.matches()) {
          int port = Integer.parseInt(m.group(3));
          int local = target.applyAsInt(m.group(2), port);
          if (local < 0) {
            return new MockResponse().setResponseCode(404);
          }
          forwarded.incrementAndGet();
          return new MockResponse().withWebSocketUpgrade(new Bridge(port, local));
        }
        return super.dispatch(request);
      }
    };
    this.server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init();
  }

  public KubernetesMockServer server() {
    return server;
  }

  public KubernetesClient createClient() {
    return server.createClient();
  }

  /** Where a pod's port leads: a local port, or -1 for "no such pod". */
  public void forwardTo(ToIntBiFunction<String, Integer> target) {
    this.target = target;
  }

  /** How many port-forward connections were opened. */
  public int forwardedConnections() {
    return forwarded.get();
  }

  @Override
  public void close() {
    server.destroy();
  }

  private static final class Bridge extends WebSocketListener {
    private final int remotePort;
    private final int localPort;
    private volatile Socket socket;

    Bridge(int remotePort, int localPort) {
      this.remotePort = remotePort;
      this.localPort = localPort;
    }

    @Override
    public void onOpen(WebSocket ws, io.fabric8.mockwebserver.http.Response response) {
      byte lo = (byte) (remotePort & 0xff);
      byte hi = (byte) ((remotePort >> 8) & 0xff);
      ws.send(new byte[] {0, lo, hi});
      ws.send(new byte[] {1, lo, hi});
      try {
        socket = new Socket("127.0.0.1", localPort);
      } catch (IOException e) {
        ws.send(("\u0001" + "cannot connect: " + e.getMessage()).getBytes());
        ws.close(1000, "");
        return;
      }
      Thread pump = new Thread(() -> {
        byte[] buf = new byte[16384];
        try (InputStream in = socket.getInputStream()) {
          int n;
          while ((n = in.read(buf)) > 0) {
            byte[] frame = new byte[n + 1];
            System.arraycopy(buf, 0, frame, 1, n);
            ws.send(frame);
          }
        } catch (IOException e) {
          // the other side closed
        }
        ws.close(1000, "");
      }, "port-forward-" + localPort);
      pump.setDaemon(true);
      pump.start();
    }

    @Override
    public void onMessage(WebSocket ws, byte[] bytes) {
      if (bytes.length > 1 && bytes[0] == 0 && socket != null) {
        try {
          socket.getOutputStream().write(bytes, 1, bytes.length - 1);
          socket.getOutputStream().flush();
        } catch (IOException e) {
          ws.close(1000, "");
        }
      }
    }

    @Override
    public void onClosing(WebSocket ws, int code, String reason) {
      closeSocket();
    }

    @Override
    public void onClosed(WebSocket ws, int code, String reason) {
      closeSocket();
    }

    private void closeSocket() {
      try {
        if (socket != null) {
          socket.close();
        }
      } catch (IOException e) {
        // already closed
      }
    }
  }
}
