package dev.cornac.testkit;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the API server's authorizer sees of a request, resolved from its method and path the way
 * kube-apiserver's RequestInfo does: {@code /api/v1/namespaces/NS/pods/NAME/exec} is verb {@code
 * create} (a WebSocket upgrade of exec or port-forward needs create since Kubernetes 1.30), group
 * "", resource {@code pods}, subresource {@code exec}. A path that names no resource ({@code /api},
 * {@code /apis/apps}, {@code /version}) is a non-resource request.
 */
public record RequestAttributes(
    String verb,
    boolean resourceRequest,
    String group,
    String version,
    String namespace,
    String resource,
    String subresource,
    String name,
    String path,
    Map<String, String> query,
    String rawQuery) {

  private static final List<String> CONNECT_SUBRESOURCES =
      List.of("exec", "portforward", "attach", "proxy");

  public static RequestAttributes of(String method, String rawPath) {
    int q = rawPath.indexOf('?');
    String path = q < 0 ? rawPath : rawPath.substring(0, q);
    String rawQuery = q < 0 ? "" : rawPath.substring(q + 1);
    Map<String, String> query = query(rawQuery);
    String[] parts = path.replaceAll("^/+", "").split("/");
    int i;
    String group;
    if (parts.length >= 2 && parts[0].equals("api")) {
      group = "";
      i = 1;
    } else if (parts.length >= 3 && parts[0].equals("apis")) {
      group = parts[1];
      i = 2;
    } else {
      return nonResource(method, path, query, rawQuery);
    }
    String version = parts[i++];
    if (i >= parts.length) {
      return nonResource(method, path, query, rawQuery);
    }
    String namespace = "";
    if (parts[i].equals("namespaces") && i + 2 < parts.length) {
      namespace = parts[i + 1];
      i += 2;
    }
    String resource = parts[i++];
    String name = i < parts.length ? parts[i++] : "";
    String subresource = i < parts.length ? parts[i] : "";
    if (resource.equals("namespaces") && !name.isEmpty()) {
      namespace = name;
    }
    String verb = verb(method, name, subresource, query);
    return new RequestAttributes(
        verb, true, group, version, namespace, resource, subresource, name, path, query, rawQuery);
  }

  private static RequestAttributes nonResource(
      String method, String path, Map<String, String> query, String rawQuery) {
    return new RequestAttributes(
        method.toLowerCase(Locale.ROOT), false, "", "", "", "", "", "", path, query, rawQuery);
  }

  private static String verb(
      String method, String name, String subresource, Map<String, String> query) {
    if (CONNECT_SUBRESOURCES.contains(subresource)) {
      return "create";
    }
    return switch (method) {
      case "GET", "HEAD" ->
          "true".equals(query.get("watch")) ? "watch" : name.isEmpty() ? "list" : "get";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> name.isEmpty() ? "deletecollection" : "delete";
      default -> method.toLowerCase(Locale.ROOT);
    };
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.merge(key, value, (a, b) -> a + "," + b);
    }
    return out;
  }

  /** {@code pods} or {@code pods/exec}: how RBAC rules name it. */
  public String resourceWithSubresource() {
    return subresource.isEmpty() ? resource : resource + "/" + subresource;
  }

  /**
   * {@code pods}, {@code apps/statefulsets}, {@code acid.zalan.do/postgresqls/status}: for reports.
   */
  public String qualifiedResource() {
    return (group.isEmpty() ? "" : group + "/") + resourceWithSubresource();
  }

  public boolean isWrite() {
    return List.of("create", "update", "patch", "delete", "deletecollection").contains(verb);
  }
}
