package dev.cornac.ui;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Browser sessions after a login: an unguessable id in an HttpOnly, SameSite=Strict cookie, and a
 * CSRF token the page must send back in a header on every write (the cookie alone never authorises
 * a write).
 */
public final class Sessions {
  public static final String COOKIE = "cornac_session";
  public static final String CSRF_HEADER = "X-CSRF-Token";
  static final Duration IDLE = Duration.ofHours(8);

  /**
   * Who is logged in; {@code bearer} is the Kubernetes token in token mode (checked again on each
   * write).
   */
  public record Session(String id, String user, String csrf, String bearer, Instant lastSeen) {}

  private final SecureRandom random = new SecureRandom();
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Clock clock;

  public Sessions(Clock clock) {
    this.clock = clock;
  }

  public Session open(String user, String bearer) {
    Session s = new Session(token(), user, token(), bearer, clock.instant());
    sessions.put(s.id(), s);
    return s;
  }

  public Optional<Session> find(String id) {
    if (id == null) {
      return Optional.empty();
    }
    Session s = sessions.get(id);
    if (s == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    if (s.lastSeen().plus(IDLE).isBefore(now)) {
      sessions.remove(id);
      return Optional.empty();
    }
    Session touched = new Session(s.id(), s.user(), s.csrf(), s.bearer(), now);
    sessions.put(id, touched);
    return Optional.of(touched);
  }

  public void close(String id) {
    if (id != null) {
      sessions.remove(id);
    }
  }

  private String token() {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
