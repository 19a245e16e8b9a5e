package dev.cornac.generators.secrets;

/**
 * Where the password of a credential secret comes from. Existing secrets are never regenerated: the operator answers
 * from the secret it already has; new ones get {@link PasswordGenerator} passwords; offline rendering prints a
 * placeholder so that no output ever carries a real secret by accident.
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
}
