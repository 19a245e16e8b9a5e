package dev.cornac.ui;

import static dev.cornac.operator.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.operator.Closeables;
import dev.cornac.operator.CornacOperator;
import dev.cornac.operator.OperatorHarness;
import dev.cornac.operator.S3ProxyServer;
import dev.cornac.operator.backups.BackupCatalog;
import dev.cornac.operator.backups.S3Location;
import dev.cornac.testkit.StrictApiServer;
import dev.cornac.testkit.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Backups of a Kubernetes cluster as its pods leave them (WAL-G's layout under Spilo) in a real
 * S3-compatible server: the operator API lists them with the pods' own S3 settings (the seed's
 * pod-environment ConfigMap and Secret), the cluster page shows them, and the clone form builds a
 * point-in-time clone only inside the recoverable range.
 */
@WithStrictApiServer
class BackupsUiTest {
  static final String BUCKET = "postgresql-backups";
  static final String USER = "admin";
  static final String PASSWORD = "ui-test-" + java.util.UUID.randomUUID();

  StrictApiServer api;
  OperatorHarness k8s;
  KubernetesClient asUi;
  S3ProxyServer s3;
  UiServer ui;
  Browser browser;
  Path dir;

  @AfterEach
  void stop() throws Exception {
    Closeables.closeAll(browser, ui, asUi, k8s, s3);
  }

  private S3Client s3Client(String secret) {
    return S3Client.builder()
        .httpClient(UrlConnectionHttpClient.create())
        .region(Region.US_EAST_1)
        .endpointOverride(URI.create("http://127.0.0.1:" + s3.httpPort))
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(S3ProxyServer.IDENTITY, secret)))
        .build();
  }

  private void put(S3Client client, String key, String body) {
    client.putObject(
        PutObjectRequest.builder().bucket(BUCKET).key(key).build(), RequestBody.fromString(body));
  }

  @Test
  void backupsAreListedAndTheCloneFormStaysInsideTheRecoverableRange() throws Exception {
    dir = Files.createTempDirectory("cornac-ui-backups-");
    s3 = S3ProxyServer.start(dir.resolve("s3"));
    s3.createBucket(BUCKET);
    k8s = OperatorHarness.withExampleConfig(api);
    k8s.configMap(
        "manifests/configmap.yaml",
        Map.of(
            "watched_namespace",
            NS,
            "wal_s3_bucket",
            BUCKET,
            "pod_environment_configmap",
            NS + "/postgres-pod-config",
            "pod_environment_secret",
            "postgres-pod-secrets"));
    k8s.client()
        .configMaps()
        .inNamespace(NS)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("postgres-pod-config")
                .endMetadata()
                .withData(
                    Map.of(
                        "AWS_ENDPOINT",
                        "http://127.0.0.1:" + s3.httpPort,
                        "AWS_S3_FORCE_PATH_STYLE",
                        "true",
                        "AWS_REGION",
                        "us-east-1"))
                .build())
        .create();
    k8s.client()
        .secrets()
        .inNamespace(NS)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("postgres-pod-secrets")
                .endMetadata()
                .withStringData(
                    Map.of(
                        "AWS_ACCESS_KEY_ID",
                        S3ProxyServer.IDENTITY,
                        "AWS_SECRET_ACCESS_KEY",
                        S3ProxyServer.CREDENTIAL))
                .build())
        .create();
    CornacOperator op = k8s.startOperator(false);
    k8s.create(
        """
        apiVersion: acid.zalan.do/v1
        kind: postgresql
        metadata: {name: acid-source}
        spec: {teamId: acid, numberOfInstances: 1, volume: {size: 1Gi}, postgresql: {version: "17"}}
        """);
    String uid = k8s.get("acid-source").getMetadata().getUid();
    Instant first = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    Instant second = first.plus(1, ChronoUnit.HOURS);
    String prefix = "spilo/acid-source/" + uid + "/wal/17/";
    try (S3Client client = s3Client(S3ProxyServer.CREDENTIAL)) {
      put(
          client,
          prefix + "basebackups_005/base_000000010000000000000002_backup_stop_sentinel.json",
          "{\"LSN\":33554472,\"FinishLSN\":33554800,\"UncompressedSize\":52428800,\"FinishTime\":\""
              + first
              + "\"}");
      put(
          client,
          prefix + "basebackups_005/base_000000010000000000000004_backup_stop_sentinel.json",
          "{\"LSN\":67108904,\"FinishLSN\":67109200,\"UncompressedSize\":53477376,\"FinishTime\":\""
              + second
              + "\"}");
      put(client, prefix + "wal_005/000000010000000000000005.lz4", "wal");
    }

    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> listed =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + op.httpPort()
                            + "/clusters/default/acid-source/backups/"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
    JsonNode catalog = ManifestMapper.json().readTree(listed.body());
    assertThat(catalog.path("Backups")).hasSize(2);
    assertThat(catalog.path("Backups").get(0).path("Name").asText())
        .isEqualTo("base_000000010000000000000002");
    assertThat(Instant.parse(catalog.path("Earliest").asText())).isEqualTo(first);
    Instant latest = Instant.parse(catalog.path("Latest").asText());
    assertThat(latest).isAfter(second);
    assertThat(catalog.path("Location").asText())
        .isEqualTo("s3://" + BUCKET + "/" + prefix + " at http://127.0.0.1:" + s3.httpPort);
    assertThat(listed.body()).doesNotContain(S3ProxyServer.CREDENTIAL);

    asUi = UiInstall.install(api);
    ui =
        new UiServer(
            UiSettings.fromEnvironment(
                Map.of(
                    "SERVER_PORT",
                    "0",
                    "OPERATOR_API_URL",
                    "http://127.0.0.1:" + op.httpPort(),
                    "CORNAC_UI_USERNAME",
                    USER,
                    "CORNAC_UI_PASSWORD",
                    PASSWORD)),
            asUi,
            "127.0.0.1");
    browser = new Browser("http://127.0.0.1:" + ui.port() + "/");
    browser.login(USER, PASSWORD);
    browser.go("status/default/acid-source");
    browser.wait.until(
        d -> d.findElement(By.id("backups-earliest")).getText().equals(first.toString()));
    assertThat(browser.driver.findElements(By.cssSelector("#backup-list tbody tr"))).hasSize(2);
    browser.screenshot("cluster-backups");
    browser.byId("clone-button").click();
    var timestamp = browser.byId("cloneTimestamp");
    browser.wait.until(
        d -> timestamp.getAttribute("value").equals(latest.toString().replace("Z", "+00:00")));
    browser.type("cloneTimestamp", first.minus(1, ChronoUnit.HOURS).toString());
    browser.wait.until(
        d ->
            d.findElement(By.id("validation")).getText().contains("outside the recoverable range"));
    assertThat(browser.byId("create").isEnabled()).isFalse();
    String typed = first.plus(30, ChronoUnit.MINUTES).toString();
    String target = typed.replace("Z", "+00:00");
    browser.type("cloneTimestamp", typed);
    browser.wait.until(d -> d.findElement(By.id("yaml-preview")).getText().contains(target));
    browser.wait.until(ExpectedConditions.elementToBeClickable(By.id("create")));
    browser.screenshot("clone-form");
    browser.byId("create").click();
    browser.wait.until(ExpectedConditions.urlContains("#/status/default/acid-source-clone"));
    JsonNode clone =
        ManifestMapper.json().valueToTree(k8s.get("acid-source-clone").getSpec()).path("clone");
    assertThat(clone.path("cluster").asText()).isEqualTo("acid-source");
    assertThat(clone.path("uid").asText()).isEqualTo(uid);
    assertThat(clone.path("timestamp").asText()).isEqualTo(target);
    assertThat(k8s.get("acid-source-clone").getSpec().postgresql.version)
        .as("the source's version")
        .isEqualTo("17");
  }

  @Test
  void wrongCredentialsAMissingBucketAndAnUnreachableEndpointAreClearWithinSeconds()
      throws Exception {
    dir = Files.createTempDirectory("cornac-ui-backups-");
    s3 = S3ProxyServer.start(dir.resolve("s3"));
    s3.createBucket(BUCKET);
    String endpoint = "http://127.0.0.1:" + s3.httpPort;
    record Case(S3Location location, String expected) {}
    int closed = S3ProxyServer.freePort();
    for (Case c :
        List.of(
            new Case(
                new S3Location(
                    BUCKET,
                    "spilo/x/wal/17/",
                    Optional.of(endpoint),
                    "us-east-1",
                    true,
                    S3ProxyServer.IDENTITY,
                    "wrong"),
                "check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"),
            new Case(
                new S3Location(
                    "no-such-bucket",
                    "spilo/x/wal/17/",
                    Optional.of(endpoint),
                    "us-east-1",
                    true,
                    S3ProxyServer.IDENTITY,
                    S3ProxyServer.CREDENTIAL),
                "the bucket no-such-bucket does not exist"),
            new Case(
                new S3Location(
                    BUCKET,
                    "spilo/x/wal/17/",
                    Optional.of("http://127.0.0.1:" + closed),
                    "us-east-1",
                    true,
                    S3ProxyServer.IDENTITY,
                    S3ProxyServer.CREDENTIAL),
                "check AWS_ENDPOINT"))) {
      long started = System.nanoTime();
      try {
        BackupCatalog.list(c.location());
        throw new AssertionError("expected a failure for " + c.location());
      } catch (BackupCatalog.BackupListingException e) {
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(e.getMessage()).contains(c.expected()).doesNotContain(S3ProxyServer.CREDENTIAL);
        assertThat(millis).as(c.expected() + " within seconds").isLessThan(10_000);
      }
    }
    assertThat(
            BackupCatalog.list(
                    new S3Location(
                        BUCKET,
                        "spilo/x/wal/17/",
                        Optional.of(endpoint),
                        "us-east-1",
                        true,
                        S3ProxyServer.IDENTITY,
                        S3ProxyServer.CREDENTIAL))
                .backups())
        .as("an empty archive is no error")
        .isEmpty();
  }
}
