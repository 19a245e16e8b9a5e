package dev.cornac.cli;

import static dev.cornac.operator.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.operator.Closeables;
import dev.cornac.operator.OperatorHarness;
import dev.cornac.testkit.StrictApiServer;
import dev.cornac.testkit.WithStrictApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cornac diff}: what a change of manifest does before it is applied — offline against
 * another manifest, and against the live cluster through a DBA's kubeconfig (the strict API server,
 * the operator's own objects).
 */
@WithStrictApiServer
class DiffCliTest {
  static final String BEFORE =
      """
      apiVersion: acid.zalan.do/v1
      kind: postgresql
      metadata: {name: acid-diff}
      spec:
        teamId: acid
        numberOfInstances: 2
        volume: {size: 1Gi}
        postgresql: {version: "15"}
        users: {app: []}
        databases: {app: app}
      """;
  static final String IMAGE_BUMP =
      BEFORE.replace(
          "  teamId: acid\n", "  teamId: acid\n  dockerImage: ghcr.io/zalando/spilo-17:4.0-p3\n");

  StrictApiServer api;
  OperatorHarness k8s;
  @TempDir Path dir;

  @AfterEach
  void tearDown() throws Exception {
    Closeables.closeAll(k8s);
  }

  private Path write(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void offlineAnImageBumpShowsTheFieldThePodOrderAndTheSwitchover() throws Exception {
    Path before = write("before.yaml", BEFORE);
    Path after =
        write(
            "after.yaml",
            IMAGE_BUMP.replace("users: {app: []}", "users: {app: [], reporting: []}"));

    CliRunner.Result diff =
        CliRunner.run("diff", "-f", after.toString(), "--against", before.toString());
    assertThat(diff.exit()).as(diff.err()).isZero();
    assertThat(diff.out())
        .contains(
            "postgresql default/acid-diff, against " + before + ":",
            "  ~ StatefulSet acid-diff: updated\n      .spec.template.spec.containers[0].image\n",
            "  + Secret reporting.acid-diff.credentials.postgresql.acid.zalan.do: created",
            "  1. acid-diff-1\n  then one switchover, to a replica already recreated, before the primary is recreated\n"
                + "  2. acid-diff-0 (the primary, if it still leads)",
            "inside PostgreSQL:\n  role reporting created, with its credentials secret");

    CliRunner.Result json =
        CliRunner.run("diff", "-f", after.toString(), "--against", before.toString(), "-o", "json");
    JsonNode plan = ManifestMapper.json().readTree(json.out());
    assertThat(plan.path("changes").asBoolean()).isTrue();
    assertThat(plan.path("objects"))
        .anySatisfy(
            o -> {
              assertThat(o.path("kind").asText()).isEqualTo("StatefulSet");
              assertThat(o.path("action").asText()).isEqualTo("update");
              assertThat(o.path("fields").get(0).asText())
                  .isEqualTo(".spec.template.spec.containers[0].image");
            });
    assertThat(plan.path("podRestarts")).hasSize(2);

    CliRunner.Result same =
        CliRunner.run("diff", "-f", before.toString(), "--against", before.toString());
    assertThat(same.out()).endsWith("no changes\n");
  }

  @Test
  void whatTheOperatorWouldRefuseIsSaidWithTheFieldAndNothingElse() throws Exception {
    Path before = write("before.yaml", BEFORE);
    Path bad = write("bad.yaml", BEFORE.replace("numberOfInstances: 2", "numberOfInstances: -1"));
    CliRunner.Result diff =
        CliRunner.run("diff", "-f", bad.toString(), "--against", before.toString());
    assertThat(diff.exit()).isEqualTo(CliErrors.EXIT_INVALID);
    assertThat(diff.out())
        .contains("refused by the operator", "numberOfInstances")
        .doesNotContain("objects:");
    assertThat(diff.err()).doesNotContain("Exception");
  }

  @Test
  void againstTheLiveClusterTheOperatorsObjectsShowNoDriftAndAChangeShowsTheRealPrimaryLast()
      throws Exception {
    k8s = OperatorHarness.withExampleConfig(api);
    k8s.startOperator(false);
    k8s.create(BEFORE);
    k8s.runPods("acid-diff");
    k8s.awaitStatus("acid-diff", "Running");
    Path kubeconfig = TestKubeconfig.forDba(api, dir, NS);
    String config = OperatorHarness.repoRoot().resolve("manifests/configmap.yaml").toString();

    CliRunner.Result unchanged =
        CliRunner.run(
            "diff",
            "-f",
            write("same.yaml", BEFORE).toString(),
            "--config",
            config,
            "--kubeconfig",
            kubeconfig.toString());
    assertThat(unchanged.exit()).as(unchanged.err()).isZero();
    assertThat(unchanged.out())
        .as("what the operator made is what the manifest asks for")
        .endsWith("no changes\n");

    CliRunner.Result bump =
        CliRunner.run(
            "diff",
            "-f",
            write("bump.yaml", IMAGE_BUMP).toString(),
            "--config",
            config,
            "--kubeconfig",
            kubeconfig.toString());
    assertThat(bump.exit()).as(bump.err()).isZero();
    assertThat(bump.out())
        .contains(
            "against the live cluster",
            "  ~ StatefulSet acid-diff: updated",
            "  1. acid-diff-1\n",
            "  2. acid-diff-0 (the primary)\n");
  }
}
