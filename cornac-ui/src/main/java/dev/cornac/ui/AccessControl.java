package dev.cornac.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cornac.api.model.ManifestMapper;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * Who may do what in the UI: sessions (an HttpOnly, SameSite=Strict cookie; a CSRF token every
 * write must send back), Basic or Bearer for API clients, read-only mode, the owning team, the
 * confined namespace, and in token mode Kubernetes' own RBAC (SubjectAccessReview) for every write.
 */
final class AccessControl {
  private static final ObjectMapper JSON = ManifestMapper.json();

  /** What a request may do, once authenticated. */
  record Principal(Authenticator.User user, Optional<Sessions.Session> session, String bearer) {}

  private final UiSettings settings;
  private final Authenticator auth;
  private final AuditLog audit;
  private final Sessions sessions = new Sessions(Clock.systemUTC());

  AccessControl(UiSettings settings, Authenticator auth, AuditLog audit) {
    this.settings = settings;
    this.auth = auth;
    this.audit = audit;
  }

  /**
   * Opens a session (a cookie) for a user name and password, or a Kubernetes token; answers the
   * CSRF token.
   */
  ObjectNode login(Context ctx) throws Exception {
    JsonNode body = JSON.readTree(ctx.body());
    Optional<Authenticator.User> user;
    String bearer = null;
    if (settings.auth() == UiSettings.AuthMode.BASIC) {
      user = auth.password(body.path("username").asText(null), body.path("password").asText(null));
    } else {
      bearer = body.path("token").asText(null);
      user = auth.token(bearer);
    }
    if (user.isEmpty()) {
      audit.loginFailed(body.path("username").asText(null), "login", ctx.ip());
      throw new HttpError(
          401,
          settings.auth() == UiSettings.AuthMode.BASIC
              ? "wrong user name or password"
              : "the token was not accepted by Kubernetes (TokenReview)");
    }
    Sessions.Session s = sessions.open(user.get().name(), bearer);
    Cookie cookie = new Cookie(Sessions.COOKIE, s.id());
    cookie.setHttpOnly(true);
    cookie.setPath("/");
    cookie.setSameSite(SameSite.STRICT);
    ctx.cookie(cookie);
    return JSON.createObjectNode().put("user", s.user()).put("csrf", s.csrf());
  }

  void logout(Context ctx) {
    sessions.close(ctx.cookie(Sessions.COOKIE));
    ctx.removeCookie(Sessions.COOKIE, "/");
  }

  /**
   * The caller: a browser session, or an Authorization header (Basic or Bearer, for API clients). A
   * header that is sent but not accepted is a 401 even where anonymous reads are allowed: a client
   * with a mistyped password must learn it, not browse on as anonymous.
   */
  Optional<Principal> principal(Context ctx) {
    Optional<Sessions.Session> session = sessions.find(ctx.cookie(Sessions.COOKIE));
    if (session.isPresent()) {
      return Optional.of(
          new Principal(
              Authenticator.User.named(session.get().user()), session, session.get().bearer()));
    }
    String header = ctx.header("Authorization");
    if (header == null) {
      return Optional.empty();
    }
    Optional<Principal> p = fromHeader(header);
    if (p.isEmpty()) {
      audit.loginFailed(basicUser(header), "Authorization header", ctx.ip());
      throw new HttpError(401, "the credentials in the Authorization header were not accepted");
    }
    return p;
  }

  private Optional<Principal> fromHeader(String header) {
    if (header.startsWith("Basic ")) {
      Optional<String> decoded = basic(header);
      int colon = decoded.map(d -> d.indexOf(':')).orElse(-1);
      return colon < 0
          ? Optional.empty()
          : auth.password(decoded.get().substring(0, colon), decoded.get().substring(colon + 1))
              .map(u -> new Principal(u, Optional.empty(), null));
    }
    if (header.startsWith("Bearer ")) {
      String token = header.substring(7).strip();
      return auth.token(token).map(u -> new Principal(u, Optional.empty(), token));
    }
    return Optional.empty();
  }

  /** The {@code user:password} of a Basic header, if it decodes. */
  private static Optional<String> basic(String header) {
    try {
      return Optional.of(
          new String(
              Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * The user name a refused Basic header claimed, for the audit line; nothing from a token or a
   * password.
   */
  private static String basicUser(String header) {
    if (!header.startsWith("Basic ")) {
      return null;
    }
    return basic(header)
        .filter(d -> d.indexOf(':') >= 0)
        .map(d -> d.substring(0, d.indexOf(':')))
        .orElse(null);
  }

  /** A read: anyone logged in, or anybody with CORNAC_UI_ANONYMOUS_READ. */
  Optional<Principal> reader(Context ctx) {
    Optional<Principal> p = principal(ctx);
    if (p.isEmpty() && !settings.anonymousRead()) {
      throw new HttpError(401, "log in first");
    }
    return p;
  }

  /**
   * A write: logged in, CSRF token for browser sessions, not read-only, owning team, RBAC in token
   * mode. A refusal goes to the audit trail; the answer names the write for the caller to record
   * how it ends.
   */
  AuditLog.Write writer(Context ctx, String verb, String namespace, String cluster, String team) {
    Optional<Principal> p = principal(ctx);
    AuditLog.Write write =
        new AuditLog.Write(
            p.map(x -> x.user().name()).orElse("anonymous"), verb, namespace, cluster);
    try {
      allowWrite(
          ctx,
          p.orElseThrow(() -> new HttpError(401, "log in to make changes")),
          verb,
          namespace,
          team);
    } catch (HttpError e) {
      audit.refused(write, e.getMessage());
      throw e;
    } catch (KubernetesClientException e) {
      audit.failed(write, e.getCode());
      throw e;
    }
    return write;
  }

  private void allowWrite(Context ctx, Principal p, String verb, String namespace, String team) {
    if (p.session().isPresent()) {
      String sent = ctx.header(Sessions.CSRF_HEADER);
      if (sent == null
          || !MessageDigest.isEqual(
              sent.getBytes(StandardCharsets.UTF_8),
              p.session().get().csrf().getBytes(StandardCharsets.UTF_8))) {
        throw new HttpError(
            403, "missing or wrong " + Sessions.CSRF_HEADER + " header; reload the page");
      }
    }
    if (settings.readOnly()) {
      throw new HttpError(403, "UI is in read-only mode for production");
    }
    guardNamespace(namespace);
    String owner = team == null ? "" : team.toLowerCase(Locale.ROOT);
    boolean member =
        settings.teams().stream()
            .map(t -> t.toLowerCase(Locale.ROOT))
            .anyMatch(
                t ->
                    t.equals(settings.superuserTeam().toLowerCase(Locale.ROOT)) || t.equals(owner));
    if (!member) {
      throw new HttpError(401, "Not a member of the owning team");
    }
    Authenticator.User who = p.user();
    if (settings.auth() == UiSettings.AuthMode.TOKEN && p.session().isPresent()) {
      // A session keeps the token, not what it stood for: reviewed again, the check sees the user's
      // groups (which
      // RBAC bindings name) as they are now, and a revoked token writes nothing.
      who =
          auth.token(p.bearer())
              .orElseThrow(
                  () ->
                      new HttpError(
                          401,
                          "Kubernetes no longer accepts the token "
                              + "of this session (TokenReview); log in again"));
    }
    if (!auth.allowed(who, verb, namespace)) {
      throw new HttpError(
          403,
          who.name()
              + " may not "
              + verb
              + " postgresqls in namespace "
              + namespace
              + " (Kubernetes RBAC)");
    }
  }

  /** With TARGET_NAMESPACE set, nothing outside it is shown or changed. */
  void guardNamespace(String namespace) {
    String confined = settings.confinedNamespace();
    if (confined != null && !confined.equals(namespace)) {
      throw new HttpError(403, "The Kubernetes namespace must be " + confined);
    }
  }
}
