package dev.cornac.cli;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;

/**
 * Exit codes and how an unexpected failure is told: what failed, then why, one cause a line, no
 * stack trace.
 */
final class CliErrors {
  static final int EXIT_OK = 0;
  static final int EXIT_INVALID = 1;
  static final int EXIT_ERROR = 2;

  /**
   * Wrapping libraries repeat a cause's message or add nothing; past this, a chain says no more.
   */
  private static final int MAX_CAUSES = 8;

  private CliErrors() {}

  /** The first message of a failure's cause chain that says something: for one-line reports. */
  static String describe(Throwable e) {
    List<String> chain = causes(e);
    return chain.isEmpty() ? "unexpected failure without a message" : chain.get(chain.size() - 1);
  }

  /**
   * The whole cause chain, outermost first, each on its own line: "Error starting operator" alone
   * says nothing, the cause that follows it (a missing right, a refused request) says what to fix.
   */
  static String describeChain(Throwable e) {
    List<String> chain = causes(e);
    return chain.isEmpty()
        ? "unexpected failure without a message"
        : String.join("\n  caused by: ", chain);
  }

  private static List<String> causes(Throwable e) {
    List<String> out = new ArrayList<>();
    for (Throwable t = e;
        t != null && out.size() < MAX_CAUSES;
        t = t.getCause() == t ? null : t.getCause()) {
      String message = message(t);
      if (message == null || message.isBlank()) {
        continue;
      }
      String line = message.strip();
      if (!out.isEmpty() && out.get(out.size() - 1).contains(line)) {
        continue;
      }
      out.add(line);
    }
    return out;
  }

  /**
   * The API server's own words for a refused request, instead of the client's dump of the response
   * object.
   */
  private static String message(Throwable t) {
    if (t instanceof KubernetesClientException k
        && k.getStatus() != null
        && k.getStatus().getMessage() != null) {
      return "the API server answered " + k.getCode() + ": " + k.getStatus().getMessage();
    }
    return t.getMessage();
  }
}
