package dev.cornac.operator;

/**
 * Test teardown: what a test started, closed in the order given, skipping what it never started.
 */
public final class Closeables {
  private Closeables() {}

  /**
   * Closes every non-null resource, even after one fails; the first failure is thrown, the others
   * suppressed.
   */
  public static void closeAll(AutoCloseable... resources) throws Exception {
    Exception first = null;
    for (AutoCloseable r : resources) {
      if (r == null) {
        continue;
      }
      try {
        r.close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
