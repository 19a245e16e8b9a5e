package dev.cornac.ui;

/** A request refused, with the HTTP status and the words the page shows. */
final class HttpError extends RuntimeException {
  final int status;

  HttpError(int status, String message) {
    super(message);
    this.status = status;
  }
}
