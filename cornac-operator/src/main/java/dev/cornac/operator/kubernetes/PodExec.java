package dev.cornac.operator.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a command in a pod's container through the API server ({@code pods/exec}), as {@code kubectl
 * exec} does. The command runs on the client's threads: a reconcile pass starts it and looks at the
 * outcome in a later pass.
 */
public final class PodExec {
  /**
   * What the command printed and how it ended; {@code exitCode} is -1 when it could not be learnt.
   */
  public record Result(int exitCode, String stdout, String stderr) {
    /** Upstream counts any output on stderr as a failure, whatever the exit code. */
    public boolean succeeded() {
      return exitCode == 0 && stderr.isBlank();
    }
  }

  private final KubernetesClient client;

  public PodExec(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Starts the command; the outcome never fails (a refused or timed-out exec is a Result that says
   * so).
   */
  public CompletableFuture<Result> start(
      String namespace, String pod, String container, Duration timeout, String... command) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ExecWatch watch;
    try {
      watch =
          client
              .pods()
              .inNamespace(namespace)
              .withName(pod)
              .inContainer(container)
              .writingOutput(out)
              .writingError(err)
              .exec(command);
    } catch (KubernetesClientException e) {
      return CompletableFuture.completedFuture(
          new Result(-1, "", "exec in " + pod + " was refused: " + e.getMessage()));
    }
    return watch
        .exitCode()
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (code, failure) -> {
              watch.close();
              String stdout = out.toString(StandardCharsets.UTF_8);
              if (failure == null) {
                return new Result(code, stdout, err.toString(StandardCharsets.UTF_8));
              }
              Throwable cause =
                  failure instanceof CompletionException && failure.getCause() != null
                      ? failure.getCause()
                      : failure;
              return cause instanceof TimeoutException
                  ? new Result(
                      -1,
                      stdout,
                      "exec in "
                          + pod
                          + " did not end within "
                          + (timeout.toSeconds() < 120
                              ? timeout.toSeconds() + " s"
                              : timeout.toMinutes() + " min"))
                  : new Result(-1, stdout, "exec in " + pod + " failed: " + cause.getMessage());
            });
  }
}
