package dev.cornac.operator.infrastructure;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.generators.secrets.DesiredRole;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Infrastructure roles (upstream: pkg/controller/util.go, getInfrastructureRoles): login roles the
 * configuration puts into every cluster — monitoring robots and the like — each with its password
 * from a Secret, and optionally flags, memberships and parameters from a ConfigMap of the same
 * name. Parsed here from the secrets' decoded data; loaded once at operator start.
 */
public final class InfrastructureRoles {
  /** One role: the password is the secret's, never shown anywhere else. */
  public record Role(
      String name,
      String password,
      List<String> memberOf,
      List<String> flags,
      Map<String, String> parameters,
      String adminRole) {
    public DesiredRole desired(String namespace) {
      List<String> allFlags = new ArrayList<>(List.of("LOGIN"));
      flags.stream()
          .map(f -> f.toUpperCase(Locale.ROOT))
          .filter(f -> !allFlags.contains(f))
          .forEach(allFlags::add);
      return new DesiredRole(
          name,
          DesiredRole.Origin.INFRASTRUCTURE,
          allFlags,
          memberOf,
          adminRole,
          parameters,
          namespace);
    }
  }

  /** One {@code infrastructure_roles_secrets} entry. */
  public record Definition(
      String namespace,
      String secretName,
      String userKey,
      String passwordKey,
      String roleKey,
      String defaultUser,
      String defaultRole) {}

  private static final Pattern TEMPLATE_KEY = Pattern.compile("^(user|password|inrole)\\d+$");

  private InfrastructureRoles() {}

  /**
   * {@code infrastructure_roles_secrets}: the ConfigMap form ({@code
   * secretname:…,userkey:…,passwordkey:…}; one definition) or the OperatorConfiguration form (a
   * list of objects, held as JSON). Definitions without a secret name, a user key or default user,
   * or a password key are unusable and skipped, as upstream does.
   */
  public static List<Definition> definitions(String text) {
    List<Map<String, String>> raw = new ArrayList<>();
    if (text == null || text.isBlank()) {
      return List.of();
    }
    String trimmed = text.strip();
    if (trimmed.startsWith("[")) {
      try {
        for (JsonNode item : ManifestMapper.json().readTree(trimmed)) {
          Map<String, String> m = new LinkedHashMap<>();
          item.fields()
              .forEachRemaining(
                  e -> m.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().asText()));
          raw.add(m);
        }
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "infrastructure_roles_secrets is not a list of objects: " + e.getMessage());
      }
    } else {
      Map<String, String> m = new LinkedHashMap<>();
      for (String part : trimmed.split(",")) {
        int colon = part.indexOf(':');
        if (colon > 0) {
          m.put(
              part.substring(0, colon).strip().toLowerCase(Locale.ROOT),
              part.substring(colon + 1).strip());
        }
      }
      raw.add(m);
    }
    List<Definition> out = new ArrayList<>();
    for (Map<String, String> m : raw) {
      String secret = m.getOrDefault("secretname", "");
      String userKey = m.getOrDefault("userkey", "");
      String defaultUser = m.getOrDefault("defaultuservalue", "");
      String passwordKey = m.getOrDefault("passwordkey", "");
      if (secret.isEmpty()
          || (userKey.isEmpty() && defaultUser.isEmpty())
          || passwordKey.isEmpty()) {
        continue;
      }
      String ns = "default";
      if (secret.contains("/")) {
        ns = secret.substring(0, secret.indexOf('/'));
        secret = secret.substring(secret.indexOf('/') + 1);
      }
      out.add(
          new Definition(
              ns,
              secret,
              userKey,
              passwordKey,
              m.getOrDefault("rolekey", ""),
              defaultUser,
              m.getOrDefault("defaultrolevalue", "")));
    }
    return out;
  }

  /** The role a definition's secret describes, if it names a user and a password. */
  public static Optional<Role> fromDefinition(Definition d, Map<String, String> data) {
    String user =
        !d.userKey().isEmpty() && data.containsKey(d.userKey())
            ? data.get(d.userKey())
            : d.defaultUser();
    String password = data.get(d.passwordKey());
    if (user == null || user.isEmpty() || password == null || password.isEmpty()) {
      return Optional.empty();
    }
    String inRole =
        !d.roleKey().isEmpty() && data.containsKey(d.roleKey())
            ? data.get(d.roleKey())
            : d.defaultRole();
    return Optional.of(
        new Role(
            user,
            password,
            inRole == null || inRole.isEmpty() ? List.of() : List.of(inRole),
            List.of(),
            Map.of(),
            ""));
  }

  /**
   * The legacy template secret ({@code infrastructure_roles_secret_name}): {@code user1}/{@code
   * password1}/ {@code inrole1}, … until a number is missing, plus plain {@code <role>: <password>}
   * pairs; the ConfigMap of the same name describes roles by name ({@code inrole}, {@code
   * user_flags}, {@code db_parameters}, {@code admin_role}).
   */
  public static List<Role> fromTemplate(
      Map<String, String> data, Map<String, String> descriptions) {
    Map<String, Role> roles = new LinkedHashMap<>();
    for (int i = 1; data.containsKey("user" + i); i++) {
      String name = data.get("user" + i);
      String password = data.getOrDefault("password" + i, "");
      String inRole = data.getOrDefault("inrole" + i, "");
      if (!name.isEmpty() && !password.isEmpty()) {
        roles.put(
            name,
            new Role(
                name,
                password,
                inRole.isEmpty() ? List.of() : List.of(inRole),
                List.of(),
                Map.of(),
                ""));
      }
    }
    new TreeMap<>(data)
        .forEach(
            (key, value) -> {
              Matcher m = TEMPLATE_KEY.matcher(key);
              if (!m.matches() && !value.isEmpty()) {
                roles.putIfAbsent(key, new Role(key, value, List.of(), List.of(), Map.of(), ""));
              }
            });
    List<Role> out = new ArrayList<>();
    for (Role r : roles.values()) {
      out.add(describe(r, descriptions.get(r.name())));
    }
    return out;
  }

  private static Role describe(Role r, String yaml) {
    if (yaml == null || yaml.isBlank()) {
      return r;
    }
    try {
      JsonNode d = ManifestMapper.yaml().readTree(yaml);
      List<String> memberOf = new ArrayList<>(r.memberOf());
      JsonNode inRole = d.path("inrole");
      if (inRole.isArray()) {
        inRole.forEach(n -> memberOf.add(n.asText()));
      } else if (inRole.isTextual()) {
        memberOf.add(inRole.asText());
      }
      List<String> flags = new ArrayList<>();
      d.path("user_flags").forEach(n -> flags.add(n.asText()));
      Map<String, String> parameters = new TreeMap<>();
      d.path("db_parameters")
          .fields()
          .forEachRemaining(e -> parameters.put(e.getKey(), e.getValue().asText()));
      return new Role(
          r.name(),
          r.password(),
          List.copyOf(memberOf),
          List.copyOf(flags),
          Map.copyOf(parameters),
          d.path("admin_role").asText(""));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "the description of infrastructure role " + r.name() + " is not YAML: " + e.getMessage());
    }
  }
}
