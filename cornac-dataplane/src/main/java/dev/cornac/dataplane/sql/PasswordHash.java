package dev.cornac.dataplane.sql;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Password hashes as PostgreSQL stores them (upstream: pkg/util/util.go, NewEncryptor): {@code
 * md5<md5(password||user)>} or {@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>}.
 * Unlike upstream, a stored SCRAM hash is checked against the plaintext with its own salt, so an
 * unchanged password is never set again.
 */
public final class PasswordHash {
  private static final Pattern SCRAM =
      Pattern.compile("^SCRAM-SHA-256\\$(\\d+):([^$]+)\\$([^:]+):(.+)$");
  private static final SecureRandom RANDOM = new SecureRandom();
  static final int ITERATIONS = 4096;

  private PasswordHash() {}

  public static String hash(String password, String user, String encryption) {
    if ("md5".equals(encryption)) {
      return md5(password, user);
    }
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return scram(password, salt, ITERATIONS);
  }

  /** Does the stored hash (md5 or SCRAM) belong to this plaintext password? */
  public static boolean matches(String stored, String password, String user) {
    if (stored == null) {
      return false;
    }
    if (stored.startsWith("md5")) {
      return stored.equals(md5(password, user));
    }
    Matcher m = SCRAM.matcher(stored);
    if (!m.matches()) {
      return false;
    }
    byte[] salt = Base64.getDecoder().decode(m.group(2));
    return stored.equals(scram(password, salt, Integer.parseInt(m.group(1))));
  }

  static String md5(String password, String user) {
    try {
      byte[] d =
          MessageDigest.getInstance("MD5")
              .digest((password + user).getBytes(StandardCharsets.UTF_8));
      return "md5" + HexFormat.of().formatHex(d);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String scram(String password, byte[] salt, int iterations) {
    try {
      SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
      byte[] salted =
          f.generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256))
              .getEncoded();
      byte[] clientKey = hmac(salted, "Client Key");
      byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
      byte[] serverKey = hmac(salted, "Server Key");
      Base64.Encoder b64 = Base64.getEncoder();
      return "SCRAM-SHA-256$"
          + iterations
          + ":"
          + b64.encodeToString(salt)
          + "$"
          + b64.encodeToString(storedKey)
          + ":"
          + b64.encodeToString(serverKey);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String message) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
  }
}
