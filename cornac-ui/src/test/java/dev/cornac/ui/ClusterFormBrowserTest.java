package dev.cornac.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cornac.operator.Closeables;
import dev.cornac.testkit.StrictApiServer;
import dev.cornac.testkit.WithStrictApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.WebElement;

/**
 * The new-cluster and edit forms and the cluster page as a new user meets them, in a real headless
 * Chromium, against the strict test API server without an operator (the pages read the API server
 * only).
 */
@WithStrictApiServer
class ClusterFormBrowserTest {
  static final String USER = "admin";
  static final String PASSWORD = "form-test-" + UUID.randomUUID();

  StrictApiServer api;
  KubernetesClient asUi;
  UiServer ui;
  Browser browser;

  @BeforeEach
  void start() throws Exception {
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
                    USER,
                    "CORNAC_UI_PASSWORD",
                    PASSWORD)),
            asUi,
            "127.0.0.1");
    browser = new Browser("http://127.0.0.1:" + ui.port() + "/");
    browser.login(USER, PASSWORD);
  }

  @AfterEach
  void stop() throws Exception {
    Closeables.closeAll(browser, ui, asUi);
  }

  private void openNewClusterForm() {
    browser.go("new");
    browser.wait.until(d -> browser.byId("yaml-preview").getText().contains("kind: postgresql"));
  }

  private String problems() {
    return browser.byId("validation").getText();
  }

  @Test
  void aNameThatIsTakenIsCaughtWhileTyping() throws Exception {
    createCluster("acid-taken");
    openNewClusterForm();
    browser.type("name", "acid-taken");
    browser.wait.until(d -> problems().contains("already exists"));
    assertThat(problems()).contains("acid-taken", "default");
    assertThat(browser.byId("create").isEnabled()).isFalse();
    browser.screenshot("new-cluster-name-taken");
    browser.type("name", "acid-free");
    browser.wait.until(d -> browser.byId("yaml-preview").getText().contains("name: acid-free"));
    browser.wait.until(d -> !problems().contains("already exists"));
    assertThat(browser.byId("create").isEnabled()).isTrue();
  }

  @Test
  void theVolumeSizeTakesAnyQuantityAndNamesWhatIsWrongWithoutARegex() {
    openNewClusterForm();
    browser.type("name", "acid-sized");
    browser.type("volumeSize", "500Mi");
    browser.wait.until(d -> browser.byId("yaml-preview").getText().contains("size: 500Mi"));
    assertThat(browser.byId("create").isEnabled()).isTrue();
    browser.type("volumeSize", "lots");
    // Typing clears the field first: the empty value has its own problem, then "lots" has one.
    browser.wait.until(d -> problems().contains("spec.volume.size: \"lots\""));
    assertThat(browser.byId("yaml-preview").getText())
        .as("the value is kept, not emptied")
        .contains("size: lots");
    assertThat(problems()).contains("1Gi").doesNotContain("pattern", "^", "\\d", "$");
    assertThat(browser.byId("create").isEnabled()).isFalse();
    browser.screenshot("new-cluster-volume-size");
  }

  @Test
  void noErrorShowsBeforeTheUserTypes() {
    openNewClusterForm();
    assertThat(browser.driver.findElements(By.cssSelector("#validation li"))).isEmpty();
    browser.type("name", "acid-");
    browser.wait.until(d -> !d.findElements(By.cssSelector("#validation li")).isEmpty());
  }

  @Test
  void theClusterPageListsThePoolersSecret() throws Exception {
    UiInstall.create(
        api,
        """
        apiVersion: acid.zalan.do/v1
        kind: postgresql
        metadata: {name: acid-pooled}
        spec: {teamId: acid, numberOfInstances: 1, volume: {size: 1Gi}, postgresql: {version: "17"},
          enableConnectionPooler: true, users: {app_owner: []}}
        """);
    browser.go("status/default/acid-pooled");
    WebElement secrets = browser.byId("secrets");
    browser.wait.until(d -> secrets.getText().contains("postgres.acid-pooled.credentials"));
    assertThat(secrets.getText())
        .contains(
            "pooler.acid-pooled.credentials.postgresql.acid.zalan.do",
            "app-owner.acid-pooled.credentials.postgresql.acid.zalan.do",
            "standby.acid-pooled.credentials.postgresql.acid.zalan.do");
  }

  @Test
  void theEditPageShowsTheClustersDnsName() throws Exception {
    createCluster("acid-edited");
    browser.go("edit/default/acid-edited");
    browser.wait.until(d -> browser.byId("yaml-preview").getText().contains("name: acid-edited"));
    assertThat(browser.byId("dns-name").getText()).isEqualTo("acid-edited.default");
  }

  @Test
  void theEditPageShowsProblemsNextToApplyChanges() throws Exception {
    createCluster("acid-edited");
    browser.go("edit/default/acid-edited");
    browser.wait.until(d -> browser.byId("yaml-preview").getText().contains("name: acid-edited"));
    browser.type("volumeSize", "lots");
    browser.wait.until(d -> problems().contains("spec.volume.size: \"lots\""));
    browser.screenshot("edit-problems");
    Rectangle apply = browser.byId("apply-form").getRect();
    Rectangle errors = browser.byId("validation").getRect();
    assertThat(Math.abs(apply.getY() - (errors.getY() + errors.getHeight())))
        .as("the errors end right above Apply changes")
        .isLessThan(40);
    assertThat(errors.getX())
        .as("in the same column")
        .isBetween(apply.getX() - 40, apply.getX() + 40);
    assertThat(browser.byId("apply-form").isEnabled()).isFalse();
  }

  private void createCluster(String name) throws Exception {
    UiInstall.create(
        api,
        """
        apiVersion: acid.zalan.do/v1
        kind: postgresql
        metadata: {name: %s}
        spec: {teamId: acid, numberOfInstances: 1, volume: {size: 1Gi}, postgresql: {version: "17"}}
        """
            .formatted(name));
  }
}
