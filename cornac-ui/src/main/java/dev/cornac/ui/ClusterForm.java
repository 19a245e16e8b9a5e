package dev.cornac.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields of the "New cluster" and "Edit" forms, and the one mapping between them and a
 * manifest: a new manifest in upstream UI's layout, or the form's fields written into an existing
 * manifest, every other field kept.
 */
public record ClusterForm(
    String name,
    String namespace,
    String team,
    String version,
    int instances,
    boolean masterLoadBalancer,
    boolean replicaLoadBalancer,
    boolean connectionPooler,
    boolean replicaConnectionPooler,
    boolean masterPoolerLoadBalancer,
    boolean replicaPoolerLoadBalancer,
    String volumeSize,
    String storageClass,
    Integer iops,
    Integer throughput,
    String cpuRequest,
    String cpuLimit,
    String memoryRequest,
    String memoryLimit,
    Map<String, List<String>> users,
    Map<String, String> databases,
    List<String> allowedSourceRanges,
    String cloneCluster,
    String cloneUid,
    String cloneTimestamp) {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** The six flags the form shows, by manifest field. */
  private Map<String, Boolean> flags() {
    Map<String, Boolean> f = new LinkedHashMap<>();
    f.put("enableMasterLoadBalancer", masterLoadBalancer);
    f.put("enableReplicaLoadBalancer", replicaLoadBalancer);
    f.put("enableConnectionPooler", connectionPooler);
    f.put("enableReplicaConnectionPooler", replicaConnectionPooler);
    f.put("enableMasterPoolerLoadBalancer", masterPoolerLoadBalancer);
    f.put("enableReplicaPoolerLoadBalancer", replicaPoolerLoadBalancer);
    return f;
  }

  /** A new manifest, laid out as upstream's UI writes it. */
  public ObjectNode toManifest() {
    ObjectNode m = F.objectNode();
    m.put("kind", "postgresql");
    m.put("apiVersion", "acid.zalan.do/v1");
    ObjectNode meta = m.putObject("metadata");
    meta.put("name", text(name));
    meta.put("namespace", text(namespace).isEmpty() ? "default" : namespace);
    meta.putObject("labels").put("team", text(team));
    ObjectNode spec = m.putObject("spec");
    spec.put("teamId", text(team));
    writeInto(spec);
    if (!text(cloneCluster).isEmpty()) {
      // A clone from the source's WAL archive, up to the timestamp (point-in-time recovery), as
      // upstream's UI.
      ObjectNode clone = spec.putObject("clone");
      clone.put("cluster", text(cloneCluster));
      if (!text(cloneUid).isEmpty()) {
        clone.put("uid", text(cloneUid));
      }
      if (!text(cloneTimestamp).isEmpty()) {
        // The CRD wants an explicit offset (+00:00); "Z" is what people and Instant.toString write
        // for UTC.
        String t = text(cloneTimestamp);
        clone.put(
            "timestamp",
            t.endsWith("Z") || t.endsWith("z") ? t.substring(0, t.length() - 1) + "+00:00" : t);
      }
    }
    return m;
  }

  /** Writes the form's fields into an existing manifest's spec; nothing else in it changes. */
  public ObjectNode applyTo(ObjectNode manifest) {
    ObjectNode spec =
        manifest.has("spec") && manifest.get("spec").isObject()
            ? (ObjectNode) manifest.get("spec")
            : manifest.putObject("spec");
    writeInto(spec);
    return manifest;
  }

  private void writeInto(ObjectNode spec) {
    ObjectNode postgresql =
        spec.has("postgresql") && spec.get("postgresql").isObject()
            ? (ObjectNode) spec.get("postgresql")
            : spec.putObject("postgresql");
    postgresql.put("version", text(version));
    spec.put("numberOfInstances", instances);
    flags()
        .forEach(
            (field, on) -> {
              if (on) {
                spec.put(field, true);
              } else if (spec.has(field)) {
                spec.put(field, false);
              }
            });
    ObjectNode volume =
        spec.has("volume") && spec.get("volume").isObject()
            ? (ObjectNode) spec.get("volume")
            : spec.putObject("volume");
    volume.put("size", text(volumeSize));
    optional(volume, "storageClass", storageClass);
    optional(volume, "iops", iops);
    optional(volume, "throughput", throughput);
    spec.set("users", usersNode());
    ObjectNode dbs = F.objectNode();
    (databases == null ? Map.<String, String>of() : databases).forEach(dbs::put);
    spec.set("databases", dbs);
    if (allowedSourceRanges != null && !allowedSourceRanges.isEmpty()) {
      spec.set(
          "allowedSourceRanges",
          F.arrayNode().addAll(allowedSourceRanges.stream().map(F::textNode).toList()));
    } else if (spec.has("allowedSourceRanges")) {
      spec.set("allowedSourceRanges", F.arrayNode());
    }
    ObjectNode resources =
        spec.has("resources") && spec.get("resources").isObject()
            ? (ObjectNode) spec.get("resources")
            : spec.putObject("resources");
    resource(resources, "requests", "cpu", cpuRequest);
    resource(resources, "requests", "memory", memoryRequest);
    resource(resources, "limits", "cpu", cpuLimit);
    resource(resources, "limits", "memory", memoryLimit);
  }

  private ObjectNode usersNode() {
    ObjectNode users = F.objectNode();
    (this.users == null ? Map.<String, List<String>>of() : this.users)
        .forEach(
            (user, flags) ->
                users.set(
                    user,
                    F.arrayNode()
                        .addAll(
                            (flags == null ? List.<String>of() : flags)
                                .stream().map(F::textNode).toList())));
    return users;
  }

  private static void resource(ObjectNode resources, String kind, String key, String value) {
    if (value == null || value.isBlank()) {
      return;
    }
    ObjectNode section =
        resources.has(kind) && resources.get(kind).isObject()
            ? (ObjectNode) resources.get(kind)
            : resources.putObject(kind);
    section.put(key, value.strip());
  }

  private static void optional(ObjectNode node, String field, Object value) {
    if (value == null || (value instanceof String s && s.isBlank())) {
      node.remove(field);
    } else if (value instanceof Integer i) {
      node.put(field, i);
    } else {
      node.put(field, value.toString().strip());
    }
  }

  private static String text(String s) {
    return s == null ? "" : s.strip();
  }

  /** The form's view of a manifest (for Edit). */
  public static ClusterForm of(JsonNode manifest) {
    JsonNode meta = manifest.path("metadata");
    JsonNode spec = manifest.path("spec");
    JsonNode volume = spec.path("volume");
    JsonNode res = spec.path("resources");
    Map<String, List<String>> users = new LinkedHashMap<>();
    spec.path("users")
        .fields()
        .forEachRemaining(
            e -> {
              List<String> flags = new ArrayList<>();
              e.getValue().forEach(f -> flags.add(f.asText()));
              users.put(e.getKey(), flags);
            });
    Map<String, String> dbs = new LinkedHashMap<>();
    spec.path("databases")
        .fields()
        .forEachRemaining(e -> dbs.put(e.getKey(), e.getValue().asText()));
    List<String> ranges = new ArrayList<>();
    spec.path("allowedSourceRanges").forEach(r -> ranges.add(r.asText()));
    return new ClusterForm(
        meta.path("name").asText(),
        meta.path("namespace").asText("default"),
        spec.path("teamId").asText(),
        spec.path("postgresql").path("version").asText(),
        spec.path("numberOfInstances").asInt(1),
        spec.path("enableMasterLoadBalancer").asBoolean(),
        spec.path("enableReplicaLoadBalancer").asBoolean(),
        spec.path("enableConnectionPooler").asBoolean(),
        spec.path("enableReplicaConnectionPooler").asBoolean(),
        spec.path("enableMasterPoolerLoadBalancer").asBoolean(),
        spec.path("enableReplicaPoolerLoadBalancer").asBoolean(),
        volume.path("size").asText(),
        volume.path("storageClass").asText(null),
        volume.has("iops") ? volume.path("iops").asInt() : null,
        volume.has("throughput") ? volume.path("throughput").asInt() : null,
        res.path("requests").path("cpu").asText(null),
        res.path("limits").path("cpu").asText(null),
        res.path("requests").path("memory").asText(null),
        res.path("limits").path("memory").asText(null),
        users,
        dbs,
        ranges,
        null,
        null,
        null);
  }
}
