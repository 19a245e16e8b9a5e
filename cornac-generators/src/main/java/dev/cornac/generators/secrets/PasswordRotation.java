package dev.cornac.generators.secrets;

import dev.cornac.generators.Cluster;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Password rotation (upstream: pkg/cluster/sync.go, checkForPasswordRotation and
 * rotatePasswordInSecret), as pure decisions: which roles rotate and how, and what a credential
 * secret holds after this sync. The state lives in the secret: {@code nextRotation} (RFC 3339). A
 * new-user rotation puts {@code <role><YYMMDD>} and a new password in the secret (the role itself
 * keeps its old password); an in-place one changes the password only.
 */
public final class PasswordRotation {
  public enum Mode {
    NONE,
    NEW_USER,
    IN_PLACE
  }

  public static final String NEXT_ROTATION = "nextRotation";
  private static final DateTimeFormatter SUFFIX =
      DateTimeFormatter.ofPattern("yyMMdd").withZone(ZoneOffset.UTC);

  /** What a credential secret holds now. */
  public record SecretState(String username, String password, String nextRotation) {}

  /** What it must hold after this sync; {@code rotated} when the password changed. */
  public record Decision(String username, String password, String nextRotation, boolean rotated) {}

  private PasswordRotation() {}

  public static Mode mode(Cluster c, DesiredRole role) {
    if (c.isStandby() || !role.canLogin()) {
      return Mode.NONE;
    }
    var spec = c.spec();
    if (contains(spec.usersWithInPlaceSecretRotation, role.name())) {
      return Mode.IN_PLACE;
    }
    if (role.origin() == DesiredRole.Origin.SYSTEM) {
      return Mode.NONE;
    }
    if (contains(spec.usersWithSecretRotation, role.name())) {
      return Mode.NEW_USER;
    }
    boolean bootstrap =
        role.origin() == DesiredRole.Origin.MANIFEST
            || role.origin() == DesiredRole.Origin.PREPARED_DATABASE;
    boolean owner = spec.databases != null && spec.databases.containsValue(role.name());
    if (c.config().bool("enable_password_rotation")
        && bootstrap
        && !owner
        && !contains(spec.usersIgnoringSecretRotation, role.name())) {
      return Mode.NEW_USER;
    }
    return Mode.NONE;
  }

  public static Optional<Decision> decide(
      Mode mode,
      String role,
      SecretState current,
      Instant now,
      long intervalDays,
      Supplier<String> newPassword) {
    Duration interval = Duration.ofDays(Math.max(1, intervalDays));
    if (mode == Mode.NONE) {
      // Rotation switched off after a new-user rotation: the secret goes back to the role itself.
      return isRotatedName(role, current.username())
          ? Optional.of(new Decision(role, newPassword.get(), "", true))
          : Optional.empty();
    }
    Optional<Instant> next = parse(current.nextRotation());
    Instant cap = now.plus(interval);
    if (next.isEmpty()) {
      return Optional.of(new Decision(current.username(), current.password(), format(cap), false));
    }
    boolean leavingNewUser = mode == Mode.IN_PLACE && isRotatedName(role, current.username());
    if (now.isAfter(next.get()) || leavingNewUser) {
      String username = mode == Mode.NEW_USER ? rotatedName(role, now) : role;
      return Optional.of(new Decision(username, newPassword.get(), format(cap), true));
    }
    if (next.get().isAfter(cap)) {
      // The interval was shortened: the next rotation comes no later than one new interval from
      // now.
      return Optional.of(new Decision(current.username(), current.password(), format(cap), false));
    }
    return Optional.empty();
  }

  /**
   * The dated login role of a new-user rotation, {@code <role><YYMMDD>} on the operator's clock, in
   * UTC.
   */
  public static String rotatedName(String role, Instant now) {
    return role + SUFFIX.format(now);
  }

  /** Whether {@code username} is a dated role of a new-user rotation of {@code role}. */
  public static boolean isRotatedName(String role, String username) {
    return username != null
        && username.length() == role.length() + 6
        && username.startsWith(role)
        && username.substring(role.length()).chars().allMatch(Character::isDigit);
  }

  /**
   * How long dated roles are kept: the configured retention, at least two intervals (upstream:
   * docs/reference/operator_parameters.md, password_rotation_user_retention).
   */
  public static long retentionDays(Cluster c) {
    long interval = c.config().integerOr("password_rotation_interval", 90);
    return Math.max(c.config().integerOr("password_rotation_user_retention", 180), 2 * interval);
  }

  private static Optional<Instant> parse(String value) {
    if (value == null || value.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(value));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static String format(Instant t) {
    return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
  }

  private static boolean contains(List<String> list, String name) {
    return list != null && list.contains(name);
  }
}
