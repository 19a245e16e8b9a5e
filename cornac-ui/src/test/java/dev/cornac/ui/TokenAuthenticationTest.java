package dev.cornac.ui;

import static dev.cornac.operator.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cornac.api.model.ManifestMapper;
import dev.cornac.operator.Closeables;
import dev.cornac.testkit.Identity;
import dev.cornac.testkit.StrictApiServer;
import dev.cornac.testkit.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Token mode: the API server decides who a token is (TokenReview) and what they may do
 * (SubjectAccessReview). The strict API server answers both from its real tokens and RBAC objects:
 * alice's group is bound to a role that manages postgresqls in the namespace, as a cluster
 * administrator would grant it; bob has no such binding.
 */
@WithStrictApiServer
class TokenAuthenticationTest {
  static final String FORM =
      "{\"form\":{\"name\":\"acid-by-%s\",\"namespace\":\"default\",\"team\":\"acid\","
          + "\"version\":\"17\",\"instances\":1,\"volumeSize\":\"1Gi\"}}";

  StrictApiServer api;
  KubernetesClient asUi;
  UiServer ui;
  String base;
  String alice;
  String bob;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    asUi = UiInstall.install(api);
    UiInstall.postgresqlCrd(api);
    api.adminClient()
        .rbac()
        .clusterRoles()
        .resource(
            new ClusterRoleBuilder()
                .withNewMetadata()
                .withName("postgresql-editor")
                .endMetadata()
                .addNewRule()
                .withApiGroups("acid.zalan.do")
                .withResources("postgresqls")
                .withVerbs("get", "list", "create", "update", "patch", "delete")
                .endRule()
                .build())
        .create();
    api.adminClient()
        .rbac()
        .roleBindings()
        .inNamespace(NS)
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName("dba-edit-postgresqls")
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "postgresql-editor")
                .addNewSubject()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind("Group")
                .withName("dba")
                .endSubject()
                .build())
        .create();
    alice = api.token(Identity.user("alice", "dba"));
    bob = api.token(Identity.user("bob", "developers"));
    ui =
        new UiServer(
            UiSettings.fromEnvironment(
                Map.of(
                    "SERVER_PORT",
                    "0",
                    "CORNAC_UI_AUTH",
                    "token",
                    "OPERATOR_API_URL",
                    "http://127.0.0.1:9")),
            asUi,
            "127.0.0.1");
    base = "http://127.0.0.1:" + ui.port() + "/";
  }

  @AfterEach
  void stop() throws Exception {
    Closeables.closeAll(ui, asUi);
  }

  private HttpResponse<String> create(String who, String bearer) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + "create-cluster"))
            .POST(HttpRequest.BodyPublishers.ofString(FORM.formatted(who)))
            .header("Authorization", "Bearer " + bearer)
            .header("Content-Type", "application/json")
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void tokensAreReviewedAndWritesFollowRbac() throws Exception {
    HttpResponse<String> stranger =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "login"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"forged\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(stranger.statusCode()).isEqualTo(401);
    assertThat(stranger.body()).contains("TokenReview");

    HttpResponse<String> byAlice = create("alice", alice);
    assertThat(byAlice.statusCode()).as(byAlice.body()).isEqualTo(200);
    assertThat(UiInstall.get(api, NS, "acid-by-alice")).isNotNull();

    HttpResponse<String> byBob = create("bob", bob);
    assertThat(byBob.statusCode()).isEqualTo(403);
    assertThat(byBob.body()).contains("bob may not create postgresqls in namespace " + NS);
    assertThat(UiInstall.get(api, NS, "acid-by-bob")).isNull();

    HttpResponse<String> bobReads =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "postgresqls"))
                .header("Authorization", "Bearer " + bob)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(bobReads.statusCode()).isEqualTo(200);
    assertThat(bobReads.body()).contains("acid-by-alice");
  }

  @Test
  void aUserLoggedInWithHerTokenWritesFromThePageWithTheRightsOfHerGroup() throws Exception {
    HttpResponse<String> login =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "login"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + alice + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    assertThat(ManifestMapper.json().readTree(login.body()).path("user").asText())
        .isEqualTo("alice");
    String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    String session = cookie.substring(0, cookie.indexOf(';'));
    String csrf = ManifestMapper.json().readTree(login.body()).path("csrf").asText();

    HttpResponse<String> created =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "create-cluster"))
                .POST(HttpRequest.BodyPublishers.ofString(FORM.formatted("alice-page")))
                .header("Content-Type", "application/json")
                .header("Cookie", session)
                .header("X-CSRF-Token", csrf)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    assertThat(UiInstall.get(api, NS, "acid-by-alice-page")).isNotNull();

    HttpResponse<String> deleted =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        base
                            + "postgresqls/default/acid-by-alice-page?confirm=default/acid-by-alice-page"))
                .DELETE()
                .header("Cookie", session)
                .header("X-CSRF-Token", csrf)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
    assertThat(UiInstall.get(api, NS, "acid-by-alice-page")).isNull();
  }
}
