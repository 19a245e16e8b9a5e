package dev.cornac.ui;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who may use the UI. Basic mode: one user and password given from a Secret. Token mode: a
 * Kubernetes token, checked with a TokenReview, and each write checked with a SubjectAccessReview
 * on {@code postgresqls.acid.zalan.do}, so a user can do in the UI exactly what RBAC lets them do
 * with kubectl.
 */
public final class Authenticator {
  /**
   * A user as Kubernetes' authenticator names them. A SubjectAccessReview must repeat all of it:
   * RBAC bindings to a group (the usual way to grant a team its rights) match only when the review
   * carries the user's groups.
   */
  public record User(
      String name, List<String> groups, String uid, Map<String, List<String>> extra) {
    /** The basic-mode user: a name and nothing Kubernetes knows about. */
    static User named(String name) {
      return new User(name, List.of(), null, Map.of());
    }

    static User of(UserInfo info) {
      return new User(
          info.getUsername(),
          info.getGroups() == null ? List.of() : List.copyOf(info.getGroups()),
          info.getUid(),
          info.getExtra() == null ? Map.of() : Map.copyOf(info.getExtra()));
    }
  }

  private final UiSettings settings;
  private final KubernetesClient client;

  public Authenticator(UiSettings settings, KubernetesClient client) {
    this.settings = settings;
    this.client = client;
  }

  public UiSettings.AuthMode mode() {
    return settings.auth();
  }

  /** The user name for a password (basic mode), compared in constant time. */
  public Optional<User> password(String user, String password) {
    if (settings.auth() != UiSettings.AuthMode.BASIC || user == null || password == null) {
      return Optional.empty();
    }
    boolean userOk =
        MessageDigest.isEqual(
            user.getBytes(StandardCharsets.UTF_8),
            settings.username().getBytes(StandardCharsets.UTF_8));
    boolean passwordOk =
        MessageDigest.isEqual(
            password.getBytes(StandardCharsets.UTF_8),
            settings.password().getBytes(StandardCharsets.UTF_8));
    return userOk && passwordOk ? Optional.of(User.named(user)) : Optional.empty();
  }

  /** The user a token belongs to (token mode), with their groups, from a TokenReview. */
  public Optional<User> token(String token) {
    if (settings.auth() != UiSettings.AuthMode.TOKEN || token == null || token.isBlank()) {
      return Optional.empty();
    }
    TokenReview review =
        client
            .authentication()
            .v1()
            .tokenReviews()
            .create(new TokenReviewBuilder().withNewSpec().withToken(token).endSpec().build());
    if (review.getStatus() == null
        || !Boolean.TRUE.equals(review.getStatus().getAuthenticated())
        || review.getStatus().getUser() == null
        || review.getStatus().getUser().getUsername() == null) {
      return Optional.empty();
    }
    return Optional.of(User.of(review.getStatus().getUser()));
  }

  /**
   * Whether the user may {@code verb} postgresqls in the namespace: always in basic mode (one
   * trusted user), by a SubjectAccessReview in token mode.
   */
  public boolean allowed(User user, String verb, String namespace) {
    if (settings.auth() == UiSettings.AuthMode.BASIC) {
      return true;
    }
    SubjectAccessReview review =
        client
            .authorization()
            .v1()
            .subjectAccessReview()
            .create(
                new SubjectAccessReviewBuilder()
                    .withNewSpec()
                    .withUser(user.name())
                    .withGroups(user.groups())
                    .withUid(user.uid())
                    .withExtra(user.extra())
                    .withNewResourceAttributes()
                    .withGroup("acid.zalan.do")
                    .withResource("postgresqls")
                    .withVerb(verb)
                    .withNamespace(namespace)
                    .endResourceAttributes()
                    .endSpec()
                    .build());
    return review.getStatus() != null && Boolean.TRUE.equals(review.getStatus().getAllowed());
  }
}
