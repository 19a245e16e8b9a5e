package dev.cornac.operator.kubernetes;

/**
 * Reading Kubernetes API request paths: used to tell informer traffic from reads that bypass the
 * caches.
 */
public final class ApiPaths {
  private ApiPaths() {}

  /**
   * {@code /api/v1/namespaces/ns/kind/name[/sub]} or {@code /apis/g/v/...} (and cluster-scoped
   * forms): a request about a single named object, not a collection LIST or WATCH.
   */
  public static boolean isNamedObject(String pathAndQuery) {
    String path =
        pathAndQuery.contains("?")
            ? pathAndQuery.substring(0, pathAndQuery.indexOf('?'))
            : pathAndQuery;
    String[] p = path.replaceFirst("^/", "").split("/");
    int start = p[0].equals("api") ? 2 : 3;
    int rest = p.length - start;
    boolean namespaced = rest >= 3 && p[start].equals("namespaces");
    return namespaced ? rest >= 4 : rest >= 2;
  }
}
