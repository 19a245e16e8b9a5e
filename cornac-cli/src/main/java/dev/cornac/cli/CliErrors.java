package dev.cornac.cli;

/** Exit codes and the one-line description of an unexpected failure. */
final class CliErrors {
  static final int EXIT_OK = 0;
  static final int EXIT_INVALID = 1;
  static final int EXIT_ERROR = 2;

  private CliErrors() {}

  static String describe(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && (t.getMessage() == null || t.getMessage().isEmpty())) {
      t = t.getCause();
    }
    String message = t.getMessage();
    return message == null || message.isEmpty() ? t.getClass().getSimpleName() : message;
  }
}
