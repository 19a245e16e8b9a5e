package dev.cornac.local;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Step-by-step progress of a long operation, each step with its duration: what `up` and `apply`
 * print.
 */
public final class Progress {
  @FunctionalInterface
  public interface Step<T> {
    T run() throws Exception;
  }

  private final PrintStream out;
  private final long started = System.nanoTime();

  public Progress(PrintStream out) {
    this.out = out;
  }

  public static Progress silent() {
    return new Progress(new PrintStream(java.io.OutputStream.nullOutputStream()));
  }

  public <T> T step(String what, Step<T> step) throws Exception {
    out.print("  " + what + " ... ");
    out.flush();
    long t0 = System.nanoTime();
    try {
      T result = step.run();
      out.println("done (" + seconds(System.nanoTime() - t0) + ")");
      return result;
    } catch (Exception | Error e) {
      out.println("failed (" + seconds(System.nanoTime() - t0) + ")");
      throw e;
    }
  }

  public void note(String line) {
    out.println("  " + line);
  }

  public String elapsed() {
    return seconds(System.nanoTime() - started);
  }

  static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
  }
}
