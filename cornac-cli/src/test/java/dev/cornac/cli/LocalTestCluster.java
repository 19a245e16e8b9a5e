package dev.cornac.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cornac.testkit.drill.DrillManifest;
import dev.cornac.testkit.drill.MemberProcesses;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A 2-member local cluster driven through the CLI, for the drill tests: its manifest, its status
 * and members as {@code status -o json} shows them, and its processes and Patroni API reached
 * directly.
 */
final class LocalTestCluster implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  final Path home;
  final String name;
  final Path manifest;

  LocalTestCluster(String name) throws IOException {
    this.name = name;
    this.home = Files.createTempDirectory("cornac-" + name + "-");
    // Under root the processes run as postgres, which must be able to enter the home.
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
    this.manifest = home.resolve("cluster.yaml");
  }

  /** Writes the manifest: 2 members of PostgreSQL 15, with this {@code patroni} section. */
  void manifest(String patroni) throws IOException {
    Files.writeString(manifest, DrillManifest.twoMembers(name, "acid", "15", patroni));
  }

  CliRunner.Result local(String... args) {
    return CliRunner.local(home, args);
  }

  CliRunner.Result succeeds(String... args) {
    CliRunner.Result r = local(args);
    assertThat(r.exit()).as(r.err() + r.out()).isZero();
    return r;
  }

  JsonNode status() throws IOException {
    return JSON.readTree(succeeds("status", name, "-o", "json").out());
  }

  JsonNode member(JsonNode status, String member) {
    for (JsonNode m : status.path("members")) {
      if (m.path("name").asText().equals(member)) {
        return m;
      }
    }
    throw new AssertionError("no member " + member + " in " + status);
  }

  String leader() throws IOException {
    for (JsonNode m : status().path("members")) {
      if (m.path("role").asText().equals("leader")) {
        return m.path("name").asText();
      }
    }
    throw new AssertionError("no leader in " + status());
  }

  List<Integer> ports() throws IOException {
    List<Integer> ports = new ArrayList<>();
    status().path("members").forEach(m -> ports.add(m.path("port").asInt()));
    return ports;
  }

  int port(String member) throws IOException {
    return member(status(), member).path("port").asInt();
  }

  String password() throws IOException {
    return JSON.readTree(home.resolve(name).resolve("credentials.json").toFile())
        .path("postgres")
        .asText();
  }

  Connection connect(String member) throws IOException, SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + port(member) + "/postgres?connectTimeout=5",
        "postgres",
        password());
  }

  MemberProcesses processes(String member) throws IOException {
    Path dir = home.resolve(name);
    return MemberProcesses.of(
        dir.resolve("run").resolve(member + ".pid"),
        dir.resolve("members").resolve(member).resolve("data"));
  }

  long postmasterPid(String member) throws IOException {
    Path pidFile =
        home.resolve(name).resolve("members").resolve(member).resolve("data/postmaster.pid");
    return Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
  }

  /** {@code GET path} on a member's Patroni API, whatever its HTTP status. */
  JsonNode patroni(String restUrl, String path) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(restUrl + path))
                .timeout(Duration.ofSeconds(2))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

  @Override
  public void close() throws IOException {
    if (Files.exists(home.resolve(name))) {
      local("down", name, "--purge");
    }
    CliRunner.deleteTree(home);
  }
}
