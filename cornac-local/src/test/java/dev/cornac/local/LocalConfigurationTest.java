package dev.cornac.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cornac.api.config.OperatorConfig;
import dev.cornac.api.model.ManifestMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the local runtime writes and refuses, without starting anything. */
class LocalConfigurationTest {
  @TempDir Path dir;

  private Path write(String name, String yaml) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, yaml);
    return file;
  }

  private static Path repo() {
    String root = System.getProperty("cornac.repo.root");
    return (root != null ? Path.of(root) : Path.of("..")).toAbsolutePath().normalize();
  }

  private LocalManifest manifest(String spec) throws Exception {
    return LocalManifest.load(
        write(
            "m.yaml",
            """
        apiVersion: acid.zalan.do/v1
        kind: postgresql
        metadata: {name: acid-unit}
        spec:
          teamId: acid
          volume: {size: 1Gi}
          postgresql:
            version: "15"
            parameters: {shared_buffers: 64MB, work_mem: 16MB, max_connections: "120"}
        """
                + spec),
        OperatorConfig.defaults());
  }

  @Test
  void patroniConfigurationCarriesTheManifestAndFillsTheLocalRest() throws Exception {
    LocalManifest m =
        manifest(
            """
          numberOfInstances: 2
          patroni:
            ttl: 20
            synchronous_mode: true
            initdb: {locale: en_US.UTF-8}
        """);
    LocalLayout layout = new LocalLayout(dir.resolve("acid-unit"));
    LocalState state =
        new LocalState(
            "acid-unit",
            "15",
            "/usr/lib/postgresql/15/bin",
            "postgres",
            2379,
            2380,
            List.of(new LocalState.Member("acid-unit-0", 8008, 5432, 9187)),
            new LocalState.Pooler(false, 6432),
            new LocalState.Pooler(false, 6433));
    LocalCredentials credentials = LocalCredentials.load(layout);
    JsonNode yml =
        ManifestMapper.yaml()
            .readTree(
                PatroniConfigFile.render(
                    m.cluster(), state, state.members().get(0), layout, credentials));

    JsonNode dcs = yml.path("bootstrap").path("dcs");
    assertThat(dcs.path("ttl").asInt()).as("the manifest wins").isEqualTo(20);
    assertThat(dcs.path("loop_wait").asInt()).as("local default").isEqualTo(1);
    assertThat(dcs.path("retry_timeout").asInt()).isEqualTo(3);
    assertThat(dcs.path("synchronous_mode").asBoolean()).isTrue();
    assertThat(dcs.path("postgresql").path("parameters").path("work_mem").asText())
        .isEqualTo("16MB");
    assertThat(dcs.path("postgresql").path("parameters").path("max_connections").asText())
        .isEqualTo("120");
    assertThat(dcs.path("postgresql").path("parameters").path("wal_level").asText())
        .isEqualTo("replica");
    assertThat(yml.path("postgresql").path("parameters").path("shared_buffers").asText())
        .as("a parameter Patroni keeps per member")
        .isEqualTo("64MB");
    assertThat(yml.path("bootstrap").path("initdb").toString())
        .contains("\"locale\":\"en_US.UTF-8\"")
        .doesNotContain("C.UTF-8")
        .contains("data-checksums", "auth-host");
    assertThat(yml.path("postgresql").path("listen").asText()).isEqualTo("127.0.0.1:5432");
    assertThat(yml.path("postgresql").path("remove_data_directory_on_rewind_failure").asBoolean())
        .as("a failed rewind ends in a fresh copy, not in manual steps")
        .isTrue();
    assertThat(yml.path("restapi").path("listen").asText()).isEqualTo("127.0.0.1:8008");
    assertThat(yml.path("etcd").path("host").asText()).isEqualTo("127.0.0.1:2379");
    assertThat(yml.path("postgresql").path("data_dir").asText())
        .isEqualTo(layout.dataDir("acid-unit-0").toString());
    assertThat(yml.path("postgresql").path("pg_hba").toString())
        .contains("host replication standby 127.0.0.1/32 scram-sha-256");
    assertThat(
            yml.path("postgresql")
                .path("authentication")
                .path("superuser")
                .path("password")
                .asText())
        .isEqualTo(credentials.passwordOf("postgres"))
        .hasSize(64);
  }

  @Test
  void fieldsWithoutALocalMeaningAreListedWithTheReason() throws Exception {
    LocalManifest complete =
        LocalManifest.load(
            repo().resolve("manifests/complete-postgres-manifest.yaml"), OperatorConfig.defaults());
    assertThat(complete.ignored())
        .anySatisfy(i -> assertThat(i).startsWith("spec.volume (data lives"))
        .anySatisfy(i -> assertThat(i).startsWith("spec.resources ("))
        .anySatisfy(i -> assertThat(i).startsWith("spec.allowedSourceRanges ("))
        .noneSatisfy(i -> assertThat(i).startsWith("spec.users"));
    LocalManifest balanced = manifest("  numberOfInstances: 1\n  enableMasterLoadBalancer: true\n");
    assertThat(balanced.ignored())
        .anySatisfy(i -> assertThat(i).startsWith("spec.enableMasterLoadBalancer ("));
    LocalManifest plain = manifest("  numberOfInstances: 1\n  enableMasterLoadBalancer: false\n");
    assertThat(plain.ignored())
        .as("false is the default, not a setting")
        .containsExactly(
            "spec.volume (data lives in the cluster's directory; no volume, size or storage class)");
  }

  @Test
  void clonesStandbysAndZeroInstancesAreRefusedWithTheField() throws Exception {
    assertThatThrownBy(
            () ->
                manifest(
                    """
          numberOfInstances: 1
          clone: {cluster: acid-source}
        """))
        .isInstanceOf(LocalRuntimeException.class)
        .hasMessageContaining("spec.clone");
    assertThatThrownBy(() -> manifest("  numberOfInstances: 0\n"))
        .hasMessageContaining("spec.numberOfInstances");
    assertThatThrownBy(() -> manifest("  numberOfInstances: many\n"))
        .hasMessageContaining("is not a valid postgresql manifest");
  }

  @Test
  void aMissingVersionNamesTheInstalledOnesAndTheOverride() throws Exception {
    Path root = dir.resolve("postgresql");
    for (String v : List.of("9.6", "13", "15")) {
      Path bin = Files.createDirectories(root.resolve(v).resolve("bin"));
      Files.writeString(bin.resolve("postgres"), "#!/bin/sh\n");
      bin.resolve("postgres").toFile().setExecutable(true);
    }
    PostgresInstallation installation = new PostgresInstallation(root);
    assertThat(installation.installedVersions()).containsExactly("13", "15", "9.6");
    assertThat(installation.binDir("13")).isEqualTo(root.resolve("13").resolve("bin"));
    assertThatThrownBy(() -> installation.binDir("18"))
        .isInstanceOf(LocalRuntimeException.class)
        .hasMessageContaining("spec.postgresql.version is \"18\"")
        .hasMessageContaining("installed: 13, 15, 9.6")
        .hasMessageContaining("install postgresql-18");
    assertThatThrownBy(() -> new PostgresInstallation(dir.resolve("none")).binDir("15"))
        .hasMessageContaining("apt-get install postgresql-15");
  }

  @Test
  void passwordsAreGeneratedOnceAndKeptPrivate() throws Exception {
    LocalLayout layout = new LocalLayout(dir.resolve("acid-unit"));
    LocalCredentials first = LocalCredentials.load(layout);
    String password = first.passwordOf("app");
    first.save();
    assertThat(password).matches("[a-zA-Z0-9]{64}");
    assertThat(LocalCredentials.load(layout).passwordOf("app")).isEqualTo(password);
    assertThat(LocalCredentials.load(layout).passwordOf("other")).isNotEqualTo(password);
    assertThat(Files.readString(layout.pgpass())).isEqualTo("127.0.0.1:*:*:app:" + password + "\n");
    for (Path p : List.of(layout.pgpass(), layout.credentials())) {
      assertThat(Files.getPosixFilePermissions(p))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }
    assertThat(Files.getPosixFilePermissions(layout.dir()))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
  }

  @Test
  void portsAreNeverHandedOutTwiceNorTakenFromAnotherCluster() throws Exception {
    FreePorts first = new FreePorts(Set.of());
    int a = first.next();
    FreePorts ports = new FreePorts(Set.of(a));
    int b = ports.next();
    int c = ports.next();
    assertThat(Set.of(a, b, c)).hasSize(3);
    assertThat(ports.keepOrReplace(a)).as("remembered by another cluster").isNotEqualTo(a);
    try (var busy = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      assertThat(new FreePorts(Set.of()).keepOrReplace(busy.getLocalPort()))
          .isNotEqualTo(busy.getLocalPort());
    }
  }

  @Test
  void componentsFollowTheStateAndKeepPasswordsOutOfTheCommandLine() throws Exception {
    LocalLayout layout = new LocalLayout(dir.resolve("acid-unit"));
    LocalState state =
        new LocalState(
            "acid-unit",
            "15",
            "/usr/lib/postgresql/15/bin",
            "postgres",
            2379,
            2380,
            List.of(
                new LocalState.Member("acid-unit-1", 8009, 5433, 9188),
                new LocalState.Member("acid-unit-0", 8008, 5432, 9187)),
            new LocalState.Pooler(true, 6432),
            new LocalState.Pooler(false, 6433));
    LocalCredentials credentials = LocalCredentials.load(layout);
    var components = Components.of(state, layout, credentials);
    assertThat(components.keySet())
        .containsExactly(
            "etcd",
            "acid-unit-0",
            "acid-unit-1",
            "pooler-master",
            "exporter-acid-unit-0",
            "exporter-acid-unit-1");
    String exporterPassword = credentials.passwordOf(Components.EXPORTER_ROLE);
    components
        .values()
        .forEach(c -> assertThat(String.join(" ", c.command())).doesNotContain(exporterPassword));
    assertThat(components.get("exporter-acid-unit-1").env().get("DATA_SOURCE_NAME"))
        .contains(":5433/");
    assertThat(Components.of(state.withPoolers(false, true), layout, credentials).keySet())
        .contains("pooler-replica")
        .doesNotContain("pooler-master");
  }
}
