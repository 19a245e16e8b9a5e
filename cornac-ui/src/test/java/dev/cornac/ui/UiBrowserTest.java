package dev.cornac.ui;

import static dev.cornac.operator.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.operator.Closeables;
import dev.cornac.operator.CornacOperator;
import dev.cornac.operator.OperatorHarness;
import dev.cornac.testkit.StrictApiServer;
import dev.cornac.testkit.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The UI in a real headless Chromium driven by Selenium, against the strict test API server with
 * the operator running (its API feeds the operator page and the cluster logs); the UI runs as its
 * shipped ServiceAccount, the operator as its own. Screenshots of each page land in
 * target/screenshots.
 */
@WithStrictApiServer
class UiBrowserTest {
  static final String USER = "admin";
  static final String PASSWORD = "ui-test-" + java.util.UUID.randomUUID();

  StrictApiServer api;
  OperatorHarness k8s;
  KubernetesClient asUi;
  UiServer ui;
  Browser browser;
  WebDriver driver;
  WebDriverWait wait;

  @BeforeEach
  void start() throws Exception {
    k8s = OperatorHarness.withExampleConfig(api);
    CornacOperator op = k8s.startOperator(false);
    UiSettings settings =
        UiSettings.fromEnvironment(
            Map.of(
                "SERVER_PORT",
                "0",
                "TEAMS",
                "[\"acid\"]",
                "OPERATOR_API_URL",
                "http://127.0.0.1:" + op.httpPort(),
                "CORNAC_UI_USERNAME",
                USER,
                "CORNAC_UI_PASSWORD",
                PASSWORD));
    asUi = UiInstall.install(api);
    ui = new UiServer(settings, asUi, "127.0.0.1");
    browser = new Browser("http://127.0.0.1:" + ui.port() + "/");
    driver = browser.driver;
    wait = browser.wait;
  }

  @AfterEach
  void stop() throws Exception {
    Closeables.closeAll(browser, ui, asUi, k8s);
  }

  private void login() {
    browser.login(USER, PASSWORD);
  }

  private void go(String hash) {
    browser.go(hash);
  }

  private void screenshot(String name) {
    browser.screenshot(name);
  }

  private WebElement byId(String id) {
    return browser.byId(id);
  }

  private void type(String id, String text) {
    browser.type(id, text);
  }

  private GenericKubernetesResource resource(String ns, String name) {
    return k8s.client()
        .genericKubernetesResources("acid.zalan.do/v1", "postgresql")
        .inNamespace(ns)
        .withName(name)
        .get();
  }

  private JsonNode spec(String ns, String name) {
    return ManifestMapper.json().valueToTree(resource(ns, name)).path("spec");
  }

  @Test
  void createAClusterFromTheFormWithTheLivePreviewThenSeeItsPage() throws Exception {
    login();
    go("new");
    WebElement preview = byId("yaml-preview");
    wait.until(d -> preview.getText().contains("kind: postgresql"));
    type("name", "acid-ui-new");
    type("instances", "2");
    byId("connectionPooler").click();
    type("volumeSize", "5");
    wait.until(
        d ->
            preview.getText().contains("name: acid-ui-new")
                && preview.getText().contains("numberOfInstances: 2")
                && preview.getText().contains("enableConnectionPooler: true")
                && preview.getText().contains("size: 5Gi"));
    byId("add-user").click();
    WebElement userRow = wait.until(d -> d.findElements(By.cssSelector(".user-row")).get(0));
    userRow.findElement(By.cssSelector(".user-name")).sendKeys("app_owner");
    userRow.findElement(By.cssSelector(".user-flag[value=createdb]")).click();
    byId("add-database").click();
    WebElement dbRow = wait.until(d -> d.findElements(By.cssSelector(".database-row")).get(0));
    dbRow.findElement(By.cssSelector(".database-name")).sendKeys("app");
    dbRow.findElement(By.cssSelector(".database-owner")).sendKeys("app_owner");
    wait.until(
        d ->
            preview.getText().contains("app: app_owner")
                && preview.getText().contains("- createdb"));
    wait.until(ExpectedConditions.elementToBeClickable(By.id("create")));
    screenshot("new-cluster");
    byId("create").click();
    wait.until(ExpectedConditions.urlContains("#/status/default/acid-ui-new"));

    JsonNode spec = spec(NS, "acid-ui-new");
    assertThat(spec.path("teamId").asText()).isEqualTo("acid");
    assertThat(spec.path("numberOfInstances").asInt()).isEqualTo(2);
    assertThat(spec.path("enableConnectionPooler").asBoolean()).isTrue();
    assertThat(spec.path("volume").path("size").asText()).isEqualTo("5Gi");
    assertThat(spec.path("users").path("app_owner").toString()).isEqualTo("[\"createdb\"]");
    assertThat(spec.path("databases").path("app").asText()).isEqualTo("app_owner");
    assertThat(spec.path("resources").path("limits").path("memory").asText()).isEqualTo("500Mi");
    assertThat(resource(NS, "acid-ui-new").getMetadata().getLabels()).containsEntry("team", "acid");

    // The operator picks it up; the page shows its pods, services, secrets and the operator's log
    // lines.
    k8s.runPods("acid-ui-new");
    k8s.awaitStatus("acid-ui-new", "Running");
    driver.navigate().refresh();
    wait.until(d -> d.findElement(By.id("cluster-status")).getText().equals("Running"));
    String page = byId("main").getText();
    assertThat(page)
        .contains(
            "acid-ui-new-0",
            "master",
            "acid-ui-new-repl",
            "app-owner.acid-ui-new.credentials",
            "cornac psql acid-ui-new -n default",
            "created statefulset acid-ui-new");
    screenshot("cluster-page");

    // A name taken between the last keystroke and the click: Kubernetes' refusal is shown as an
    // error, not as a
    // success.
    go("new");
    wait.until(d -> byId("yaml-preview").getText().contains("kind: postgresql"));
    type("name", "acid-ui-race");
    wait.until(d -> byId("yaml-preview").getText().contains("name: acid-ui-race"));
    wait.until(ExpectedConditions.elementToBeClickable(By.id("create")));
    k8s.create(
        """
        apiVersion: acid.zalan.do/v1
        kind: postgresql
        metadata: {name: acid-ui-race}
        spec: {teamId: acid, numberOfInstances: 1, volume: {size: 1Gi}, postgresql: {version: "17"}}
        """);
    byId("create").click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("alert")));
    assertThat(byId("alert").getText()).contains("Create failed", "already exists");
  }

  @Test
  void aBadNameShowsTheOperatorsValidationMessage() {
    login();
    go("new");
    WebElement preview = byId("yaml-preview");
    wait.until(d -> preview.getText().contains("kind: postgresql"));
    type("name", "Bad_Name");
    wait.until(d -> d.findElement(By.id("validation")).getText().contains("Bad_Name"));
    assertThat(byId("validation").getText()).contains("\"Bad_Name\"", "lower-case letters");
    assertThat(byId("create").isEnabled()).isFalse();
    type("name", "orders-db");
    wait.until(d -> d.findElement(By.id("validation")).getText().contains("acid-"));
    assertThat(byId("create").isEnabled()).isFalse();
    screenshot("new-cluster-invalid");
    type("name", "acid-" + "x".repeat(60));
    assertThat(byId("name").getAttribute("value"))
        .as("the field stops at 53 characters")
        .hasSize(53);
  }

  @Test
  void editingByFormAndByYamlKeepsEveryFieldTheFormDoesNotShow() throws Exception {
    k8s.create(
        """
        apiVersion: acid.zalan.do/v1
        kind: postgresql
        metadata: {name: acid-keep, labels: {cost-center: "42"}}
        spec:
          teamId: acid
          numberOfInstances: 2
          volume: {size: 1Gi, selector: {matchLabels: {disk: fast}}}
          postgresql: {version: "17", parameters: {max_connections: "150"}}
          patroni: {ttl: 45}
          resources: {requests: {cpu: 100m, memory: 100Mi, hugepages-2Mi: 0}, limits: {cpu: 500m, memory: 500Mi}}
          sidecars: [{name: exporter, image: quay.io/prometheuscommunity/postgres-exporter:v0.15.0}]
        """);
    login();
    go("edit/default/acid-keep");
    WebElement instances = byId("instances");
    wait.until(d -> instances.getAttribute("value").equals("2"));
    type("instances", "3");
    wait.until(d -> byId("yaml-preview").getText().contains("numberOfInstances: 3"));
    assertThat(byId("yaml-preview").getText()).contains("ttl: 45", "matchLabels", "sidecars");
    // Before applying, the page says what the change does, as `cornac diff` would.
    wait.until(d -> byId("plan").getText().contains("pod acid-keep-2 added"));
    assertThat(byId("plan").getText())
        .contains("What this change does", "~ StatefulSet acid-keep: update", ".spec.replicas")
        .doesNotContain("Pods recreated");
    screenshot("edit-form");
    byId("apply-form").click();
    wait.until(ExpectedConditions.urlContains("#/status/default/acid-keep"));
    JsonNode spec = spec(NS, "acid-keep");
    assertThat(spec.path("numberOfInstances").asInt()).isEqualTo(3);
    assertThat(spec.path("patroni").path("ttl").asInt()).isEqualTo(45);
    assertThat(spec.path("volume").path("selector").path("matchLabels").path("disk").asText())
        .isEqualTo("fast");
    assertThat(spec.path("postgresql").path("parameters").path("max_connections").asText())
        .isEqualTo("150");
    assertThat(spec.path("resources").path("requests").has("hugepages-2Mi")).isTrue();
    assertThat(spec.path("sidecars").get(0).path("name").asText()).isEqualTo("exporter");
    assertThat(resource(NS, "acid-keep").getMetadata().getLabels())
        .containsEntry("cost-center", "42");

    go("edit/default/acid-keep");
    byId("tab-yaml").click();
    WebElement editor = byId("yaml-editor");
    wait.until(d -> editor.getAttribute("value").contains("numberOfInstances: 3"));
    String yaml =
        editor
            .getAttribute("value")
            .replace("numberOfInstances: 3", "numberOfInstances: 4")
            .replace("cpu: 500m", "cpu: 600m");
    editor.clear();
    ((org.openqa.selenium.JavascriptExecutor) driver)
        .executeScript(
            "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));",
            editor,
            yaml);
    wait.until(d -> byId("plan").getText().contains("Pods recreated"));
    assertThat(byId("plan-pods").getText()).contains("then one switchover");
    screenshot("edit-yaml");
    wait.until(ExpectedConditions.elementToBeClickable(By.id("apply-yaml"))).click();
    wait.until(ExpectedConditions.urlContains("#/status/default/acid-keep"));
    spec = spec(NS, "acid-keep");
    assertThat(spec.path("numberOfInstances").asInt()).isEqualTo(4);
    assertThat(spec.path("patroni").path("ttl").asInt()).isEqualTo(45);
    assertThat(spec.path("sidecars").get(0).path("name").asText()).isEqualTo("exporter");
  }

  @Test
  void deletingNeedsTheTypedNameAndTheListRendersTwoHundredClusters() throws Exception {
    api.ensureNamespace("bulk");
    var postgresqls = k8s.client().genericKubernetesResources("acid.zalan.do/v1", "postgresql");
    for (int i = 0; i < 200; i++) {
      String team = i % 2 == 0 ? "acid" : "bar";
      postgresqls
          .inNamespace("bulk")
          .resource(
              ManifestMapper.yaml()
                  .readValue(
                      """
          apiVersion: acid.zalan.do/v1
          kind: postgresql
          metadata: {name: %s-bulk-%03d, namespace: bulk}
          spec: {teamId: %s, numberOfInstances: 1, volume: {size: 1Gi}, postgresql: {version: "16"}}
          """
                          .formatted(team, i, team),
                      GenericKubernetesResource.class))
          .create();
    }
    k8s.create(
        """
        apiVersion: acid.zalan.do/v1
        kind: postgresql
        metadata: {name: acid-doomed}
        spec: {teamId: acid, numberOfInstances: 1, volume: {size: 1Gi}, postgresql: {version: "17"}}
        """);
    login();
    go("list");
    long started = System.nanoTime();
    wait.until(d -> d.findElements(By.cssSelector("#cluster-table tbody tr")).size() == 201);
    long millis = (System.nanoTime() - started) / 1_000_000;
    System.out.println("cluster list of 201 rendered in " + millis + " ms");
    screenshot("cluster-list");
    new Select(byId("filter-namespace")).selectByVisibleText("bulk");
    assertThat(driver.findElements(By.cssSelector("#cluster-table tbody tr"))).hasSize(200);
    new Select(byId("filter-team")).selectByVisibleText("bar");
    assertThat(driver.findElements(By.cssSelector("#cluster-table tbody tr"))).hasSize(100);
    new Select(byId("filter-team")).selectByVisibleText("all");
    new Select(byId("filter-namespace")).selectByVisibleText("all");
    type("filter-text", "doomed");
    assertThat(driver.findElements(By.cssSelector("#cluster-table tbody tr"))).hasSize(1);

    driver
        .findElement(By.cssSelector("tr[data-cluster='default/acid-doomed'] button.delete"))
        .click();
    WebElement confirm = byId("delete-confirm");
    WebElement button = byId("delete-button");
    assertThat(button.isEnabled()).isFalse();
    confirm.sendKeys("acid-doomed");
    assertThat(button.isEnabled()).as("the name alone is not enough").isFalse();
    confirm.clear();
    confirm.sendKeys("default/acid-doomed");
    screenshot("delete-dialog");
    assertThat(button.isEnabled()).isTrue();
    button.click();
    await().atMost(Duration.ofSeconds(10)).until(() -> resource(NS, "acid-doomed") == null);
    assertThat(resource("bulk", "acid-bulk-000")).as("nothing else deleted").isNotNull();
  }

  @Test
  void theOperatorPageShowsWorkersAndTheirLogs() throws Exception {
    k8s.create(
        """
        apiVersion: acid.zalan.do/v1
        kind: postgresql
        metadata: {name: acid-busy}
        spec: {teamId: acid, numberOfInstances: 1, volume: {size: 1Gi}, postgresql: {version: "17"}}
        """);
    await().atMost(Duration.ofSeconds(20)).until(() -> k8s.status("acid-busy") != null);
    login();
    go("operator");
    wait.until(d -> d.findElements(By.cssSelector("#workers tbody tr")).size() == 8);
    List<WebElement> logs = driver.findElements(By.cssSelector("button.worker-logs"));
    boolean found = false;
    for (WebElement b : logs) {
      b.click();
      String title = "Worker " + b.getAttribute("data-id") + " log";
      wait.until(d -> d.findElement(By.id("worker-title")).getText().equals(title));
      if (byId("worker-detail").getText().contains("default/acid-busy")) {
        found = true;
        break;
      }
    }
    assertThat(found).as("one worker's log shows the cluster's lines").isTrue();
    screenshot("operator");
  }

  @Test
  void writesNeedALoginAndTheCsrfToken() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String base = browser.base;
    String manifest =
        "{\"form\":{\"name\":\"acid-sneaky\",\"namespace\":\"default\",\"team\":\"acid\","
            + "\"version\":\"17\",\"instances\":1,\"volumeSize\":\"1Gi\"}}";
    HttpResponse<String> anonymous =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "create-cluster"))
                .POST(HttpRequest.BodyPublishers.ofString(manifest))
                .header("Content-Type", "application/json")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(
            http.send(
                    HttpRequest.newBuilder(URI.create(base + "postgresqls")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .as("no anonymous reads unless configured")
        .isEqualTo(401);
    HttpResponse<String> wrong =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "create-cluster"))
                .POST(HttpRequest.BodyPublishers.ofString(manifest))
                .header("Content-Type", "application/json")
                .header(
                    "Authorization",
                    "Basic "
                        + java.util.Base64.getEncoder().encodeToString((USER + ":nope").getBytes()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(wrong.statusCode()).isEqualTo(401);

    HttpResponse<String> login =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "login"))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"" + USER + "\",\"password\":\"" + PASSWORD + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(login.statusCode()).isEqualTo(200);
    String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie).contains("HttpOnly").containsIgnoringCase("SameSite=Strict");
    String session = cookie.substring(0, cookie.indexOf(';'));
    String csrf = ManifestMapper.json().readTree(login.body()).path("csrf").asText();
    HttpResponse<String> noToken =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "create-cluster"))
                .POST(HttpRequest.BodyPublishers.ofString(manifest))
                .header("Content-Type", "application/json")
                .header("Cookie", session)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(noToken.statusCode()).as("a cookie alone never writes").isEqualTo(403);
    assertThat(noToken.body()).contains("X-CSRF-Token");
    assertThat(resource(NS, "acid-sneaky")).isNull();
    HttpResponse<String> ok =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "create-cluster"))
                .POST(HttpRequest.BodyPublishers.ofString(manifest))
                .header("Content-Type", "application/json")
                .header("Cookie", session)
                .header("X-CSRF-Token", csrf)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(resource(NS, "acid-sneaky")).isNotNull();
    HttpResponse<String> badConfirm =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(base + "postgresqls/default/acid-sneaky?confirm=acid-sneaky"))
                .DELETE()
                .header("Cookie", session)
                .header("X-CSRF-Token", csrf)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(badConfirm.statusCode()).isEqualTo(400);
    assertThat(badConfirm.body()).contains("type default/acid-sneaky");
    assertThat(resource(NS, "acid-sneaky")).isNotNull();
    HttpResponse<String> otherTeam =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "create-cluster"))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        manifest
                            .replace("acid-sneaky", "bar-sneaky")
                            .replace("\"team\":\"acid\"", "\"team\":\"bar\"")))
                .header("Content-Type", "application/json")
                .header("Cookie", session)
                .header("X-CSRF-Token", csrf)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(otherTeam.statusCode()).as("acid is the superuser team: allowed").isEqualTo(200);
    // No answer carries the password.
    for (String path :
        List.of(
            "config",
            "postgresqls",
            "postgresqls/default/acid-sneaky",
            "postgresqls/default/acid-sneaky/details",
            "session")) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(base + path)).header("Cookie", session).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(r.body()).as(path).doesNotContain(PASSWORD);
    }
  }
}
