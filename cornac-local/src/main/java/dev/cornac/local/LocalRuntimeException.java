package dev.cornac.local;

/** A problem the user can act on; the message says what happened and what to do next. */
public final class LocalRuntimeException extends RuntimeException {
  public LocalRuntimeException(String message) {
    super(message);
  }

  public LocalRuntimeException(String message, Throwable cause) {
    super(message, cause);
  }
}
