package dev.cornac.api.cluster;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Normalises the flags of a manifest user as upstream does (upstream: pkg/cluster/util.go,
 * normalizeUserFlags): upper-cased, de-duplicated, LOGIN added unless LOGIN or NOLOGIN is given,
 * NOLOGIN itself dropped, sorted; a flag with its NO form is an error.
 */
public final class UserFlags {
  private static final Set<String> FLAGS =
      Set.of("SUPERUSER", "INHERIT", "LOGIN", "CREATEROLE", "CREATEDB", "REPLICATION", "BYPASSRLS");

  private UserFlags() {}

  public static List<String> normalise(List<String> given) {
    TreeSet<String> flags = new TreeSet<>();
    for (String flag : given == null ? List.<String>of() : given) {
      if (flag == null || flag.isBlank()) {
        throw new IllegalArgumentException(
            "has an empty flag; remove it or write a flag such as login or createdb");
      }
      String f = flag.toUpperCase(Locale.ROOT);
      String base = f.startsWith("NO") ? f.substring(2) : f;
      if (!FLAGS.contains(base)) {
        throw new IllegalArgumentException(
            "unknown flag "
                + flag
                + "; use one of superuser, inherit, login, "
                + "createrole, createdb, replication, bypassrls or their no... forms");
      }
      flags.add(f);
    }
    for (String f : flags) {
      if (!f.startsWith("NO") && flags.contains("NO" + f)) {
        throw new IllegalArgumentException("has both " + f + " and NO" + f + "; keep one of them");
      }
    }
    if (!flags.contains("LOGIN") && !flags.contains("NOLOGIN")) {
      flags.add("LOGIN");
    }
    flags.remove("NOLOGIN");
    return List.copyOf(flags);
  }

  /** A role has a password and a secret unless it is NOLOGIN. */
  public static boolean canLogin(List<String> given) {
    return given == null || given.stream().noneMatch("nologin"::equalsIgnoreCase);
  }
}
