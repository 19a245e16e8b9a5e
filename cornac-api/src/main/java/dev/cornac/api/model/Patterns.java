package dev.cornac.api.model;

/**
 * The value patterns of upstream's CRD schema, shared by the schema annotations and by {@code
 * ManifestValidator}.
 */
public final class Patterns {
  public static final String CPU = "^(\\d+m|\\d+(\\.\\d{1,3})?)$";
  public static final String MEMORY = "^(\\d+(e\\d+)?|\\d+(\\.\\d+)?(e\\d+)?[EPTGMK]i?)$";
  public static final String POSTGRES_VERSION = "^(14|15|16|17|18)$";
  public static final String CRON = "^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$";
  public static final String MAINTENANCE_WINDOW =
      "^\\ *((Mon|Tue|Wed|Thu|Fri|Sat|Sun):(2[0-3]|[01]?\\d):([0-5]?\\d)|(2[0-3]|[01]?\\d):([0-5]?\\d))-"
          + "((2[0-3]|[01]?\\d):([0-5]?\\d)|(2[0-3]|[01]?\\d):([0-5]?\\d))\\ *$";
  public static final String CLONE_TIMESTAMP =
      "^([0-9]+)-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])[Tt]([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9]|60)"
          + "(\\.[0-9]+)?(([+-]([01][0-9]|2[0-3]):[0-5][0-9]))$";
  private static final String OCTET = "(\\d|[1-9]\\d|1\\d\\d|2[0-4]\\d|25[0-5])";
  private static final String H = "[0-9a-fA-F]{1,4}";
  public static final String CIDR =
      "^("
          + OCTET
          + "\\."
          + OCTET
          + "\\."
          + OCTET
          + "\\."
          + OCTET
          + "\\/(\\d|[1-2]\\d|3[0-2])|(("
          + H
          + ":){7}"
          + H
          + "|("
          + H
          + ":){1,7}:|("
          + H
          + ":){1,6}:"
          + H
          + "|("
          + H
          + ":){1,5}(:"
          + H
          + "){1,2}|("
          + H
          + ":){1,4}(:"
          + H
          + "){1,3}|("
          + H
          + ":){1,3}(:"
          + H
          + "){1,4}|("
          + H
          + ":){1,2}(:"
          + H
          + "){1,5}|"
          + H
          + ":((:"
          + H
          + "){1,6})|:((:"
          + H
          + "){1,7}|:))"
          + "\\/(12[0-8]|1[01][0-9]|[1-9]?[0-9]))$";
  public static final String USER_FLAG =
      "^((no)?(superuser|inherit|login|createrole|createdb|replication|bypassrls)"
          + "|(NO)?(SUPERUSER|INHERIT|LOGIN|CREATEROLE|CREATEDB|REPLICATION|BYPASSRLS))$";
  public static final String USERNAME =
      "^[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-_a-z0-9]*[a-z0-9])?)*$";
  public static final String DATABASE_NAME = "^[a-zA-Z_][a-zA-Z0-9_]*$";
  public static final String DNS_1035 = "^[a-z]([-a-z0-9]*[a-z0-9])?$";

  private Patterns() {}
}
