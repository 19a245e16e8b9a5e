package dev.cornac.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** A request refused, with the HTTP status and the words the page shows. */
final class HttpError extends RuntimeException {
  final int status;

  HttpError(int status, String message) {
    super(message);
    this.status = status;
  }

  /**
   * The status the UI answers a failure with: the one mapping, for the answer and for the audit
   * trail.
   */
  static int statusOf(Exception e) {
    if (e instanceof HttpError h) {
      return h.status;
    }
    if (e instanceof KubernetesClientException k) {
      return k.getCode() >= 400 && k.getCode() < 600 ? k.getCode() : 502;
    }
    if (e instanceof IllegalStateException) {
      return 502;
    }
    if (e instanceof JsonProcessingException || e instanceof NumberFormatException) {
      return 400;
    }
    return 500;
  }
}
