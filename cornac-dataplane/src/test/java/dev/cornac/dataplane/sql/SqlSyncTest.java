package dev.cornac.dataplane.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cornac.api.config.OperatorConfig;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.api.model.Postgresql;
import dev.cornac.generators.Cluster;
import dev.cornac.generators.secrets.DesiredRole;
import dev.cornac.generators.secrets.DesiredRoles;
import dev.cornac.generators.secrets.PasswordGenerator;
import dev.cornac.testkit.LocalPatroniCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Roles, databases and prepared databases of upstream's complete example, synced into a real
 * PostgreSQL.
 */
class SqlSyncTest {
  static LocalPatroniCluster cluster;
  static Cluster manifest;
  static final Map<String, String> PASSWORDS = new HashMap<>();

  @BeforeAll
  static void start() throws Exception {
    cluster = LocalPatroniCluster.start("cornac-sql-test", 1);
    String root = System.getProperty("cornac.repo.root", "..");
    Postgresql pg =
        ManifestMapper.yaml()
            .readValue(
                Files.readString(
                    Path.of(root)
                        .resolve(
                            "../shared/upstream-examples/manifests/complete-postgres-manifest.yaml")),
                Postgresql.class);
    manifest = new Cluster(pg, OperatorConfig.defaults());
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static String password(String role) {
    return PASSWORDS.computeIfAbsent(role, r -> PasswordGenerator.generate());
  }

  private static List<DesiredRole> roles() {
    return DesiredRoles.of(manifest).stream()
        .filter(r -> r.origin() != DesiredRole.Origin.SYSTEM)
        .toList();
  }

  private Connection db(String name) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + cluster.leader().pgPort() + "/" + name,
        "postgres",
        LocalPatroniCluster.SUPERUSER_PASSWORD);
  }

  private SqlLog[] syncAll(DatabaseSync databases) throws SQLException {
    try (Connection c = db("postgres")) {
      SqlLog roles = new RoleSync(null).sync(c, roles(), SqlSyncTest::password);
      SqlLog dbs = databases.syncDatabases(c, manifest.spec().databases);
      SqlLog prepared =
          databases.syncPreparedDatabases(c, this::db, DesiredRoles.preparedDatabases(manifest));
      return new SqlLog[] {roles, dbs, prepared};
    }
  }

  @Test
  void completeExampleRolesDatabasesAndSchemasExistAndASecondSyncDoesNothing() throws Exception {
    DatabaseSync first = new DatabaseSync();
    SqlLog[] created = syncAll(first);
    assertThat(created[0].executed())
        .anyMatch(s -> s.startsWith("CREATE ROLE \"zalando\""))
        .allMatch(s -> !s.contains(password("zalando")));
    assertThat(first.problems())
        .as("pg_partman is not packaged with PostgreSQL 15 here")
        .anyMatch(p -> p.contains("pg_partman"));

    try (Connection c = db("postgres");
        Statement s = c.createStatement()) {
      assertThat(flags(s, "zalando"))
          .containsExactlyInAnyOrder("LOGIN", "SUPERUSER", "CREATEDB", "INHERIT");
      assertThat(flags(s, "foo_user")).contains("LOGIN").doesNotContain("SUPERUSER");
      assertThat(flags(s, "bar_owner")).doesNotContain("LOGIN");
      assertThat(flags(s, "bar_owner_user")).contains("LOGIN");
      assertThat(memberOf(s, "bar_writer")).contains("bar_reader");
      assertThat(memberOf(s, "bar_owner_user")).contains("bar_owner");
      assertThat(
              cluster.queryOne(
                  cluster.leader(),
                  "postgres",
                  "select pg_get_userbyid(datdba) from pg_database where datname = 'foo'"))
          .isEqualTo("zalando");
      assertThat(
              cluster.queryOne(
                  cluster.leader(),
                  "postgres",
                  "select pg_get_userbyid(datdba) from pg_database where datname = 'bar'"))
          .isEqualTo("bar_owner");
      assertThat(
              cluster.queryOne(
                  cluster.leader(),
                  "postgres",
                  "select array_to_string(rolconfig, ',') from pg_roles where rolname = 'bar_reader'"))
          .contains("search_path=");
    }
    LocalPatroniCluster.Member leader = cluster.leader();
    assertThat(
            cluster.queryOne(
                leader,
                "bar",
                "select nspowner::regrole::text from pg_namespace where nspname = 'history'"))
        .isEqualTo("bar_history_owner");
    assertThat(
            cluster.queryOne(
                leader,
                "bar",
                "select nspowner::regrole::text from pg_namespace where nspname = 'data'"))
        .isEqualTo("bar_data_owner");
    assertThat(
            cluster.queryOne(
                leader,
                "bar",
                "select extnamespace::regnamespace::text from pg_extension where extname = 'pgcrypto'"))
        .isEqualTo("public");
    try (Connection asUser =
        DriverManager.getConnection(
            "jdbc:postgresql://127.0.0.1:" + cluster.leader().pgPort() + "/foo",
            "foo_user",
            password("foo_user"))) {
      assertThat(asUser.isValid(2)).isTrue();
    }

    SqlLog[] again = syncAll(new DatabaseSync());
    assertThat(again[0].executed()).as("no ALTER ROLE, no DDL on an unchanged cluster").isEmpty();
    assertThat(again[1].executed()).isEmpty();
    assertThat(again[2].executed()).isEmpty();
  }

  @Test
  void rolesAndDatabasesRemovedFromTheManifestAreNeverDropped() throws Exception {
    syncAll(new DatabaseSync());
    try (Connection c = db("postgres")) {
      new RoleSync(null).sync(c, List.of(), SqlSyncTest::password);
      new DatabaseSync().syncDatabases(c, Map.of());
      try (Statement s = c.createStatement()) {
        assertThat(flags(s, "foo_user")).contains("LOGIN");
        assertThat(
                cluster.queryOne(
                    cluster.leader(),
                    "postgres",
                    "select count(*) from pg_database where datname = 'foo'"))
            .isEqualTo("1");
      }
    }
  }

  @Test
  void aChangedPasswordIsSetAndAnUnchangedOneIsNot() throws Exception {
    syncAll(new DatabaseSync());
    PASSWORDS.put("foo_user", PasswordGenerator.generate());
    try (Connection c = db("postgres")) {
      SqlLog log = new RoleSync(null).sync(c, roles(), SqlSyncTest::password);
      assertThat(log.executed()).containsExactly("ALTER ROLE \"foo_user\" PASSWORD '<redacted>'");
    }
    try (Connection asUser =
        DriverManager.getConnection(
            "jdbc:postgresql://127.0.0.1:" + cluster.leader().pgPort() + "/foo",
            "foo_user",
            password("foo_user"))) {
      assertThat(asUser.isValid(2)).isTrue();
    }
  }

  private static List<String> flags(Statement s, String role) throws SQLException {
    List<String> flags = new ArrayList<>();
    try (ResultSet rs =
        s.executeQuery(
            "select rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin "
                + "from pg_roles where rolname = '"
                + role
                + "'")) {
      rs.next();
      String[] names = {"SUPERUSER", "INHERIT", "CREATEROLE", "CREATEDB", "LOGIN"};
      for (int i = 0; i < names.length; i++) {
        if (rs.getBoolean(i + 1)) {
          flags.add(names[i]);
        }
      }
    }
    return flags;
  }

  private static List<String> memberOf(Statement s, String role) throws SQLException {
    List<String> groups = new ArrayList<>();
    try (ResultSet rs =
        s.executeQuery(
            "select g.rolname from pg_auth_members a join pg_roles r on r.oid = a.member "
                + "join pg_roles g on g.oid = a.roleid where r.rolname = '"
                + role
                + "'")) {
      while (rs.next()) {
        groups.add(rs.getString(1));
      }
    }
    return groups;
  }
}
