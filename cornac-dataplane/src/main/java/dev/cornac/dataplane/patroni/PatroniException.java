package dev.cornac.dataplane.patroni;

/**
 * A Patroni call that failed: unreachable, timed out, or refused with its HTTP status and Patroni's
 * own words.
 */
public class PatroniException extends RuntimeException {
  private final int status;

  public PatroniException(String message, int status) {
    super(message);
    this.status = status;
  }

  public PatroniException(String message, Throwable cause) {
    super(message, cause);
    this.status = 0;
  }

  /** The HTTP status, or 0 when Patroni could not be reached. */
  public int status() {
    return status;
  }
}
