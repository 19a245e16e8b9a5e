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
 * TCP port chosen by the test: a pod's 5432 or 8008 leads to a real member's processes. It answers pod execs too
 * (channel 1 stdout, 2 stderr, 3 the final Status with the exit code), by a handler the test gives: the command
 * runs wherever the test decides its "container" is.
 */
public final class PortForwardingMockServer implements AutoCloseable {
  private static final Pattern PORT_FORWARD =
      Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/]+)/portforward\\?ports=(\\d+)");

  /** One INFO line per request drowns the test output; held here because the JDK keeps loggers weakly. */
  private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  private final KubernetesMockServer server;
  private final AtomicInteger forwarded = new AtomicInteger();
  private static final Pattern EXEC = Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/]+)/exec\\?(.*)");

  /** What a command run in a pod printed and how it ended. */
  public record ExecResult(int exitCode, String stdout, String stderr) {}

  /** Runs a command "in" a pod's container. */
  public interface ExecHandler {
    ExecResult exec(String pod, String container, java.util.List<String> command) throws Exception;
  }

  private volatile ToIntBiFunction<String, Integer> target = (pod, port) -> -1;
  private volatile ExecHandler execHandler = (pod, container, command) -> null;

  public PortForwardingMockServer() {
    QUIET.setLevel(java.util.logging.Level.WARNING);
    var dispatcher = new KubernetesMixedDispatcher(new HashMap<>()) {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        Matcher x = EXEC.matcher(request.getPath());
        if (x.matches()) {
          return exec(x.group(2), x.group(3));
        }
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

  public void onExec(ExecHandler handler) {
    this.execHandler = handler;
  }

  private MockResponse exec(String pod, String query) {
    java.util.List<String> command = new java.util.ArrayList<>();
    String container = "";
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = pair.substring(0, eq);
      String value = java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
      if (key.equals("command")) {
        command.add(value);
      } else if (key.equals("container")) {
        container = value;
      }
    }
    String in = container;
    // The handler may call this server itself: it runs off the server's event loop.
    return new MockResponse().withWebSocketUpgrade(new WebSocketListener() {
      @Override
      public void onOpen(WebSocket ws, io.fabric8.mockwebserver.http.Response response) {
        Thread t = new Thread(() -> {
          ExecResult done;
          try {
            done = execHandler.exec(pod, in, command);
          } catch (Exception | AssertionError e) {
            done = new ExecResult(126, "", e.toString());
          }
          if (done == null) {
            done = new ExecResult(127, "", "no such command in pod " + pod);
          }
          send(ws, 1, done.stdout());
          send(ws, 2, done.stderr());
          send(ws, 3, done.exitCode() == 0 ? "{\"metadata\":{},\"status\":\"Success\"}"
              : "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command terminated with non-zero "
              + "exit code\",\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":"
              + "\"ExitCode\",\"message\":\"" + done.exitCode() + "\"}]}}");
          ws.close(1000, "");
        }, "exec-" + pod);
        t.setDaemon(true);
        t.start();
      }
    });
  }

  private static void send(WebSocket ws, int channel, String text) {
    if (text == null || text.isEmpty()) {
      return;
    }
    byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] frame = new byte[bytes.length + 1];
    frame[0] = (byte) channel;
    System.arraycopy(bytes, 0, frame, 1, bytes.length);
    ws.send(frame);
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
