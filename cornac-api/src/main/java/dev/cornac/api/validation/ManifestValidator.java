package dev.cornac.api.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cornac.api.cluster.ClusterNameRule;
import dev.cornac.api.cluster.MaintenanceWindow;
import dev.cornac.api.cluster.UserFlags;
import dev.cornac.api.config.OperatorConfig;
import dev.cornac.api.model.AdditionalVolume;
import dev.cornac.api.model.Clone;
import dev.cornac.api.model.ConnectionPooler;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.api.model.Patterns;
import dev.cornac.api.model.Postgresql;
import dev.cornac.api.model.PostgresqlSpec;
import dev.cornac.api.model.Resources;
import dev.cornac.api.model.Sidecar;
import dev.cornac.api.model.Standby;
import dev.cornac.api.model.UnreadablePostgresql;
import dev.cornac.api.quantity.Quantities;
import io.fabric8.kubernetes.api.model.Container;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Every rule upstream applies to a {@code postgresql} manifest — its CRD schema first, then the
 * checks its Go code makes — plus the checks that turn a late failure (a Service name too long, a
 * bad window) into an early, named error. All problems of a manifest are reported together.
 */
public final class ManifestValidator {
  private static final int MAX_SERVICE_NAME = 63;

  private final OperatorConfig config;

  public ManifestValidator(OperatorConfig config) {
    this.config = config;
  }

  public ValidationResult validate(JsonNode document) {
    List<Violation> out = new ArrayList<>();
    if (document == null || !document.isObject()) {
      out.add(
          Violation.error(
              "(document)", null, "is not a YAML object", "give a postgresql manifest"));
      return new ValidationResult(Optional.empty(), out);
    }
    checkEnvelope(document, out);
    out.addAll(new SchemaValidator(CrdSchemas.postgresql()).validate(document));
    Postgresql pg;
    try {
      pg = ManifestMapper.json().treeToValue(document, Postgresql.class);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      if (out.stream().noneMatch(Violation::isError)) {
        String field = e instanceof JsonMappingException m ? UnreadablePostgresql.field(m) : "";
        out.add(
            e instanceof JsonMappingException m
                ? Violation.error(
                    field.isEmpty() ? "(document)" : field,
                    null,
                    UnreadablePostgresql.problem(m),
                    "correct that field")
                : Violation.error(
                    "(document)",
                    null,
                    "cannot be read as a postgresql resource",
                    "check it against docs/ or the upstream reference of the postgresql CRD"));
      }
      return new ValidationResult(Optional.empty(), out);
    }
    if (pg.getSpec() != null) {
      checkName(pg, out);
      checkSpec(pg.getSpec(), pg.getMetadata() == null ? "" : pg.getMetadata().getName(), out);
    }
    return new ValidationResult(Optional.of(pg), dedupe(out));
  }

  private static void checkEnvelope(JsonNode document, List<Violation> out) {
    if (document.has("metadata") && !document.get("metadata").isObject()) {
      out.add(
          Violation.error(
              "metadata", null, "must be an object", "give at least metadata.name (name: acid-x)"));
    }
    String apiVersion = document.path("apiVersion").asText("");
    String kind = document.path("kind").asText("");
    if (!apiVersion.equals(Postgresql.API_VERSION)) {
      out.add(
          Violation.error(
              "apiVersion", apiVersion, "is not supported", "use " + Postgresql.API_VERSION));
    }
    if (!kind.equals(Postgresql.KIND)) {
      out.add(Violation.error("kind", kind, "is not supported", "use postgresql (all lower case)"));
    }
  }

  private void checkName(Postgresql pg, List<Violation> out) {
    String name = pg.getMetadata() == null ? null : pg.getMetadata().getName();
    if (name == null || name.isEmpty()) {
      out.add(
          Violation.error(
              "metadata.name", null, "is required", "name the cluster, e.g. acid-minimal-cluster"));
      return;
    }
    String teamId = pg.getSpec().teamId;
    if (config.bool("enable_team_id_clustername_prefix")) {
      ClusterNameRule.prefixError(name, teamId)
          .ifPresent(
              message ->
                  out.add(
                      Violation.error(
                          "metadata.name",
                          name,
                          message,
                          "name the cluster "
                              + (teamId == null ? "<team>" : teamId.toLowerCase())
                              + "-<name>")));
    }
    if (!name.matches(Patterns.DNS_1035)) {
      out.add(
          Violation.error(
              "metadata.name",
              name,
              "is not a DNS-1035 label",
              "use lower-case letters, digits and '-', starting with a letter and ending with a letter or digit"));
    }
    if (name.length() > ClusterNameRule.MAX_NAME_LENGTH) {
      out.add(
          Violation.error(
              "metadata.name",
              name,
              "is longer than 58 characters",
              "shorten it: the replica Service <name>-repl must fit in 63 characters"));
    }
    PostgresqlSpec spec = pg.getSpec();
    boolean masterPooler =
        Boolean.TRUE.equals(spec.enableConnectionPooler)
            || (spec.enableConnectionPooler == null && spec.connectionPooler != null);
    if (Boolean.TRUE.equals(spec.enableReplicaConnectionPooler)
        && (name + ClusterNameRule.REPLICA_POOLER_SUFFIX).length() > MAX_SERVICE_NAME) {
      out.add(
          Violation.error(
              "metadata.name",
              name,
              "is too long for a replica connection pooler",
              "use at most 51 characters: the Service <name>-pooler-repl must fit in 63"));
    } else if (masterPooler && (name + ClusterNameRule.POOLER_SUFFIX).length() > MAX_SERVICE_NAME) {
      out.add(
          Violation.error(
              "metadata.name",
              name,
              "is too long for a connection pooler",
              "use at most 56 characters: the Service <name>-pooler must fit in 63"));
    }
  }

  private void checkSpec(PostgresqlSpec spec, String clusterName, List<Violation> out) {
    if (spec.volume != null && spec.volume.size != null && !Quantities.isValid(spec.volume.size)) {
      out.add(
          Violation.error(
              "spec.volume.size", spec.volume.size, "is not a quantity", "use a size like 1Gi"));
    }
    checkResources(spec.resources, "spec.resources", out);
    checkWindows(spec.maintenanceWindows, out);
    checkUsers(spec, out);
    checkDatabases(spec, out);
    checkPooler(spec.connectionPooler, out);
    checkClone(spec.clone, out);
    checkStandby(spec.standby, out);
    if (spec.clone != null && spec.standby != null) {
      out.add(
          Violation.error(
              "spec.clone",
              null,
              "cannot be combined with spec.standby",
              "create the standby first, or clone, but not both in one manifest"));
    }
    checkContainers(spec, out);
    checkVolumes(spec.additionalVolumes, out);
    if (spec.patroni != null
        && spec.patroni.synchronousNodeCount != null
        && spec.patroni.synchronousNodeCount < 0) {
      out.add(
          Violation.error(
              "spec.patroni.synchronous_node_count",
              spec.patroni.synchronousNodeCount,
              "must not be negative",
              "use 1 or more"));
    }
    if (spec.numberOfInstances != null && spec.numberOfInstances == 0) {
      out.add(
          Violation.warning(
              "spec.numberOfInstances",
              0,
              "stops every pod of the cluster",
              "the volumes are kept; scale up again to restart it"));
    }
  }

  private static void checkResources(Resources resources, String path, List<Violation> out) {
    if (resources == null) {
      return;
    }
    for (String side : List.of("requests", "limits")) {
      var d = side.equals("requests") ? resources.requests : resources.limits;
      if (d == null) {
        continue;
      }
      for (Map.Entry<String, String> e :
          Map.of(
                  "cpu",
                  nz(d.cpu),
                  "memory",
                  nz(d.memory),
                  "hugepages-2Mi",
                  nz(d.hugepages2Mi),
                  "hugepages-1Gi",
                  nz(d.hugepages1Gi))
              .entrySet()) {
        if (!e.getValue().isEmpty() && !Quantities.isValid(e.getValue())) {
          out.add(
              Violation.error(
                  path + "." + side + "." + e.getKey(),
                  e.getValue(),
                  "is not a quantity",
                  e.getKey().equals("cpu") ? "use 250m or 1" : "use 500Mi or 1Gi"));
        }
      }
    }
  }

  private static void checkWindows(List<String> windows, List<Violation> out) {
    if (windows == null) {
      return;
    }
    for (int i = 0; i < windows.size(); i++) {
      String w = windows.get(i);
      if (w == null) {
        continue;
      }
      try {
        MaintenanceWindow.parse(w);
      } catch (IllegalArgumentException e) {
        out.add(Violation.error("spec.maintenanceWindows[" + i + "]", w, e.getMessage(), null));
      }
    }
  }

  private void checkUsers(PostgresqlSpec spec, List<Violation> out) {
    if (spec.users == null) {
      return;
    }
    Set<String> protectedNames = new HashSet<>(config.list("protected_role_names"));
    Set<String> systemUsers =
        Set.of(
            config.superUsername(),
            config.replicationUsername(),
            config.string("connection_pooler_user"),
            "fes_user");
    for (Map.Entry<String, List<String>> user : spec.users.entrySet()) {
      String field = "spec.users." + user.getKey();
      if (!user.getKey().matches(Patterns.USERNAME)) {
        out.add(
            Violation.error(
                field,
                user.getKey(),
                "is not a valid role name",
                "use lower-case letters, digits, '-', '_' and '.', starting and ending with a letter or digit"));
        continue;
      }
      if (user.getKey().contains(".") && !config.bool("enable_cross_namespace_secret")) {
        out.add(
            Violation.warning(
                field,
                user.getKey(),
                "contains a '.' but enable_cross_namespace_secret is off",
                "the secret stays in the cluster namespace"));
      }
      if (protectedNames.contains(user.getKey()) || systemUsers.contains(user.getKey())) {
        out.add(
            Violation.warning(
                field,
                user.getKey(),
                "is a protected or system role and is skipped",
                "choose another role name"));
      }
      try {
        UserFlags.normalise(user.getValue());
      } catch (IllegalArgumentException e) {
        out.add(Violation.error(field, user.getValue(), e.getMessage(), null));
      }
    }
  }

  private static void checkDatabases(PostgresqlSpec spec, List<Violation> out) {
    if (spec.databases != null) {
      for (Map.Entry<String, String> db : spec.databases.entrySet()) {
        String field = "spec.databases." + db.getKey();
        if (!db.getKey().matches(Patterns.DATABASE_NAME)) {
          out.add(
              Violation.error(
                  field,
                  db.getKey(),
                  "is not a valid database name",
                  "use letters, digits and '_', not starting with a digit"));
        }
        if (db.getValue() == null || !db.getValue().matches(Patterns.USERNAME)) {
          out.add(
              Violation.error(
                  field,
                  db.getValue(),
                  "is not a valid owner role name",
                  "name a role from spec.users"));
        } else if (spec.users == null || !spec.users.containsKey(db.getValue())) {
          out.add(
              Violation.warning(
                  field,
                  db.getValue(),
                  "owner is not declared in spec.users",
                  "add it to spec.users, or the database is skipped unless the role already exists"));
        }
      }
    }
    if (spec.preparedDatabases != null) {
      for (String name : spec.preparedDatabases.keySet()) {
        if (!name.matches(Patterns.DATABASE_NAME)) {
          out.add(
              Violation.error(
                  "spec.preparedDatabases." + name,
                  name,
                  "is not a valid database name",
                  "use letters, digits and '_', not starting with a digit"));
        }
      }
    }
  }

  private void checkPooler(ConnectionPooler pooler, List<Violation> out) {
    if (pooler == null) {
      return;
    }
    checkResources(pooler.resources, "spec.connectionPooler.resources", out);
    if (pooler.maxDBConnections != null && pooler.maxDBConnections < 1) {
      out.add(
          Violation.error(
              "spec.connectionPooler.maxDBConnections",
              pooler.maxDBConnections,
              "must be at least 1",
              "leave it out for the default of 60"));
    }
    if (pooler.user != null
        && (pooler.user.equals(config.superUsername())
            || config.list("protected_role_names").contains(pooler.user))) {
      out.add(
          Violation.warning(
              "spec.connectionPooler.user",
              pooler.user,
              "is the superuser or a protected role",
              "the operator's connection_pooler_user '"
                  + config.string("connection_pooler_user")
                  + "' is used instead"));
    }
  }

  private static void checkClone(Clone clone, List<Violation> out) {
    if (clone == null) {
      return;
    }
    if (clone.cluster == null || clone.cluster.isEmpty()) {
      out.add(
          Violation.error("spec.clone.cluster", null, "is required", "name the source cluster"));
      return;
    }
    boolean pitr = clone.timestamp != null && !clone.timestamp.isEmpty();
    if (!pitr
        && (!clone.cluster.matches(Patterns.DNS_1035)
            || clone.cluster.length() > MAX_SERVICE_NAME)) {
      out.add(
          Violation.error(
              "spec.clone.cluster",
              clone.cluster,
              "must be a DNS-1035 name of at most 63 characters for a clone from a running cluster",
              "name an existing cluster in this namespace"));
    }
    if (pitr) {
      try {
        OffsetDateTime.parse(clone.timestamp.replace('t', 'T'));
      } catch (DateTimeParseException e) {
        out.add(
            Violation.error(
                "spec.clone.timestamp",
                clone.timestamp,
                "is not an RFC 3339 time with an offset",
                "use e.g. 2024-05-01T12:00:00+00:00"));
      }
    }
    if (clone.uid != null && !clone.uid.isEmpty()) {
      try {
        UUID.fromString(clone.uid);
      } catch (IllegalArgumentException e) {
        out.add(
            Violation.error(
                "spec.clone.uid",
                clone.uid,
                "is not a UUID",
                "copy metadata.uid of the source cluster"));
      }
    }
  }

  private static void checkStandby(Standby standby, List<Violation> out) {
    if (standby == null) {
      return;
    }
    boolean s3 = notEmpty(standby.s3WalPath);
    boolean gs = notEmpty(standby.gsWalPath);
    if (standby.s3WalPath == null && standby.gsWalPath == null && standby.standbyHost == null) {
      out.add(
          Violation.error(
              "spec.standby",
              null,
              "needs s3_wal_path, gs_wal_path or standby_host",
              "give the WAL archive path or the primary's host"));
    }
    if (s3 && gs) {
      out.add(
          Violation.error(
              "spec.standby",
              null,
              "has both s3_wal_path and gs_wal_path",
              "keep only one of them"));
    }
    if (notEmpty(standby.standbyPort) && !standby.standbyPort.matches("\\d{1,5}")) {
      out.add(
          Violation.error(
              "spec.standby.standby_port",
              standby.standbyPort,
              "is not a port number",
              "use e.g. \"5432\""));
    }
  }

  private void checkContainers(PostgresqlSpec spec, List<Violation> out) {
    if (spec.sidecars != null && !spec.sidecars.isEmpty() && !config.bool("enable_sidecars")) {
      out.add(
          Violation.error(
              "spec.sidecars",
              null,
              "are disabled in the operator configuration (enable_sidecars)",
              "remove them or ask the operator's administrator to enable sidecars"));
    }
    if (spec.initContainers != null
        && !spec.initContainers.isEmpty()
        && !config.bool("enable_init_containers")) {
      out.add(
          Violation.error(
              "spec.initContainers",
              null,
              "are disabled in the operator configuration (enable_init_containers)",
              "remove them or ask the operator's administrator to enable init containers"));
    }
    if (spec.sidecars != null) {
      for (int i = 0; i < spec.sidecars.size(); i++) {
        Sidecar s = spec.sidecars.get(i);
        if (s == null) {
          continue; // the schema has said that an entry must not be null
        }
        if (s.image == null || s.image.isEmpty()) {
          out.add(
              Violation.error(
                  "spec.sidecars[" + i + "].image",
                  null,
                  "is required",
                  "give the container image"));
        }
        checkResources(s.resources, "spec.sidecars[" + i + "].resources", out);
      }
    }
    if (spec.initContainers != null) {
      for (int i = 0; i < spec.initContainers.size(); i++) {
        Container c = spec.initContainers.get(i);
        if (c == null) {
          continue;
        }
        if (c.getName() == null || c.getName().isEmpty()) {
          out.add(
              Violation.error(
                  "spec.initContainers[" + i + "].name",
                  null,
                  "is required",
                  "name the container"));
        }
        if (c.getImage() == null || c.getImage().isEmpty()) {
          out.add(
              Violation.error(
                  "spec.initContainers[" + i + "].image",
                  null,
                  "is required",
                  "give the container image"));
        }
      }
    }
  }

  private static void checkVolumes(List<AdditionalVolume> volumes, List<Violation> out) {
    if (volumes == null) {
      return;
    }
    Set<String> paths = new HashSet<>();
    for (int i = 0; i < volumes.size(); i++) {
      AdditionalVolume v = volumes.get(i);
      if (v == null) {
        continue;
      }
      if (v.mountPath != null
          && (v.mountPath.equals("/home/postgres/pgdata") || !paths.add(v.mountPath))) {
        out.add(
            Violation.warning(
                "spec.additionalVolumes[" + i + "].mountPath",
                v.mountPath,
                "is already used and this volume is skipped",
                "mount it at another path"));
      }
    }
  }

  private static boolean notEmpty(String s) {
    return s != null && !s.isEmpty();
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  /**
   * One error per field: the schema's message comes first and a semantic check of the same field
   * adds nothing.
   */
  private static List<Violation> dedupe(List<Violation> in) {
    Set<String> fieldsWithErrors = new HashSet<>();
    List<Violation> out = new ArrayList<>();
    for (Violation v : in) {
      if (!v.isError() || fieldsWithErrors.add(v.field())) {
        if (!out.contains(v)) {
          out.add(v);
        }
      }
    }
    return out;
  }
}
