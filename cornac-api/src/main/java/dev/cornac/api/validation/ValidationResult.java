package dev.cornac.api.validation;

import dev.cornac.api.model.Postgresql;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of reading one manifest: the resource when it could be read, and every problem found.
 */
public record ValidationResult(Optional<Postgresql> resource, List<Violation> violations) {
  public List<Violation> errors() {
    return violations.stream().filter(Violation::isError).toList();
  }

  public List<Violation> warnings() {
    return violations.stream().filter(v -> !v.isError()).toList();
  }

  public boolean isValid() {
    return resource.isPresent() && errors().isEmpty();
  }

  /** The valid resource, or an exception listing every error. */
  public Postgresql orThrow() {
    if (!isValid()) {
      throw new InvalidManifestException(errors());
    }
    return resource.get();
  }
}
