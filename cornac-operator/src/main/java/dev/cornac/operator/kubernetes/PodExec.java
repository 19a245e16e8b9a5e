package dev.cornac.operator.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs a command in a pod's container through the API server ({@code pods/exec}), as {@code kubectl exec} does. */
public final class PodExec {
  /** What the command printed and how it ended; {@code exitCode} is -1 when it could not be learnt. */
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

  public Result run(String namespace, String pod, String container, Duration timeout, String... command)
      throws InterruptedException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (ExecWatch watch = client.pods().inNamespace(namespace).withName(pod).inContainer(container)
        .writingOutput(out).writingError(err).exec(command)) {
      int code = watch.exitCode().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return new Result(-1, out.toString(StandardCharsets.UTF_8), "exec in " + pod + " failed: " + cause.getMessage());
    } catch (TimeoutException e) {
      return new Result(-1, out.toString(StandardCharsets.UTF_8), "exec in " + pod + " did not end within "
          + timeout.toMinutes() + " min");
    } catch (KubernetesClientException e) {
      return new Result(-1, "", "exec in " + pod + " was refused: " + e.getMessage());
    }
  }
}
