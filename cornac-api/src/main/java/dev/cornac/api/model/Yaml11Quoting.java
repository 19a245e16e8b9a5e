package dev.cornac.api.model;

import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import java.util.regex.Pattern;

/**
 * Quotes every string that a YAML 1.1 reader (PyYAML, Ansible, kubectl's go-yaml for booleans)
 * would take for another type: Jackson's default checker knows YAML 1.2's plain numbers and
 * booleans only, so {@code 2026-12-31} (a date), {@code 12:30} (a base-60 integer), {@code 0x1F},
 * {@code 0b101}, {@code 1_000}, {@code 1e3}, {@code .inf} or {@code =} would change type on the way
 * into such a reader. The patterns are YAML 1.1's implicit types (yaml.org/type: bool, int, float,
 * null, timestamp, merge, value), matched case-insensitively to stay on the safe side.
 */
final class Yaml11Quoting extends StringQuotingChecker.Default {
  private static final Pattern IMPLICIT =
      Pattern.compile(
          String.join(
              "|",
              // bool
              "y|n|yes|no|true|false|on|off",
              // int: binary, octal, decimal with '_', hexadecimal, base 60
              "[-+]?0b[0-1_]+",
              "[-+]?0o?[0-7_]+",
              "[-+]?(0|[1-9][0-9_]*)",
              "[-+]?0x[0-9a-f_]+",
              "[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+",
              // float, with YAML 1.2's exponent without a dot, base 60, infinities and not-a-number
              "[-+]?([0-9][0-9_]*)?\\.[0-9_]*([e][-+]?[0-9]+)?",
              "[-+]?[0-9][0-9_]*[e][-+]?[0-9]+",
              "[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\\.[0-9_]*",
              "[-+]?\\.inf",
              "\\.nan",
              // null, merge and value keys
              "~|null|",
              "<<",
              "=",
              // timestamp: a date, or a date and time
              "[0-9]{4}-[0-9]{2}-[0-9]{2}",
              "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([t]|[ \\t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(\\.[0-9]*)?"
                  + "([ \\t]*(z|[-+][0-9]{1,2}(:[0-9]{2})?))?"),
          Pattern.CASE_INSENSITIVE);

  @Override
  public boolean needToQuoteName(String name) {
    return super.needToQuoteName(name) || IMPLICIT.matcher(name).matches();
  }

  @Override
  public boolean needToQuoteValue(String value) {
    return super.needToQuoteValue(value) || IMPLICIT.matcher(value).matches();
  }
}
