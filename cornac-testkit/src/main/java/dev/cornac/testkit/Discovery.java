package dev.cornac.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The discovery documents kubectl reads before anything else ({@code /api}, {@code /apis}, {@code
 * /api/v1}, {@code /apis/GROUP/VERSION}): the built-in kinds Cornac and its tests touch, and every
 * stored CRD. Aggregated discovery is not served; kubectl falls back to these legacy documents, as
 * it does against older servers.
 */
final class Discovery {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final List<String> ALL =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  /** One kind: plural, kind, namespaced, and its subresources. */
  private record Kind(String plural, String kind, boolean namespaced, List<String> subresources) {}

  private static final Map<String, List<Kind>> BUILT_IN = new LinkedHashMap<>();

  static {
    BUILT_IN.put(
        "v1",
        List.of(
            new Kind("pods", "Pod", true, List.of("status", "exec", "portforward", "log")),
            new Kind("services", "Service", true, List.of("status")),
            new Kind("endpoints", "Endpoints", true, List.of()),
            new Kind("configmaps", "ConfigMap", true, List.of()),
            new Kind("secrets", "Secret", true, List.of()),
            new Kind("serviceaccounts", "ServiceAccount", true, List.of()),
            new Kind("events", "Event", true, List.of()),
            new Kind("persistentvolumeclaims", "PersistentVolumeClaim", true, List.of("status")),
            new Kind("persistentvolumes", "PersistentVolume", false, List.of("status")),
            new Kind("namespaces", "Namespace", false, List.of("status")),
            new Kind("nodes", "Node", false, List.of("status"))));
    BUILT_IN.put(
        "apps/v1",
        List.of(
            new Kind("statefulsets", "StatefulSet", true, List.of("status", "scale")),
            new Kind("deployments", "Deployment", true, List.of("status", "scale"))));
    BUILT_IN.put(
        "batch/v1",
        List.of(
            new Kind("cronjobs", "CronJob", true, List.of("status")),
            new Kind("jobs", "Job", true, List.of("status"))));
    BUILT_IN.put(
        "policy/v1",
        List.of(new Kind("poddisruptionbudgets", "PodDisruptionBudget", true, List.of("status"))));
    BUILT_IN.put(
        "rbac.authorization.k8s.io/v1",
        List.of(
            new Kind("roles", "Role", true, List.of()),
            new Kind("rolebindings", "RoleBinding", true, List.of()),
            new Kind("clusterroles", "ClusterRole", false, List.of()),
            new Kind("clusterrolebindings", "ClusterRoleBinding", false, List.of())));
    BUILT_IN.put("coordination.k8s.io/v1", List.of(new Kind("leases", "Lease", true, List.of())));
    BUILT_IN.put(
        "apiextensions.k8s.io/v1",
        List.of(
            new Kind(
                "customresourcedefinitions",
                "CustomResourceDefinition",
                false,
                List.of("status"))));
    BUILT_IN.put(
        "storage.k8s.io/v1", List.of(new Kind("storageclasses", "StorageClass", false, List.of())));
    BUILT_IN.put(
        "authorization.k8s.io/v1",
        List.of(
            new Kind("selfsubjectrulesreviews", "SelfSubjectRulesReview", false, List.of()),
            new Kind("selfsubjectaccessreviews", "SelfSubjectAccessReview", false, List.of()),
            new Kind("subjectaccessreviews", "SubjectAccessReview", false, List.of())));
    BUILT_IN.put(
        "authentication.k8s.io/v1",
        List.of(new Kind("tokenreviews", "TokenReview", false, List.of())));
  }

  private final Supplier<List<JsonNode>> crds;

  Discovery(Supplier<List<JsonNode>> crds) {
    this.crds = crds;
  }

  /** The discovery document for a path, or null when the path is no discovery path. */
  MockResponse answer(String path) {
    String p = path.replaceAll("/+$", "");
    if (p.equals("/api")) {
      ObjectNode versions = F.objectNode().put("kind", "APIVersions");
      versions.putArray("versions").add("v1");
      versions.putArray("serverAddressByClientCIDRs");
      return ok(versions);
    }
    if (p.equals("/apis")) {
      return ok(groups());
    }
    Map<String, List<Kind>> all = kinds();
    String groupVersion =
        p.startsWith("/api/")
            ? p.substring("/api/".length())
            : p.startsWith("/apis/") ? p.substring("/apis/".length()) : null;
    if (groupVersion != null && all.containsKey(groupVersion)) {
      return ok(resources(groupVersion, all.get(groupVersion)));
    }
    if (p.startsWith("/apis/") && p.split("/").length == 3) {
      String group = p.substring("/apis/".length());
      for (JsonNode g : groups().path("groups")) {
        if (g.path("name").asText().equals(group)) {
          ObjectNode one =
              ((ObjectNode) g.deepCopy()).put("kind", "APIGroup").put("apiVersion", "v1");
          return ok(one);
        }
      }
    }
    return null;
  }

  private Map<String, List<Kind>> kinds() {
    Map<String, List<Kind>> all = new LinkedHashMap<>(BUILT_IN);
    for (JsonNode crd : crds.get()) {
      JsonNode spec = crd.path("spec");
      for (JsonNode version : spec.path("versions")) {
        if (!version.path("served").asBoolean(true)) {
          continue;
        }
        String gv = spec.path("group").asText() + "/" + version.path("name").asText();
        List<Kind> kinds = new ArrayList<>(all.getOrDefault(gv, List.of()));
        kinds.add(
            new Kind(
                spec.path("names").path("plural").asText(),
                spec.path("names").path("kind").asText(),
                spec.path("scope").asText().equals("Namespaced"),
                version.path("subresources").has("status") ? List.of("status") : List.of()));
        all.put(gv, kinds);
      }
    }
    return all;
  }

  private ObjectNode groups() {
    ObjectNode list = F.objectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
    ArrayNode groups = list.putArray("groups");
    Map<String, ObjectNode> byName = new LinkedHashMap<>();
    for (String gv : kinds().keySet()) {
      if (!gv.contains("/")) {
        continue;
      }
      String group = gv.substring(0, gv.indexOf('/'));
      String version = gv.substring(gv.indexOf('/') + 1);
      ObjectNode g =
          byName.computeIfAbsent(
              group,
              name -> {
                ObjectNode n = groups.addObject().put("name", name);
                n.putArray("versions");
                n.putObject("preferredVersion").put("groupVersion", gv).put("version", version);
                return n;
              });
      ((ArrayNode) g.get("versions")).addObject().put("groupVersion", gv).put("version", version);
    }
    return list;
  }

  private static ObjectNode resources(String groupVersion, List<Kind> kinds) {
    ObjectNode list =
        F.objectNode()
            .put("kind", "APIResourceList")
            .put("apiVersion", "v1")
            .put("groupVersion", groupVersion);
    ArrayNode resources = list.putArray("resources");
    for (Kind k : kinds) {
      ObjectNode r =
          resources
              .addObject()
              .put("name", k.plural())
              .put("singularName", k.kind().toLowerCase(Locale.ROOT))
              .put("namespaced", k.namespaced())
              .put("kind", k.kind());
      ArrayNode verbs = r.putArray("verbs");
      (k.plural().endsWith("reviews") ? List.of("create") : ALL).forEach(verbs::add);
      for (String sub : k.subresources()) {
        ObjectNode s =
            resources
                .addObject()
                .put("name", k.plural() + "/" + sub)
                .put("singularName", "")
                .put("namespaced", k.namespaced())
                .put("kind", k.kind());
        ArrayNode subVerbs = s.putArray("verbs");
        (List.of("exec", "portforward").contains(sub)
                ? List.of("create", "get")
                : sub.equals("log") ? List.of("get") : List.of("get", "patch", "update"))
            .forEach(subVerbs::add);
      }
    }
    return list;
  }

  private static MockResponse ok(ObjectNode body) {
    return new MockResponse()
        .setResponseCode(200)
        .setHeader("Content-Type", "application/json")
        .setBody(body.toString());
  }
}
