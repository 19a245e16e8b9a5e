package dev.cornac.generators.secrets;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Where the password of a credential secret comes from. Existing secrets are never regenerated: the
 * operator answers from the secret it already has; new ones get {@link PasswordGenerator}
 * passwords; offline rendering prints a placeholder so that no output ever carries a real secret by
 * accident.
 */
@FunctionalInterface
public interface Credentials {
  String PLACEHOLDER = "<generated-when-the-secret-is-created>";

  String password(String secretName, String username);

  static Credentials placeholder() {
    return (secret, user) -> PLACEHOLDER;
  }

  static Credentials random() {
    return (secret, user) -> PasswordGenerator.generate();
  }

  /**
   * The password already stored in a secret, else a new random one — remembered, so that the
   * credential secret and the pooler's userlist generated in the same pass agree.
   */
  static Credentials keepingExisting(Function<String, Optional<String>> existing) {
    Map<String, String> fresh = new ConcurrentHashMap<>();
    return (secret, user) ->
        existing
            .apply(secret)
            .orElseGet(() -> fresh.computeIfAbsent(secret, s -> PasswordGenerator.generate()));
  }
}
