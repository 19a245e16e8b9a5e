package dev.cornac.generators.secrets;

import dev.cornac.api.cluster.UserFlags;
import dev.cornac.api.config.OperatorConfig;
import dev.cornac.api.model.PreparedDatabase;
import dev.cornac.api.model.PreparedSchema;
import dev.cornac.generators.Cluster;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The roles of a cluster from its manifest and configuration (upstream: pkg/cluster/cluster.go,
 * initUsers, initPreparedDatabaseRoles and resolveNameConflict), in a stable order: system users,
 * manifest users, prepared-database roles, the pooler user, the stream user. A later source wins on
 * a name conflict, as upstream's priorities say.
 */
public final class DesiredRoles {
  public static final String STREAM_USER = "fes_user";
  private static final String DEFAULT_SCHEMA = "data";

  private DesiredRoles() {}

  public static List<DesiredRole> of(Cluster c) {
    OperatorConfig config = c.config();
    Map<String, DesiredRole> roles = new LinkedHashMap<>();
    String ns = c.namespace();
    put(
        roles,
        new DesiredRole(
            config.superUsername(),
            DesiredRole.Origin.SYSTEM,
            List.of("LOGIN", "SUPERUSER"),
            List.of(),
            "",
            Map.of(),
            ns));
    put(
        roles,
        new DesiredRole(
            config.replicationUsername(),
            DesiredRole.Origin.SYSTEM,
            List.of("LOGIN", "REPLICATION"),
            List.of(),
            "",
            Map.of(),
            ns));
    manifestUsers(c, roles);
    preparedDatabaseRoles(c, roles);
    if (c.anyPoolerEnabled()) {
      put(
          roles,
          new DesiredRole(
              poolerUser(c),
              DesiredRole.Origin.POOLER,
              List.of("LOGIN"),
              List.of(),
              "",
              Map.of(),
              ns));
    }
    if (config.bool("enable_postgres_exporter") && !c.isStandby()) {
      // Cornac's exporter sidecar reads statistics, nothing else: pg_monitor, never a superuser.
      put(
          roles,
          new DesiredRole(
              exporterUser(c),
              DesiredRole.Origin.MONITORING,
              List.of("LOGIN"),
              List.of("pg_monitor"),
              "",
              Map.of(),
              ns));
    }
    if (c.spec().streams != null && !c.spec().streams.isEmpty()) {
      put(
          roles,
          new DesiredRole(
              STREAM_USER,
              DesiredRole.Origin.STREAM,
              List.of("LOGIN", "REPLICATION"),
              List.of(),
              "",
              Map.of(),
              ns));
    }
    return List.copyOf(roles.values());
  }

  /** The role of Cornac's postgres_exporter sidecar ({@code postgres_exporter_user}). */
  public static String exporterUser(Cluster c) {
    return c.config().string("postgres_exporter_user");
  }

  /**
   * The pooler's role: the manifest's unless empty, the superuser, protected or a system role
   * (upstream: pkg/cluster/connection_pooler.go, poolerUser).
   */
  public static String poolerUser(Cluster c) {
    OperatorConfig config = c.config();
    String configured = config.string("connection_pooler_user");
    String manifest = c.spec().connectionPooler == null ? null : c.spec().connectionPooler.user;
    if (manifest == null
        || manifest.isEmpty()
        || manifest.equals(config.superUsername())
        || manifest.equals(config.replicationUsername())
        || manifest.equals(STREAM_USER)
        || config.list("protected_role_names").contains(manifest)) {
      return configured;
    }
    return manifest;
  }

  private static void manifestUsers(Cluster c, Map<String, DesiredRole> roles) {
    OperatorConfig config = c.config();
    if (c.spec().users == null) {
      return;
    }
    Set<String> skipped = new HashSet<>(config.list("protected_role_names"));
    skipped.add(config.superUsername());
    skipped.add(config.replicationUsername());
    skipped.add(config.string("connection_pooler_user"));
    skipped.add(STREAM_USER);
    Set<String> owners =
        new HashSet<>(c.spec().databases == null ? List.of() : c.spec().databases.values());
    boolean crossNamespace = config.bool("enable_cross_namespace_secret");
    String admin =
        config.bool("enable_admin_role_for_users") ? config.string("team_admin_role") : "";
    new TreeMap<>(c.spec().users)
        .forEach(
            (name, flags) -> {
              if (skipped.contains(name)) {
                return;
              }
              List<String> normalised;
              try {
                normalised = UserFlags.normalise(flags);
              } catch (IllegalArgumentException e) {
                return;
              }
              List<String> memberOf =
                  owners.contains(name) ? config.list("additional_owner_roles") : List.of();
              String secretNamespace =
                  crossNamespace && name.contains(".")
                      ? name.substring(0, name.indexOf('.'))
                      : c.namespace();
              put(
                  roles,
                  new DesiredRole(
                      name,
                      DesiredRole.Origin.MANIFEST,
                      normalised,
                      memberOf,
                      admin,
                      Map.of(),
                      secretNamespace));
            });
  }

  /**
   * Databases to prepare: an empty map means one database named like the cluster with '-' → '_'.
   */
  public static Map<String, PreparedDatabase> preparedDatabases(Cluster c) {
    Map<String, PreparedDatabase> prepared = c.spec().preparedDatabases;
    if (prepared == null) {
      return Map.of();
    }
    if (prepared.isEmpty()) {
      return Map.of(c.name().replace('-', '_'), new PreparedDatabase());
    }
    return new TreeMap<>(prepared);
  }

  private static void preparedDatabaseRoles(Cluster c, Map<String, DesiredRole> roles) {
    String teamAdmin = c.config().string("team_admin_role");
    boolean crossNamespace = c.config().bool("enable_cross_namespace_secret");
    preparedDatabases(c)
        .forEach(
            (db, spec) -> {
              PreparedDatabase p = spec == null ? new PreparedDatabase() : spec;
              String secretNs =
                  crossNamespace && p.secretNamespace != null && !p.secretNamespace.isEmpty()
                      ? p.secretNamespace
                      : c.namespace();
              Map<String, PreparedSchema> schemas =
                  p.schemas == null || p.schemas.isEmpty()
                      ? Map.of(DEFAULT_SCHEMA, new PreparedSchema())
                      : new TreeMap<>(p.schemas);
              List<String> searchPath = new ArrayList<>();
              searchPath.add("\"$user\"");
              searchPath.addAll(schemas.keySet());
              Map<String, String> dbParameters =
                  Map.of("search_path", String.join(", ", searchPath));
              defaultRoles(
                  roles,
                  db,
                  teamAdmin,
                  db + "_owner",
                  Boolean.TRUE.equals(p.defaultUsers),
                  dbParameters,
                  secretNs);
              schemas.forEach(
                  (schema, s) -> {
                    PreparedSchema ps = s == null ? new PreparedSchema() : s;
                    if (Boolean.FALSE.equals(ps.defaultRoles)) {
                      return;
                    }
                    Map<String, String> schemaParameters =
                        Map.of("search_path", "\"$user\", " + schema);
                    defaultRoles(
                        roles,
                        db + "_" + schema,
                        db + "_owner",
                        db + "_owner",
                        Boolean.TRUE.equals(ps.defaultUsers),
                        schemaParameters,
                        secretNs);
                  });
            });
  }

  /**
   * {@code <prefix>_owner/_reader/_writer} (NOLOGIN) and, with default users, their {@code _user}
   * LOGIN roles.
   */
  private static void defaultRoles(
      Map<String, DesiredRole> roles,
      String prefix,
      String ownerAdmin,
      String dbOwner,
      boolean defaultUsers,
      Map<String, String> parameters,
      String secretNs) {
    String owner = prefix + "_owner";
    String reader = prefix + "_reader";
    String writer = prefix + "_writer";
    DesiredRole.Origin origin = DesiredRole.Origin.PREPARED_DATABASE;
    List<String> nologin = List.of();
    put(
        roles,
        new DesiredRole(owner, origin, nologin, List.of(), ownerAdmin, parameters, secretNs));
    put(roles, new DesiredRole(reader, origin, nologin, List.of(), dbOwner, parameters, secretNs));
    put(
        roles,
        new DesiredRole(writer, origin, nologin, List.of(reader), dbOwner, parameters, secretNs));
    if (defaultUsers) {
      for (String group : List.of(owner, reader, writer)) {
        // No admin clause: the owner's login role is itself a member of the owner, which would be
        // circular.
        put(
            roles,
            new DesiredRole(
                group + "_user",
                origin,
                List.of("LOGIN"),
                List.of(group),
                "",
                parameters,
                secretNs));
      }
    }
  }

  private static void put(Map<String, DesiredRole> roles, DesiredRole role) {
    roles.remove(role.name());
    roles.put(role.name(), role);
  }
}
