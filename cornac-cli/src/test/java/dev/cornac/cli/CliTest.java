package dev.cornac.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cornac.api.model.ManifestMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
  record Result(int exit, String out, String err) {}

  private static Path repo() {
    String root = System.getProperty("cornac.repo.root");
    return (root != null ? Path.of(root) : Path.of("..")).toAbsolutePath().normalize();
  }

  private static Result run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int exit = Main.run(args);
      return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void rendersTheCompleteExampleUnderTheExampleConfigMap() {
    Result r = run("render", "-f", repo().resolve("manifests/complete-postgres-manifest.yaml").toString(),
        "--config", repo().resolve("manifests/configmap.yaml").toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("kind: StatefulSet", "kind: PodDisruptionBudget", "kind: Endpoints",
        "name: acid-test-cluster-repl");
    assertThat(r.out()).doesNotContainPattern("password: (?!PGdlbmVyYXRl)");
  }

  @Test
  void rendersJsonAsAList() throws Exception {
    Result r = run("render", "-o", "json", "-n", "team-a", "-f",
        repo().resolve("manifests/minimal-postgres-manifest.yaml").toString());
    assertThat(r.exit()).isZero();
    JsonNode list = ManifestMapper.json().readTree(r.out());
    assertThat(list.path("kind").asText()).isEqualTo("List");
    assertThat(list.path("items").get(0).path("metadata").path("namespace").asText()).isEqualTo("team-a");
  }

  @Test
  void showSecretsPrintsGeneratedPasswords() {
    Result r = run("render", "--show-secrets", "-f", repo().resolve("manifests/minimal-postgres-manifest.yaml")
        .toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out()).doesNotContain("PGdlbmVyYXRl");
  }

  @Test
  void validateReportsEveryErrorAndExitsNonZeroWithoutStackTrace(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, """
        apiVersion: acid.zalan.do/v1
        kind: postgresql
        metadata: {name: acid-bad}
        spec:
          teamId: acid
          numberOfInstances: -2
          volume: {size: big}
          postgresql: {version: "9.6"}
          maintenanceWindows: ["Sun:10:00-09:00"]
        """);
    Result r = run("validate", "-f", bad.toString(), repo().resolve("manifests/minimal-postgres-manifest.yaml")
        .toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("spec.numberOfInstances", "spec.volume.size", "spec.postgresql.version",
        "spec.maintenanceWindows[0]").doesNotContain("Exception", "\tat ");
    assertThat(r.out()).contains("acid-minimal-cluster): valid");
  }

  @Test
  void unreadableInputsGiveOneClearLine(@TempDir Path dir) throws Exception {
    Result missing = run("render", "-f", dir.resolve("nope.yaml").toString());
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err().strip()).isEqualTo("error: " + dir.resolve("nope.yaml") + ": no such file");
    Path broken = dir.resolve("broken.yaml");
    Files.writeString(broken, "spec: [unclosed\n");
    Result syntax = run("validate", "-f", broken.toString());
    assertThat(syntax.exit()).isEqualTo(1);
    assertThat(syntax.err()).contains("broken.yaml:").contains("not valid YAML").doesNotContain("\tat ");
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, "apiVersion: v1\nkind: ConfigMap\ndata: {workers: \"many\"}\n");
    Result badConfig = run("render", "--config", config.toString(), "-f",
        repo().resolve("manifests/minimal-postgres-manifest.yaml").toString());
    assertThat(badConfig.exit()).isEqualTo(2);
    assertThat(badConfig.err().strip()).isEqualTo("error: configuration key workers: \"many\" is not an integer");
  }

  @Test
  void printsTheCrds() {
    Result r = run("crds");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("name: postgresqls.acid.zalan.do", "name: operatorconfigurations.acid.zalan.do",
        "name: postgresteams.acid.zalan.do");
  }
}
