package dev.cornac.local;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cornac.generators.secrets.PasswordGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.TreeMap;

/**
 * The passwords of a local cluster's roles: generated once from {@code SecureRandom} and kept in
 * {@code credentials.json} (0600), with a libpq {@code pgpass} file beside it so that clients need
 * no password on their command line.
 */
public final class LocalCredentials {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final LocalLayout layout;
  private final TreeMap<String, String> passwords;
  private boolean changed;

  private LocalCredentials(LocalLayout layout, TreeMap<String, String> passwords) {
    this.layout = layout;
    this.passwords = passwords;
  }

  public static LocalCredentials load(LocalLayout layout) {
    if (!Files.exists(layout.credentials())) {
      return new LocalCredentials(layout, new TreeMap<>());
    }
    try {
      return new LocalCredentials(
          layout,
          JSON.readValue(
              layout.credentials().toFile(), new TypeReference<TreeMap<String, String>>() {}));
    } catch (IOException e) {
      throw new LocalRuntimeException(
          "cannot read "
              + layout.credentials()
              + " ("
              + e.getClass().getSimpleName()
              + "); restore it from a copy: the roles' passwords are in it",
          e);
    }
  }

  /**
   * The role's password, generated now if it has none. Call {@link #save()} before anything uses
   * it.
   */
  public String passwordOf(String role) {
    return passwords.computeIfAbsent(
        role,
        r -> {
          changed = true;
          return PasswordGenerator.generate();
        });
  }

  public Map<String, String> all() {
    return Map.copyOf(passwords);
  }

  public void save() {
    if (!changed && Files.exists(layout.credentials()) && Files.exists(layout.pgpass())) {
      return;
    }
    try {
      PrivateFiles.write(
          layout.credentials(),
          JSON.writerWithDefaultPrettyPrinter().writeValueAsString(passwords));
    } catch (IOException e) {
      throw new LocalRuntimeException(
          "cannot write " + layout.credentials() + ": " + e.getMessage(), e);
    }
    StringBuilder pgpass = new StringBuilder();
    passwords.forEach(
        (role, password) -> pgpass.append(PgPass.line("127.0.0.1", "*", "*", role, password)));
    PrivateFiles.write(layout.pgpass(), pgpass.toString());
    changed = false;
  }
}
