package dev.cornac.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cornac.api.config.OperatorConfig;
import dev.cornac.api.model.ManifestMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The UI's settings, from upstream's environment variables ({@code TARGET_NAMESPACE}, {@code
 * TEAMS}, {@code OPERATOR_API_URL}, {@code OPERATOR_UI_CONFIG}, {@code READ_ONLY_MODE}, {@code
 * SUPERUSER_TEAM}, {@code SERVER_PORT}, {@code OPERATOR_CLUSTER_NAME_LABEL}), Cornac's {@code
 * OPERATOR_POD_ROLE_LABEL} (the operator's {@code pod_role_label}) and Cornac's for authentication:
 * {@code CORNAC_UI_AUTH} ({@code basic}: {@code CORNAC_UI_USERNAME}/{@code CORNAC_UI_PASSWORD},
 * given from a Secret; {@code token}: Kubernetes TokenReview and SubjectAccessReview) and {@code
 * CORNAC_UI_ANONYMOUS_READ}.
 */
public record UiSettings(
    String targetNamespace,
    List<String> teams,
    String operatorApiUrl,
    ObjectNode uiConfig,
    boolean readOnly,
    String superuserTeam,
    int port,
    String clusterNameLabel,
    String podRoleLabel,
    AuthMode auth,
    String username,
    String password,
    boolean anonymousRead) {

  public enum AuthMode {
    BASIC,
    TOKEN
  }

  public static final List<String> POSTGRES_VERSIONS = List.of("14", "15", "16", "17", "18");

  /**
   * Reads the environment; a bad value is an IllegalArgumentException that names the variable and
   * the fix.
   */
  public static UiSettings fromEnvironment(Map<String, String> env) {
    List<String> teams = new ArrayList<>();
    String teamsJson = env.getOrDefault("TEAMS", "[\"acid\"]");
    try {
      ManifestMapper.json().readTree(teamsJson).forEach(t -> teams.add(t.asText()));
    } catch (Exception e) {
      throw new IllegalArgumentException(
          "TEAMS must be a JSON list of team ids, like [\"acid\"]; got " + teamsJson);
    }
    ObjectNode config = defaults();
    String custom = env.get("OPERATOR_UI_CONFIG");
    if (custom != null && !custom.isBlank()) {
      try {
        JsonNode overrides = ManifestMapper.json().readTree(custom);
        if (!overrides.isObject()) {
          throw new IllegalArgumentException("not an object");
        }
        config.setAll((ObjectNode) overrides);
      } catch (Exception e) {
        throw new IllegalArgumentException(
            "OPERATOR_UI_CONFIG must be a JSON object of UI settings; " + e.getMessage());
      }
    }
    String authText = env.getOrDefault("CORNAC_UI_AUTH", "basic").toLowerCase(Locale.ROOT);
    AuthMode auth =
        switch (authText) {
          case "basic" -> AuthMode.BASIC;
          case "token" -> AuthMode.TOKEN;
          default ->
              throw new IllegalArgumentException(
                  "CORNAC_UI_AUTH must be basic or token; got " + authText);
        };
    String user = env.getOrDefault("CORNAC_UI_USERNAME", "");
    String password = env.getOrDefault("CORNAC_UI_PASSWORD", "");
    if (auth == AuthMode.BASIC && (user.isEmpty() || password.isEmpty())) {
      throw new IllegalArgumentException(
          "CORNAC_UI_AUTH=basic needs CORNAC_UI_USERNAME and CORNAC_UI_PASSWORD "
              + "(give them from a Secret, see manifests/ui/deployment.yaml), or use CORNAC_UI_AUTH=token");
    }
    int port;
    try {
      port = Integer.parseInt(env.getOrDefault("SERVER_PORT", "8081"));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "SERVER_PORT must be a port number; got " + env.get("SERVER_PORT"));
    }
    return new UiSettings(
        env.getOrDefault("TARGET_NAMESPACE", ""),
        List.copyOf(teams),
        env.getOrDefault("OPERATOR_API_URL", "http://postgres-operator:8080"),
        config,
        Boolean.parseBoolean(env.getOrDefault("READ_ONLY_MODE", "false")),
        env.getOrDefault("SUPERUSER_TEAM", "acid"),
        port,
        env.getOrDefault(
            "OPERATOR_CLUSTER_NAME_LABEL", OperatorConfig.defaults().clusterNameLabel()),
        env.getOrDefault("OPERATOR_POD_ROLE_LABEL", OperatorConfig.defaults().podRoleLabel()),
        auth,
        user,
        password,
        Boolean.parseBoolean(env.getOrDefault("CORNAC_UI_ANONYMOUS_READ", "false")));
  }

  /**
   * Upstream's UI defaults (upstream: ui/operator_ui/main.py, DEFAULT_UI_CONFIG) for what the pages
   * use.
   */
  static ObjectNode defaults() {
    ObjectNode c = ManifestMapper.json().createObjectNode();
    c.set("postgresql_versions", ManifestMapper.json().valueToTree(POSTGRES_VERSIONS));
    c.put("dns_format_string", "{0}.{1}");
    c.put("docs_link", "https://github.com/zalando/postgres-operator");
    c.put("resources_visible", true);
    c.put("users_visible", true);
    c.put("databases_visible", true);
    c.put("master_load_balancer_visible", true);
    c.put("replica_load_balancer_visible", true);
    c.put("connection_pooler_visible", true);
    c.put("replica_connection_pooler_visible", true);
    c.put("master_pooler_load_balancer_visible", true);
    c.put("replica_pooler_load_balancer_visible", true);
    return c;
  }

  /**
   * The operator configuration the UI assumes where it derives what the operator would do (the
   * edit's plan, the secrets' names): upstream's defaults with the labels it was given.
   */
  public OperatorConfig operatorConfig() {
    return OperatorConfig.defaults()
        .with("cluster_name_label", clusterNameLabel)
        .with("pod_role_label", podRoleLabel);
  }

  /** The namespace every request is confined to; null when all namespaces are allowed. */
  public String confinedNamespace() {
    return targetNamespace.isEmpty() || "*".equals(targetNamespace) ? null : targetNamespace;
  }
}
