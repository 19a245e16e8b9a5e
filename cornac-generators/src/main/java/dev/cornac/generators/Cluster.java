package dev.cornac.generators;

import dev.cornac.api.config.OperatorConfig;
import dev.cornac.api.model.Postgresql;
import dev.cornac.api.model.PostgresqlSpec;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@code postgresql} resource together with the operator configuration it is generated under, and
 * the derived facts every generator needs (effective instances, pooler enablement, standby, owner
 * references).
 */
public record Cluster(Postgresql resource, OperatorConfig config) {
  public static final String DEFAULT_NAMESPACE = "default";

  public Cluster {
    Objects.requireNonNull(resource.getSpec(), "spec");
  }

  public String name() {
    return resource.getMetadata().getName();
  }

  public String namespace() {
    String ns = resource.getMetadata().getNamespace();
    return ns == null || ns.isEmpty() ? DEFAULT_NAMESPACE : ns;
  }

  public String uid() {
    String uid = resource.getMetadata().getUid();
    return uid == null ? "" : uid;
  }

  public PostgresqlSpec spec() {
    return resource.getSpec();
  }

  public Map<String, String> labels() {
    Map<String, String> l = resource.getMetadata().getLabels();
    return l == null ? Map.of() : l;
  }

  public Map<String, String> annotations() {
    Map<String, String> a = resource.getMetadata().getAnnotations();
    return a == null ? Map.of() : a;
  }

  public String teamId() {
    return spec().teamId == null ? "" : spec().teamId;
  }

  public String postgresVersion() {
    return spec().postgresql == null ? "" : spec().postgresql.version;
  }

  public int manifestInstances() {
    return spec().numberOfInstances == null ? 0 : spec().numberOfInstances;
  }

  /**
   * numberOfInstances clamped to min/max_instances, unless the ignore annotation says "true"
   * (upstream: pkg/cluster/k8sres.go, getNumberOfInstances).
   */
  public int effectiveInstances() {
    int n = manifestInstances();
    String ignoreKey = config.string("ignore_instance_limits_annotation_key");
    if (!ignoreKey.isEmpty() && "true".equals(annotations().get(ignoreKey))) {
      return n;
    }
    long min = config.integerOr("min_instances", -1);
    long max = config.integerOr("max_instances", -1);
    if (isStandby() && n == 1) {
      min = 1;
      max = 1;
    }
    if (max >= 0 && n > max) {
      n = (int) max;
    }
    if (min >= 0 && n < min) {
      n = (int) min;
    }
    return n;
  }

  /**
   * Standby if the section is present or env carries a STANDBY_WALE_*_PREFIX (upstream:
   * pkg/cluster/util.go, isStandbyCluster).
   */
  public boolean isStandby() {
    if (spec().standby != null) {
      return true;
    }
    List<EnvVar> env = spec().env == null ? List.of() : spec().env;
    return env.stream()
        .anyMatch(
            e ->
                e.getName() != null
                    && e.getName().matches("STANDBY_WALE_(S3|GS|GSC|SWIFT)_PREFIX")
                    && e.getValue() != null
                    && !e.getValue().isEmpty());
  }

  public boolean masterPoolerEnabled() {
    Boolean flag = spec().enableConnectionPooler;
    return flag != null ? flag : spec().connectionPooler != null;
  }

  public boolean replicaPoolerEnabled() {
    return Boolean.TRUE.equals(spec().enableReplicaConnectionPooler);
  }

  public boolean anyPoolerEnabled() {
    return masterPoolerEnabled() || replicaPoolerEnabled();
  }

  /** Owner references of child objects (upstream: pkg/cluster/k8sres.go, ownerReferences). */
  public List<OwnerReference> ownerReferences() {
    List<OwnerReference> refs = new ArrayList<>();
    if (resource.getMetadata().getOwnerReferences() != null) {
      refs.addAll(resource.getMetadata().getOwnerReferences());
    }
    if (config.bool("enable_owner_references")) {
      refs.add(
          new OwnerReferenceBuilder()
              .withApiVersion(Postgresql.API_VERSION)
              .withKind(Postgresql.KIND)
              .withName(name())
              .withUid(uid())
              .withController(true)
              .build());
    }
    return refs.isEmpty() ? null : refs;
  }
}
