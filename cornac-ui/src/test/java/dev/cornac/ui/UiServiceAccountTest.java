package dev.cornac.ui;

import static dev.cornac.operator.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cornac.operator.Closeables;
import dev.cornac.testkit.StrictApiServer;
import dev.cornac.testkit.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The UI acts with its own ServiceAccount's rights (manifests/ui/rbac.yaml), not the logged-in
 * user's and not an administrator's: it shows secret names it cannot read, and what its role does
 * not allow comes back to the user as Kubernetes' refusal on the page.
 */
@WithStrictApiServer
class UiServiceAccountTest {
  static final String USER = "admin";
  static final String PASSWORD = "ui-test-" + UUID.randomUUID();

  StrictApiServer api;
  KubernetesClient asUi;
  UiServer ui;
  Browser browser;
  String base;

  @BeforeEach
  void start() throws Exception {
    asUi = UiInstall.install(api);
    UiInstall.postgresqlCrd(api);
    UiInstall.create(
        api,
        """
        apiVersion: acid.zalan.do/v1
        kind: postgresql
        metadata: {name: acid-orders}
        spec:
          teamId: acid
          numberOfInstances: 1
          volume: {size: 1Gi}
          postgresql: {version: "17"}
          users: {app_owner: []}
          databases: {orders: app_owner}
        """);
    ui =
        new UiServer(
            UiSettings.fromEnvironment(
                Map.of(
                    "SERVER_PORT",
                    "0",
                    "TARGET_NAMESPACE",
                    NS,
                    "OPERATOR_API_URL",
                    "http://127.0.0.1:9",
                    "CORNAC_UI_USERNAME",
                    USER,
                    "CORNAC_UI_PASSWORD",
                    PASSWORD)),
            asUi,
            "127.0.0.1");
    base = "http://127.0.0.1:" + ui.port() + "/";
  }

  @AfterEach
  void stop() throws Exception {
    Closeables.closeAll(browser, ui, asUi);
  }

  @Test
  void theClusterPageNamesTheCredentialSecretsThatTheUiCannotRead() throws Exception {
    String secret = "app-owner.acid-orders.credentials.postgresql.acid.zalan.do";
    String password = "db-" + UUID.randomUUID();
    api.adminClient()
        .secrets()
        .inNamespace(NS)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(secret)
                .endMetadata()
                .withData(Map.of("username", base64("app_owner"), "password", base64(password)))
                .build())
        .create();

    HttpResponse<String> details =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base + "postgresqls/default/acid-orders/details"))
                    .header("Authorization", "Basic " + base64(USER + ":" + PASSWORD))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(details.statusCode()).as(details.body()).isEqualTo(200);
    assertThat(details.body())
        .contains(secret, "kubectl get secret " + secret)
        .doesNotContain(password, base64(password));

    assertThatThrownBy(() -> asUi.secrets().inNamespace(NS).withName(secret).get())
        .as("the UI's own credentials reach no secret")
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(403);
              assertThat(e.getStatus().getMessage())
                  .contains("User \"" + UiInstall.UI.user() + "\" cannot get resource \"secrets\"");
            });
    assertThat(api.usage().of(UiInstall.UI.user()))
        .as("what the UI did, as its ServiceAccount")
        .contains(
            "get acid.zalan.do postgresqls",
            "list core pods",
            "list core services",
            "list core events")
        .noneMatch(used -> used.endsWith(" secrets"));
  }

  @Test
  void aDeletionTheUisRoleDoesNotGrantIsRefusedOnThePageInKubernetesWords() throws Exception {
    // A platform team that keeps deletions out of the UI takes the verb out of its role.
    api.adminClient()
        .rbac()
        .clusterRoles()
        .withName("postgres-operator-ui")
        .edit(
            role -> {
              role.getRules().stream()
                  .filter(r -> r.getResources().contains("postgresqls"))
                  .forEach(
                      r ->
                          r.setVerbs(
                              r.getVerbs().stream().filter(v -> !v.equals("delete")).toList()));
              return role;
            });

    browser = new Browser(base);
    browser.login(USER, PASSWORD);
    browser.go("list");
    browser
        .wait
        .until(
            ExpectedConditions.elementToBeClickable(
                By.cssSelector("tr[data-cluster='default/acid-orders'] button.delete")))
        .click();
    browser.byId("delete-confirm").sendKeys("default/acid-orders");
    browser.byId("delete-button").click();
    browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("alert")));
    browser.wait.until(d -> d.findElement(By.id("alert")).getText().contains("Delete failed"));
    browser.screenshot("delete-forbidden");
    String alert = browser.byId("alert").getText();
    assertThat(alert)
        .contains(
            "Kubernetes refused the request",
            "postgresqls \"acid-orders\" is forbidden",
            "User \"" + UiInstall.UI.user() + "\" cannot delete resource \"postgresqls\"")
        .doesNotContain("Exception", "\tat ");
    assertThat(UiInstall.get(api, NS, "acid-orders")).as("still there").isNotNull();
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
