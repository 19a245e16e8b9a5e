package dev.cornac.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Kubernetes RBAC as the API server evaluates it, over the Roles, ClusterRoles and their bindings
 * stored in the test API server: a ClusterRoleBinding grants its role everywhere, a RoleBinding
 * only in its namespace. What every authenticated user may do on a real cluster through the
 * bootstrap roles {@code system:basic-user} and {@code system:discovery} is allowed here too:
 * discovery paths, and reviewing one's own rights.
 */
public final class RbacAuthorizer {
  /** One rule of a Role or ClusterRole. */
  public record Rule(
      Set<String> verbs,
      Set<String> apiGroups,
      Set<String> resources,
      Set<String> resourceNames,
      Set<String> nonResourceUrls) {

    static Rule of(JsonNode rule) {
      return new Rule(
          strings(rule.path("verbs")),
          strings(rule.path("apiGroups")),
          strings(rule.path("resources")),
          strings(rule.path("resourceNames")),
          strings(rule.path("nonResourceURLs")));
    }

    boolean allows(RequestAttributes a) {
      if (!a.resourceRequest()) {
        return matches(verbs, a.verb())
            && nonResourceUrls.stream()
                .anyMatch(
                    u ->
                        u.equals(a.path())
                            || u.equals("*")
                            || (u.endsWith("*")
                                && a.path().startsWith(u.substring(0, u.length() - 1))));
      }
      return matches(verbs, a.verb())
          && matches(apiGroups, a.group())
          && resourceMatches(a)
          && (resourceNames.isEmpty() || resourceNames.contains(a.name()));
    }

    private boolean resourceMatches(RequestAttributes a) {
      String full = a.resourceWithSubresource();
      return resources.contains("*")
          || resources.contains(full)
          || (!a.subresource().isEmpty() && resources.contains("*/" + a.subresource()))
          || (!a.subresource().isEmpty() && resources.contains(a.resource() + "/*"));
    }

    private static boolean matches(Set<String> values, String value) {
      return values.contains("*") || values.contains(value);
    }
  }

  private static final List<Rule> EVERY_AUTHENTICATED_USER =
      List.of(
          new Rule(
              Set.of("create"),
              Set.of("authorization.k8s.io"),
              Set.of("selfsubjectaccessreviews", "selfsubjectrulesreviews"),
              Set.of(),
              Set.of()),
          new Rule(
              Set.of("get"),
              Set.of(),
              Set.of(),
              Set.of(),
              Set.of(
                  "/api",
                  "/api/*",
                  "/apis",
                  "/apis/*",
                  "/version",
                  "/version/",
                  "/healthz",
                  "/livez",
                  "/readyz",
                  "/openapi",
                  "/openapi/*")));

  private final Function<String, List<JsonNode>> lister;

  /**
   * @param lister the stored objects at a collection path, e.g. {@code
   *     /apis/rbac.authorization.k8s.io/v1/clusterroles}
   */
  public RbacAuthorizer(Function<String, List<JsonNode>> lister) {
    this.lister = lister;
  }

  public boolean allows(Identity who, RequestAttributes request) {
    if (who.isAdmin()) {
      return true;
    }
    return rules(who, request.namespace()).stream().anyMatch(r -> r.allows(request));
  }

  /** Every rule that applies to a user in a namespace ("" for cluster-scoped requests only). */
  public List<Rule> rules(Identity who, String namespace) {
    List<Rule> out = new ArrayList<>(EVERY_AUTHENTICATED_USER);
    for (JsonNode binding :
        lister.apply("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings")) {
      if (bound(who, binding)) {
        out.addAll(roleRules(binding.path("roleRef"), ""));
      }
    }
    if (!namespace.isEmpty()) {
      for (JsonNode binding :
          lister.apply(
              "/apis/rbac.authorization.k8s.io/v1/namespaces/" + namespace + "/rolebindings")) {
        if (bound(who, binding)) {
          out.addAll(roleRules(binding.path("roleRef"), namespace));
        }
      }
    }
    return out;
  }

  /**
   * The rules of the role a binding refers to: a ClusterRole, or a Role of the binding's namespace.
   */
  public List<Rule> roleRules(JsonNode roleRef, String namespace) {
    String name = roleRef.path("name").asText();
    String path =
        roleRef.path("kind").asText().equals("ClusterRole")
            ? "/apis/rbac.authorization.k8s.io/v1/clusterroles"
            : "/apis/rbac.authorization.k8s.io/v1/namespaces/" + namespace + "/roles";
    List<Rule> out = new ArrayList<>();
    for (JsonNode role : lister.apply(path)) {
      if (role.path("metadata").path("name").asText().equals(name)) {
        role.path("rules").forEach(r -> out.add(Rule.of(r)));
      }
    }
    return out;
  }

  /**
   * Whether binding a role is an escalation: kube-apiserver lets a user bind a role only when the
   * user holds every right the role grants (in the binding's namespace), or may {@code bind} that
   * role.
   */
  public List<String> missingToBind(Identity who, JsonNode roleRef, String namespace) {
    if (who.isAdmin()) {
      return List.of();
    }
    List<Rule> held = rules(who, namespace);
    String roleResource =
        roleRef.path("kind").asText().equals("ClusterRole") ? "clusterroles" : "roles";
    RequestAttributes bind =
        new RequestAttributes(
            "bind",
            true,
            "rbac.authorization.k8s.io",
            "v1",
            namespace,
            roleResource,
            "",
            roleRef.path("name").asText(),
            "",
            Map.of(),
            "");
    if (held.stream().anyMatch(r -> r.allows(bind))) {
      return List.of();
    }
    List<String> missing = new ArrayList<>();
    for (Rule wanted : roleRules(roleRef, namespace)) {
      for (String verb : wanted.verbs()) {
        for (String group : wanted.apiGroups()) {
          for (String resource : wanted.resources()) {
            List<String> names =
                wanted.resourceNames().isEmpty()
                    ? List.of("")
                    : List.copyOf(wanted.resourceNames());
            for (String name : names) {
              if (!covered(held, verb, group, resource, name)) {
                missing.add(
                    verb
                        + " "
                        + (group.isEmpty() ? "" : group + "/")
                        + resource
                        + (name.isEmpty() ? "" : " " + name));
              }
            }
          }
        }
      }
    }
    return missing;
  }

  private static boolean covered(
      List<Rule> held, String verb, String group, String resource, String name) {
    return held.stream()
        .anyMatch(
            r ->
                (r.verbs().contains("*") || r.verbs().contains(verb))
                    && (r.apiGroups().contains("*") || r.apiGroups().contains(group))
                    && (r.resources().contains("*") || r.resources().contains(resource))
                    && (r.resourceNames().isEmpty()
                        || (!name.isEmpty() && r.resourceNames().contains(name))));
  }

  private static boolean bound(Identity who, JsonNode binding) {
    for (JsonNode s : binding.path("subjects")) {
      String kind = s.path("kind").asText();
      String name = s.path("name").asText();
      boolean match =
          switch (kind) {
            case "ServiceAccount" ->
                who.user()
                    .equals("system:serviceaccount:" + s.path("namespace").asText() + ":" + name);
            case "User" -> who.user().equals(name);
            case "Group" -> who.groups().contains(name);
            default -> false;
          };
      if (match) {
        return true;
      }
    }
    return false;
  }

  private static Set<String> strings(JsonNode array) {
    Set<String> out = new LinkedHashSet<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
