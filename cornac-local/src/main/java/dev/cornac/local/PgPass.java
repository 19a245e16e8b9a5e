package dev.cornac.local;

/** Lines of a libpq password file (pgpass): one place for its format and escaping. */
public final class PgPass {
  private PgPass() {}

  /**
   * {@code host:port:database:user:password}, with {@code :} and {@code \} escaped in every field.
   */
  public static String line(
      String host, String port, String database, String user, String password) {
    return String.join(
            ":", escape(host), escape(port), escape(database), escape(user), escape(password))
        + "\n";
  }

  private static String escape(String field) {
    return "*".equals(field) ? field : field.replace("\\", "\\\\").replace(":", "\\:");
  }
}
