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
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** CORNAC_UI_ANONYMOUS_READ: anyone may look, nobody anonymous may change anything; the namespace guard holds. */
@WithStrictApiServer
class AnonymousReadTest {
  StrictApiServer api;
  KubernetesClient asUi;
  UiServer ui;

  @AfterEach
  void stop() throws Exception {
    Closeables.closeAll(ui, asUi);
  }

  @Test
  void anonymousUsersReadButNeverWrite() throws Exception {
    asUi = UiInstall.install(api);
    UiInstall.postgresqlCrd(api);
    UiInstall.create(api, """
        apiVersion: acid.zalan.do/v1
        kind: postgresql
        metadata: {name: acid-visible}
        spec: {teamId: acid, numberOfInstances: 1, volume: {size: 1Gi}, postgresql: {version: "17"}}
        """);
    ui = new UiServer(UiSettings.fromEnvironment(Map.of("SERVER_PORT", "0", "CORNAC_UI_USERNAME", "admin",
        "CORNAC_UI_PASSWORD", "pw-" + System.nanoTime(), "CORNAC_UI_ANONYMOUS_READ", "true",
        "TARGET_NAMESPACE", "default")), asUi, "127.0.0.1");
    String base = "http://127.0.0.1:" + ui.port() + "/";
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create(base + "postgresqls")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.body()).contains("acid-visible");
    assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "session")).build(),
        HttpResponse.BodyHandlers.ofString()).body()).contains("\"readOnly\":true");
    HttpResponse<String> delete = http.send(HttpRequest.newBuilder(URI.create(base
        + "postgresqls/default/acid-visible?confirm=default/acid-visible")).DELETE().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(delete.statusCode()).isEqualTo(401);
    assertThat(UiInstall.get(api, "default", "acid-visible")).isNotNull();
    HttpResponse<String> otherNamespace = http.send(HttpRequest.newBuilder(URI.create(base
        + "postgresqls/kube-system/acid-visible")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(otherNamespace.statusCode()).isEqualTo(403);
    assertThat(otherNamespace.body()).contains("The Kubernetes namespace must be default");
  }
}
