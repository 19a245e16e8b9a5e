package dev.cornac.ui;

import static dev.cornac.operator.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.operator.Closeables;
import dev.cornac.operator.OperatorHarness;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Token mode: the API server decides who a token is (TokenReview) and what they may do (SubjectAccessReview). The
 * mock API server answers both reviews here as a real one would for two users: alice may create postgresqls, bob not.
 */
@EnableKubernetesMockClient(crud = true)
class TokenAuthenticationTest {
  KubernetesMockServer server;
  KubernetesClient mockClient;
  OperatorHarness k8s;
  UiServer ui;
  final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() throws Exception {
    Closeables.closeAll(ui, k8s);
  }

  @Test
  void tokensAreReviewedAndWritesFollowRbac() throws Exception {
    server.expect().post().withPath("/apis/authentication.k8s.io/v1/tokenreviews").andReply(201, req -> {
      JsonNode review = read(req.getUtf8Body());
      String token = review.path("spec").path("token").asText();
      String user = Map.of("alice-token", "alice", "bob-token", "bob").get(token);
      var status = ((com.fasterxml.jackson.databind.node.ObjectNode) review).putObject("status");
      status.put("authenticated", user != null);
      if (user != null) {
        status.putObject("user").put("username", user);
      }
      return review;
    }).always();
    server.expect().post().withPath("/apis/authorization.k8s.io/v1/subjectaccessreviews").andReply(201, req -> {
      JsonNode review = read(req.getUtf8Body());
      boolean allowed = review.path("spec").path("user").asText().equals("alice");
      ((com.fasterxml.jackson.databind.node.ObjectNode) review).putObject("status").put("allowed", allowed);
      return review;
    }).always();
    k8s = new OperatorHarness(server, mockClient);
    ui = new UiServer(UiSettings.fromEnvironment(Map.of("SERVER_PORT", "0", "CORNAC_UI_AUTH", "token",
        "OPERATOR_API_URL", "http://127.0.0.1:9")), k8s.client(), "127.0.0.1");
    String base = "http://127.0.0.1:" + ui.port() + "/";
    String form = "{\"form\":{\"name\":\"acid-by-%s\",\"namespace\":\"default\",\"team\":\"acid\",\"version\":\"17\","
        + "\"instances\":1,\"volumeSize\":\"1Gi\"}}";

    HttpResponse<String> stranger = http.send(HttpRequest.newBuilder(URI.create(base + "login"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"forged\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(stranger.statusCode()).isEqualTo(401);
    assertThat(stranger.body()).contains("TokenReview");

    HttpResponse<String> alice = http.send(HttpRequest.newBuilder(URI.create(base + "create-cluster"))
        .POST(HttpRequest.BodyPublishers.ofString(form.formatted("alice")))
        .header("Authorization", "Bearer alice-token").header("Content-Type", "application/json").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(alice.statusCode()).as(alice.body()).isEqualTo(200);
    assertThat(k8s.get("acid-by-alice")).isNotNull();

    HttpResponse<String> bob = http.send(HttpRequest.newBuilder(URI.create(base + "create-cluster"))
        .POST(HttpRequest.BodyPublishers.ofString(form.formatted("bob")))
        .header("Authorization", "Bearer bob-token").header("Content-Type", "application/json").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(bob.statusCode()).isEqualTo(403);
    assertThat(bob.body()).contains("bob may not create postgresqls in namespace " + NS);
    assertThat(k8s.get("acid-by-bob")).isNull();

    HttpResponse<String> bobReads = http.send(HttpRequest.newBuilder(URI.create(base + "postgresqls"))
        .header("Authorization", "Bearer bob-token").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(bobReads.statusCode()).isEqualTo(200);
    assertThat(bobReads.body()).contains("acid-by-alice");
  }

  private static JsonNode read(String body) {
    try {
      return ManifestMapper.json().readTree(body);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
