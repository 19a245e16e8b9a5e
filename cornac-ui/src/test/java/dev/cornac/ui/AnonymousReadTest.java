package dev.cornac.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cornac.operator.Closeables;
import dev.cornac.testkit.StrictApiServer;
import dev.cornac.testkit.WithStrictApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CORNAC_UI_ANONYMOUS_READ: anyone may look, nobody anonymous may change anything; the namespace
 * guard holds.
 */
@WithStrictApiServer
class AnonymousReadTest {
  static final String PASSWORD = "pw-" + System.nanoTime();

  StrictApiServer api;
  KubernetesClient asUi;
  UiServer ui;
  String base;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    asUi = UiInstall.install(api);
    UiInstall.postgresqlCrd(api);
    UiInstall.create(
        api,
        """
        apiVersion: acid.zalan.do/v1
        kind: postgresql
        metadata: {name: acid-visible}
        spec: {teamId: acid, numberOfInstances: 1, volume: {size: 1Gi}, postgresql: {version: "17"}}
        """);
    ui =
        new UiServer(
            UiSettings.fromEnvironment(
                Map.of(
                    "SERVER_PORT",
                    "0",
                    "CORNAC_UI_USERNAME",
                    "admin",
                    "CORNAC_UI_PASSWORD",
                    PASSWORD,
                    "CORNAC_UI_ANONYMOUS_READ",
                    "true",
                    "TARGET_NAMESPACE",
                    "default")),
            asUi,
            "127.0.0.1");
    base = "http://127.0.0.1:" + ui.port() + "/";
  }

  @AfterEach
  void stop() throws Exception {
    Closeables.closeAll(ui, asUi);
  }

  @Test
  void anonymousUsersReadButNeverWrite() throws Exception {
    HttpResponse<String> list =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "postgresqls")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.body()).contains("acid-visible");
    assertThat(
            http.send(
                    HttpRequest.newBuilder(URI.create(base + "session")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .body())
        .contains("\"readOnly\":true");
    HttpResponse<String> delete =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        base + "postgresqls/default/acid-visible?confirm=default/acid-visible"))
                .DELETE()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(delete.statusCode()).isEqualTo(401);
    assertThat(UiInstall.get(api, "default", "acid-visible")).isNotNull();
    HttpResponse<String> otherNamespace =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "postgresqls/kube-system/acid-visible"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(otherNamespace.statusCode()).isEqualTo(403);
    assertThat(otherNamespace.body()).contains("The Kubernetes namespace must be default");
  }

  @Test
  void wrongCredentialsAreRefusedThoughAnonymousUsersMayRead() throws Exception {
    // Given anonymous reads, when a client sends credentials that are wrong
    for (String authorization :
        new String[] {
          basic("admin", "wrong"),
          basic("nobody", PASSWORD),
          "Basic not-base64!",
          "Bearer some-token",
          "Digest username=admin"
        }) {
      for (String path : new String[] {"postgresqls", "session", "config"}) {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                    .header("Authorization", authorization)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        // Then it is told so, rather than served as an anonymous reader
        assertThat(r.statusCode()).as(authorization + " on " + path).isEqualTo(401);
        assertThat(r.body()).as(authorization + " on " + path).doesNotContain("acid-visible");
      }
    }
    // And the right password reads as before
    HttpResponse<String> right =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "session"))
                .header("Authorization", basic("admin", PASSWORD))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(right.statusCode()).isEqualTo(200);
    assertThat(right.body()).contains("\"user\":\"admin\"");
  }

  @Test
  void aWrongPasswordAtTheLoginFormIsRefusedThoughAnonymousUsersMayRead() throws Exception {
    HttpResponse<String> login =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "login"))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"admin\",\"password\":\"wrong\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(login.statusCode()).isEqualTo(401);
    assertThat(login.headers().firstValue("Set-Cookie")).isEmpty();
  }

  static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
