package dev.cornac.api.text;

/**
 * Text from a manifest made safe to print on one terminal line: control characters (a newline that
 * forges a second message, an escape sequence that recolours or clears the screen) and
 * bidirectional overrides (which reorder what the reader sees) are shown as escapes instead of
 * acting.
 */
public final class Printable {
  private Printable() {}

  public static String text(String s) {
    if (s == null) {
      return null;
    }
    StringBuilder b = new StringBuilder(s.length());
    s.codePoints()
        .forEach(
            c -> {
              switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                  if (Character.isISOControl(c)
                      || (c >= 0x202A && c <= 0x202E)
                      || (c >= 0x2066 && c <= 0x2069)) {
                    b.append(String.format("\\u%04X", c));
                  } else {
                    b.appendCodePoint(c);
                  }
                }
              }
            });
    return b.toString();
  }
}
