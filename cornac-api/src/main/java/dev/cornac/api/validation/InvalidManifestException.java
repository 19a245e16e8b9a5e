package dev.cornac.api.validation;

import java.util.List;
import java.util.stream.Collectors;

/** A manifest with errors; the message lists each error on its own line. */
public class InvalidManifestException extends RuntimeException {
  private final List<Violation> errors;

  public InvalidManifestException(List<Violation> errors) {
    super(errors.stream().map(Violation::message).collect(Collectors.joining("\n")));
    this.errors = List.copyOf(errors);
  }

  public List<Violation> errors() {
    return errors;
  }
}
