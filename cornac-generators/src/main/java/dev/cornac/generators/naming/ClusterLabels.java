package dev.cornac.generators.naming;

import dev.cornac.generators.Cluster;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Label and annotation sets, named here L0, L1, PL0, PL1, BL, A and P, computed only here
 * (upstream: pkg/cluster/util.go, labelsSet and annotationsSet; pkg/cluster/sync.go,
 * AnnotationsToPropagate; pkg/cluster/connection_pooler.go, connectionPoolerLabels).
 */
public final class ClusterLabels {
  public static final String TEAM = "team";
  public static final String APPLICATION = "application";
  public static final String POOLER_APPLICATION = "db-connection-pooler";
  public static final String BACKUP_APPLICATION = "spilo-logical-backup";
  public static final String CONNECTION_POOLER = "connection-pooler";
  public static final String CRITICAL_OPERATION = "critical-operation";

  private ClusterLabels() {}

  /**
   * L0: {@code cluster_labels} + {@code cluster_name_label: <cluster>}; the selector of every
   * cluster object.
   */
  public static Map<String, String> selector(Cluster c) {
    Map<String, String> l = new LinkedHashMap<>(c.config().clusterLabels());
    l.put(c.config().clusterNameLabel(), c.name());
    return l;
  }

  /** L1: L0 + {@code team} + the CR labels listed in {@code inherited_labels}. */
  public static Map<String, String> object(Cluster c) {
    Map<String, String> l = selector(c);
    l.put(TEAM, c.teamId());
    for (String key : c.config().list("inherited_labels")) {
      String v = c.labels().get(key);
      if (v != null) {
        l.put(key, v);
      }
    }
    return l;
  }

  public static Map<String, String> objectWithRole(Cluster c, Role role) {
    Map<String, String> l = object(c);
    l.put(c.config().podRoleLabel(), role.label());
    return l;
  }

  public static Map<String, String> selectorWithRole(Cluster c, Role role) {
    Map<String, String> l = selector(c);
    l.put(c.config().podRoleLabel(), role.label());
    return l;
  }

  /** PL0: the pooler's selector. */
  public static Map<String, String> poolerSelector(Cluster c, Role role) {
    Map<String, String> l = selector(c);
    l.put(APPLICATION, POOLER_APPLICATION);
    l.put(CONNECTION_POOLER, ClusterNames.pooler(c, role));
    return l;
  }

  /** PL1: the labels of pooler objects and pods. */
  public static Map<String, String> poolerObject(Cluster c, Role role) {
    Map<String, String> l = object(c);
    l.put(APPLICATION, POOLER_APPLICATION);
    l.put(CONNECTION_POOLER, ClusterNames.pooler(c, role));
    l.put(c.config().podRoleLabel(), role.label());
    return l;
  }

  /** BL: the logical backup job's labels. */
  public static Map<String, String> logicalBackup(Cluster c) {
    Map<String, String> l = object(c);
    l.put(APPLICATION, BACKUP_APPLICATION);
    return l;
  }

  /** A: CR annotations whose keys are listed in {@code inherited_annotations}. */
  public static Map<String, String> inheritedAnnotations(Cluster c) {
    Map<String, String> a = new LinkedHashMap<>();
    for (String key : c.config().list("inherited_annotations")) {
      String v = c.annotations().get(key);
      if (v != null) {
        a.put(key, v);
      }
    }
    return a;
  }

  /**
   * P: A + CR annotations matching a {@code downscaler_annotations} pattern (unanchored search, as
   * Go's).
   */
  public static Map<String, String> propagatedAnnotations(Cluster c) {
    Map<String, String> a = inheritedAnnotations(c);
    for (String pattern : c.config().list("downscaler_annotations")) {
      Pattern p = Pattern.compile(pattern);
      c.annotations()
          .forEach(
              (k, v) -> {
                if (p.matcher(k).find()) {
                  a.put(k, v);
                }
              });
    }
    return a;
  }

  /** Upstream leaves an empty annotation map unset (nil), never {@code {}}. */
  public static Map<String, String> orNull(Map<String, String> map) {
    return map == null || map.isEmpty() ? null : map;
  }

  /**
   * Pod annotations: {@code custom_pod_annotations}, overlaid by {@code podAnnotations}, then A.
   */
  public static Map<String, String> podAnnotations(Cluster c) {
    Map<String, String> a = new LinkedHashMap<>(c.config().map("custom_pod_annotations"));
    if (c.spec().podAnnotations != null) {
      a.putAll(c.spec().podAnnotations);
    }
    a.putAll(inheritedAnnotations(c));
    return a;
  }
}
