package dev.cornac.ui;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.operator.Closeables;
import dev.cornac.testkit.StrictApiServer;
import dev.cornac.testkit.WithStrictApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The audit trail ({@code cornac.audit}, under the Logback configuration {@code cornac ui} ships):
 * every write with its user, action and cluster, every refused write and failed login, and never a
 * password, token or cookie.
 */
@WithStrictApiServer
class AuditLogTest {
  static final String PASSWORD = "audit-pw-" + UUID.randomUUID();
  static final String WRONG = "wrong-pw-" + UUID.randomUUID();
  static final String CLUSTER =
      "{\"form\":{\"name\":\"acid-audited\",\"namespace\":\"default\",\"team\":\"acid\","
          + "\"version\":\"17\",\"instances\":1,\"volumeSize\":\"1Gi\"}}";

  StrictApiServer api;
  KubernetesClient asUi;
  UiServer ui;
  String base;
  final HttpClient http = HttpClient.newHttpClient();
  final ListAppender<ILoggingEvent> trail = new ListAppender<>();
  final Logger audit = (Logger) LoggerFactory.getLogger(AuditLog.LOGGER);

  @BeforeEach
  void start() {
    trail.start();
    audit.addAppender(trail);
    asUi = UiInstall.install(api);
    UiInstall.postgresqlCrd(api);
    ui =
        new UiServer(
            UiSettings.fromEnvironment(
                Map.of(
                    "SERVER_PORT",
                    "0",
                    "TEAMS",
                    "[\"acid\"]",
                    "CORNAC_UI_USERNAME",
                    "admin",
                    "CORNAC_UI_PASSWORD",
                    PASSWORD)),
            asUi,
            "127.0.0.1");
    base = "http://127.0.0.1:" + ui.port() + "/";
  }

  @AfterEach
  void stop() throws Exception {
    audit.detachAppender(trail);
    Closeables.closeAll(ui, asUi);
  }

  @Test
  void everyWriteRefusalAndFailedLoginIsAuditedWithoutSecrets() throws Exception {
    // Failed logins: the form, then an Authorization header
    assertThat(
            send(post("login", "{\"username\":\"admin\",\"password\":\"" + WRONG + "\"}"))
                .statusCode())
        .isEqualTo(401);
    assertThat(lastLine()).isEqualTo("login user=admin via=login remote=127.0.0.1 outcome=failed");
    assertThat(
            send(get("postgresqls")
                    .header("Authorization", AnonymousReadTest.basic("admin", WRONG)))
                .statusCode())
        .isEqualTo(401);
    assertThat(lastLine())
        .isEqualTo("login user=admin via=\"Authorization header\" remote=127.0.0.1 outcome=failed");

    HttpResponse<String> login =
        send(post("login", "{\"username\":\"admin\",\"password\":\"" + PASSWORD + "\"}"));
    String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    String session = cookie.substring(0, cookie.indexOf(';'));
    String csrf = ManifestMapper.json().readTree(login.body()).path("csrf").asText();

    // A write without the CSRF token, and one by nobody
    assertThat(send(post("create-cluster", CLUSTER).header("Cookie", session)).statusCode())
        .isEqualTo(403);
    assertThat(lastLine())
        .isEqualTo(
            "write user=admin action=create namespace=default cluster=acid-audited "
                + "outcome=refused reason=\"missing or wrong X-CSRF-Token header; reload the page\"");
    assertThat(send(post("create-cluster", CLUSTER)).statusCode()).isEqualTo(401);
    assertThat(lastLine())
        .isEqualTo(
            "write user=anonymous action=create namespace=default cluster=acid-audited "
                + "outcome=refused reason=\"log in to make changes\"");

    // Writes that are done, and one Kubernetes refuses
    assertThat(
            send(post("create-cluster", CLUSTER)
                    .header("Cookie", session)
                    .header("X-CSRF-Token", csrf))
                .statusCode())
        .isEqualTo(200);
    assertThat(lastLine())
        .isEqualTo(
            "write user=admin action=create namespace=default cluster=acid-audited "
                + "outcome=done");
    assertThat(
            send(post("create-cluster", CLUSTER)
                    .header("Cookie", session)
                    .header("X-CSRF-Token", csrf))
                .statusCode())
        .isEqualTo(409);
    assertThat(lastLine())
        .isEqualTo(
            "write user=admin action=create namespace=default cluster=acid-audited "
                + "outcome=failed status=409");
    assertThat(
            send(post(
                        "postgresqls/default/acid-audited",
                        CLUSTER.replace("\"instances\":1", "\"instances\":2"))
                    .header("Cookie", session)
                    .header("X-CSRF-Token", csrf))
                .statusCode())
        .isEqualTo(200);
    assertThat(lastLine())
        .isEqualTo(
            "write user=admin action=update namespace=default cluster=acid-audited "
                + "outcome=done");
    assertThat(
            send(HttpRequest.newBuilder(
                        URI.create(
                            base
                                + "postgresqls/default/acid-audited?confirm="
                                + "default/acid-audited"))
                    .DELETE()
                    .header("Cookie", session)
                    .header("X-CSRF-Token", csrf))
                .statusCode())
        .isEqualTo(200);
    assertThat(lastLine())
        .isEqualTo(
            "write user=admin action=delete namespace=default cluster=acid-audited "
                + "outcome=done");

    // Nothing else was written, and no line carries a secret
    List<String> lines = lines();
    assertThat(lines).hasSize(8);
    assertThat(String.join("\n", lines))
        .doesNotContain(PASSWORD, WRONG, session.substring(session.indexOf('=') + 1), csrf);
  }

  @Test
  void aClientCannotForgeAnAuditLine() throws Exception {
    send(
        post(
            "login",
            "{\"username\":\"admin\\noutcome=done\\nwrite user=root\",\"password\":\"x\"}"));
    assertThat(lastLine())
        .isEqualTo(
            "login user=\"adminoutcome=donewrite user=root\" via=login remote=127.0.0.1 "
                + "outcome=failed");
  }

  private HttpRequest.Builder get(String path) {
    return HttpRequest.newBuilder(URI.create(base + path));
  }

  private HttpRequest.Builder post(String path, String body) {
    return HttpRequest.newBuilder(URI.create(base + path))
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json");
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The lines so far; the UI logs a write's line before it answers, so a line is there once its
   * answer is.
   */
  private List<String> lines() {
    synchronized (trail) {
      return trail.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
  }

  private String lastLine() {
    List<String> lines = lines();
    assertThat(lines).isNotEmpty();
    return lines.get(lines.size() - 1);
  }
}
