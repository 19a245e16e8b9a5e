package dev.cornac.testkit;

import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntBiFunction;

/**
 * Pod port-forwards and execs, answered the way the API server relays them: one WebSocket per
 * connection. A port-forward carries channel 0 data and channel 1 errors, each opened by the two
 * bytes of the port, bridged to a local TCP port the test chooses (a pod's 5432 or 8008 leads to a
 * real member's processes). An exec sends channel 1 stdout, 2 stderr and 3 the final Status with
 * the exit code, from a handler the test gives.
 */
public final class PodConnections {
  /** What a command run in a pod printed and how it ended. */
  public record ExecResult(int exitCode, String stdout, String stderr) {}

  /** Runs a command "in" a pod's container. */
  public interface ExecHandler {
    ExecResult exec(String pod, String container, List<String> command) throws Exception;
  }

  private final AtomicInteger forwarded = new AtomicInteger();
  private volatile ToIntBiFunction<String, Integer> target = (pod, port) -> -1;
  private volatile ExecHandler execHandler = (pod, container, command) -> null;

  void forwardTo(ToIntBiFunction<String, Integer> target) {
    this.target = target;
  }

  void onExec(ExecHandler handler) {
    this.execHandler = handler;
  }

  int forwardedConnections() {
    return forwarded.get();
  }

  /** The response to an authorized exec or port-forward, or null for any other request. */
  MockResponse answer(RequestAttributes a) {
    if (!a.resource().equals("pods")) {
      return null;
    }
    if (a.subresource().equals("exec")) {
      return exec(a.name(), a.rawQuery());
    }
    if (a.subresource().equals("portforward")) {
      int port = Integer.parseInt(a.query().getOrDefault("ports", "-1"));
      int local = target.applyAsInt(a.name(), port);
      if (local < 0) {
        return new MockResponse().setResponseCode(404);
      }
      forwarded.incrementAndGet();
      return new MockResponse().withWebSocketUpgrade(new Bridge(port, local));
    }
    return null;
  }

  private MockResponse exec(String pod, String query) {
    List<String> command = new ArrayList<>();
    String container = "";
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String key = pair.substring(0, eq);
      String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      if (key.equals("command")) {
        command.add(value);
      } else if (key.equals("container")) {
        container = value;
      }
    }
    String in = container;
    // The handler may call this server itself: it runs off the server's event loop.
    return new MockResponse()
        .withWebSocketUpgrade(
            new WebSocketListener() {
              @Override
              public void onOpen(WebSocket ws, Response response) {
                Thread t =
                    new Thread(
                        () -> {
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
                          send(
                              ws,
                              3,
                              done.exitCode() == 0
                                  ? "{\"metadata\":{},\"status\":\"Success\"}"
                                  : "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command terminated with non-zero "
                                      + "exit code\",\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":"
                                      + "\"ExitCode\",\"message\":\""
                                      + done.exitCode()
                                      + "\"}]}}");
                          ws.close(1000, "");
                        },
                        "exec-" + pod);
                t.setDaemon(true);
                t.start();
              }
            });
  }

  private static void send(WebSocket ws, int channel, String text) {
    if (text == null || text.isEmpty()) {
      return;
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    byte[] frame = new byte[bytes.length + 1];
    frame[0] = (byte) channel;
    System.arraycopy(bytes, 0, frame, 1, bytes.length);
    ws.send(frame);
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
    public void onOpen(WebSocket ws, Response response) {
      byte lo = (byte) (remotePort & 0xff);
      byte hi = (byte) ((remotePort >> 8) & 0xff);
      ws.send(new byte[] {0, lo, hi});
      ws.send(new byte[] {1, lo, hi});
      try {
        socket = new Socket("127.0.0.1", localPort);
      } catch (IOException e) {
        ws.send(("\u0001" + "cannot connect: " + e.getMessage()).getBytes(StandardCharsets.UTF_8));
        ws.close(1000, "");
        return;
      }
      Thread pump =
          new Thread(
              () -> {
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
              },
              "port-forward-" + localPort);
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
