package dev.cornac.ui;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UI's audit trail on a logger of its own, {@value #LOGGER}, so that operators can route it
 * apart from the other lines: one line per write (done, refused before it reached Kubernetes, or
 * failed) and per failed login. A line names the user, the action and the cluster; never a
 * password, token, cookie or manifest, and a refusal's reason is always the UI's own message, never
 * an echo of what the client sent.
 */
final class AuditLog {
  static final String LOGGER = "cornac.audit";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
  private static final int MAX_VALUE = 128;

  /**
   * One write asked for: who, which verb ({@code create}, {@code update}, {@code delete}) and which
   * cluster.
   */
  record Write(String user, String action, String namespace, String cluster) {}

  void done(Write w) {
    LOG.info(format("write", fields(w, "done")));
  }

  /** Refused by the UI's checks (login, CSRF token, read-only mode, namespace, team, RBAC). */
  void refused(Write w, String reason) {
    Map<String, String> fields = fields(w, "refused");
    fields.put("reason", reason);
    LOG.warn(format("write", fields));
  }

  /**
   * Allowed, then refused by validation or by Kubernetes; the status only, as a message may quote
   * the manifest.
   */
  void failed(Write w, int status) {
    Map<String, String> fields = fields(w, "failed");
    fields.put("status", Integer.toString(status));
    LOG.warn(format("write", fields));
  }

  /**
   * A login or an Authorization header that was not accepted; {@code user} is what was claimed, if
   * anything.
   */
  void loginFailed(String user, String via, String remote) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("user", user);
    fields.put("via", via);
    fields.put("remote", remote);
    fields.put("outcome", "failed");
    LOG.warn(format("login", fields));
  }

  private static Map<String, String> fields(Write w, String outcome) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("user", w.user());
    fields.put("action", w.action());
    fields.put("namespace", w.namespace());
    fields.put("cluster", w.cluster());
    fields.put("outcome", outcome);
    return fields;
  }

  private static String format(String event, Map<String, String> fields) {
    return event
        + " "
        + fields.entrySet().stream()
            .map(e -> e.getKey() + "=" + value(e.getValue()))
            .collect(Collectors.joining(" "));
  }

  /**
   * A value that cannot forge a line or a field: user names come from the client, so control
   * characters go, the length is bounded and anything with a blank, a quote or an equals sign is
   * quoted.
   */
  static String value(String raw) {
    if (raw == null || raw.isEmpty()) {
      return "-";
    }
    String clean =
        raw.codePoints()
            .filter(c -> !Character.isISOControl(c))
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
            .toString();
    if (clean.length() > MAX_VALUE) {
      clean = clean.substring(0, MAX_VALUE) + "…";
    }
    boolean quote =
        clean.isEmpty()
            || clean.chars().anyMatch(c -> Character.isWhitespace(c) || c == '"' || c == '=');
    return quote ? "\"" + clean.replace("\\", "\\\\").replace("\"", "\\\"") + "\"" : clean;
  }
}
