package dev.cornac.generators.secrets;

import java.security.SecureRandom;

/** Passwords as upstream makes them: 64 characters of [a-zA-Z0-9], from {@link SecureRandom}. */
public final class PasswordGenerator {
  public static final int LENGTH = 64;
  private static final String ALPHABET =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private PasswordGenerator() {}

  public static String generate() {
    char[] chars = new char[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      chars[i] = ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length()));
    }
    return new String(chars);
  }
}
