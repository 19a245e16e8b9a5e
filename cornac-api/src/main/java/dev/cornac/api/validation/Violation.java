package dev.cornac.api.validation;

import dev.cornac.api.text.Printable;

/**
 * One problem in a manifest: the field (JSON path), the offending value, what is wrong and what
 * would be accepted.
 */
public record Violation(Severity severity, String field, String value, String problem, String fix) {
  public enum Severity {
    ERROR,
    WARNING
  }

  public static Violation error(String field, Object value, String problem, String fix) {
    return new Violation(
        Severity.ERROR, field, value == null ? null : String.valueOf(value), problem, fix);
  }

  public static Violation warning(String field, Object value, String problem, String fix) {
    return new Violation(
        Severity.WARNING, field, value == null ? null : String.valueOf(value), problem, fix);
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /**
   * {@code spec.numberOfInstances: "-1" must be >= 0; use 0 or more instances}, printable on one
   * line.
   */
  public String message() {
    StringBuilder b = new StringBuilder(field).append(": ");
    if (value != null) {
      b.append('"').append(value).append("\" ");
    }
    b.append(problem);
    if (fix != null && !fix.isEmpty()) {
      b.append("; ").append(fix);
    }
    return Printable.text(b.toString());
  }

  @Override
  public String toString() {
    return message();
  }
}
