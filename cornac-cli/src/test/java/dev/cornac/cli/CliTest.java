package dev.cornac.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cornac.api.model.ManifestMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
  private static Path repo() {
    return CliRunner.repo();
  }

  private static CliRunner.Result run(String... args) {
    return CliRunner.run(args);
  }

  @Test
  void rendersTheCompleteExampleUnderTheExampleConfigMap() {
    CliRunner.Result r =
        run(
            "render",
            "-f",
            repo().resolve("manifests/complete-postgres-manifest.yaml").toString(),
            "--config",
            repo().resolve("manifests/configmap.yaml").toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains(
            "kind: StatefulSet",
            "kind: PodDisruptionBudget",
            "kind: Endpoints",
            "name: acid-test-cluster-repl");
    assertThat(r.out()).doesNotContainPattern("password: (?!PGdlbmVyYXRl)");
  }

  @Test
  void rendersJsonAsAList() throws Exception {
    CliRunner.Result r =
        run(
            "render",
            "-o",
            "json",
            "-n",
            "team-a",
            "-f",
            repo().resolve("manifests/minimal-postgres-manifest.yaml").toString());
    assertThat(r.exit()).isZero();
    JsonNode list = ManifestMapper.json().readTree(r.out());
    assertThat(list.path("kind").asText()).isEqualTo("List");
    assertThat(list.path("items").get(0).path("metadata").path("namespace").asText())
        .isEqualTo("team-a");
  }

  @Test
  void showSecretsPrintsGeneratedPasswords() {
    CliRunner.Result r =
        run(
            "render",
            "--show-secrets",
            "-f",
            repo().resolve("manifests/minimal-postgres-manifest.yaml").toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out()).doesNotContain("PGdlbmVyYXRl");
  }

  @Test
  void validateReportsEveryErrorAndExitsNonZeroWithoutStackTrace(@TempDir Path dir)
      throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(
        bad,
        """
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
    CliRunner.Result r =
        run(
            "validate",
            "-f",
            bad.toString(),
            repo().resolve("manifests/minimal-postgres-manifest.yaml").toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err())
        .contains(
            "spec.numberOfInstances",
            "spec.volume.size",
            "spec.postgresql.version",
            "spec.maintenanceWindows[0]")
        .doesNotContain("Exception", "\tat ");
    assertThat(r.out()).contains("acid-minimal-cluster): valid");
  }

  @Test
  void unreadableInputsGiveOneClearLine(@TempDir Path dir) throws Exception {
    CliRunner.Result missing = run("render", "-f", dir.resolve("nope.yaml").toString());
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err().strip())
        .isEqualTo("error: " + dir.resolve("nope.yaml") + ": no such file");
    Path broken = dir.resolve("broken.yaml");
    Files.writeString(broken, "spec: [unclosed\n");
    CliRunner.Result syntax = run("validate", "-f", broken.toString());
    assertThat(syntax.exit()).isEqualTo(1);
    assertThat(syntax.err())
        .contains("broken.yaml:")
        .contains("not valid YAML")
        .doesNotContain("\tat ");
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, "apiVersion: v1\nkind: ConfigMap\ndata: {workers: \"many\"}\n");
    CliRunner.Result badConfig =
        run(
            "render",
            "--config",
            config.toString(),
            "-f",
            repo().resolve("manifests/minimal-postgres-manifest.yaml").toString());
    assertThat(badConfig.exit()).isEqualTo(2);
    assertThat(badConfig.err().strip())
        .isEqualTo("error: configuration key workers: \"many\" is not an integer");
  }

  @Test
  void oneBadFileDoesNotHideTheOthers(@TempDir Path dir) throws Exception {
    String minimal = Files.readString(repo().resolve("manifests/minimal-postgres-manifest.yaml"));
    Path nullFlag = dir.resolve("null-flag.yaml");
    Files.writeString(nullFlag, minimal.replaceFirst("users:\n", "users:\n    u: [null]\n"));
    Path wrongKind = dir.resolve("kind.yaml");
    Files.writeString(wrongKind, minimal.replace("kind: postgresql", "kind: Postgresql"));
    Path other = dir.resolve("configmap.yaml");
    Files.writeString(other, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
    Path good = repo().resolve("manifests/minimal-postgres-manifest.yaml");
    CliRunner.Result r =
        run(
            "validate",
            "-f",
            nullFlag.toString(),
            wrongKind.toString(),
            other.toString(),
            good.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err())
        .contains("null-flag.yaml (acid-minimal-cluster): spec.users.u[0]: must not be null")
        .contains(
            "kind.yaml (acid-minimal-cluster): kind: \"Postgresql\" is not supported; use postgresql (all lower"
                + " case)")
        .contains(
            "configmap.yaml: holds no postgresql resource (it holds ConfigMap); a cluster manifest has "
                + "apiVersion: acid.zalan.do/v1 and kind: postgresql")
        .doesNotContain("NullPointer", "Exception");
    assertThat(r.out()).contains(good + " (acid-minimal-cluster): valid");
  }

  @Test
  void printsTheCrds() {
    CliRunner.Result r = run("crds");
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .contains(
            "name: postgresqls.acid.zalan.do",
            "name: operatorconfigurations.acid.zalan.do",
            "name: postgresteams.acid.zalan.do");
  }

  @Test
  void localUpOfAVersionThatIsNotInstalledNamesTheInstalledOnes(@TempDir Path home) {
    CliRunner.Result r =
        run(
            "local",
            "--state-dir",
            home.toString(),
            "up",
            "-f",
            repo().resolve("manifests/minimal-postgres-manifest.yaml").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .contains("spec.postgresql.version is \"18\"", "installed: 15", "--postgres-version 15")
        .doesNotContain("Exception");
    assertThat(home.resolve("acid-minimal-cluster").resolve("state.json")).doesNotExist();
  }

  @Test
  void localRejectsWhatOneMachineCannotDo(@TempDir Path dir) throws Exception {
    Path standby = dir.resolve("standby.yaml");
    Files.writeString(
        standby,
        """
        apiVersion: acid.zalan.do/v1
        kind: postgresql
        metadata: {name: acid-standby}
        spec:
          teamId: acid
          numberOfInstances: 1
          postgresql: {version: "15"}
          volume: {size: 1Gi}
          standby: {s3_wal_path: "s3://bucket/spilo/acid-source/wal/15"}
        """);
    CliRunner.Result r =
        run("local", "--state-dir", dir.resolve("home").toString(), "up", "-f", standby.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("spec.standby", "not supported by the local runtime");
  }
}
