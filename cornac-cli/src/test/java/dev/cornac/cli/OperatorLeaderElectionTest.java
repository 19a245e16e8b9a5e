package dev.cornac.cli;

import static dev.cornac.operator.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cornac.operator.OperatorHarness;
import dev.cornac.operator.config.OperatorEnvironment;
import dev.cornac.testkit.StrictApiServer;
import dev.cornac.testkit.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two operator processes as the Deployment runs them (two replicas, leader election on, the shipped
 * ServiceAccount's rights): one leads and renews its Lease; SIGKILLed, it releases nothing, and the
 * other takes the Lease once it expires and reconciles. On a real API server the renewal is a
 * PATCH, which the shipped role once lacked.
 */
@WithStrictApiServer
class OperatorLeaderElectionTest {
  /** JOSDK's defaults: the Lease lasts 15 s, a candidate retries every 2 s. */
  static final Duration TAKEOVER_BOUND = Duration.ofSeconds(15 + 2 + 5);

  @TempDir Path dir;
  StrictApiServer api;
  OperatorHarness k8s;
  OperatorProcesses operators;

  @BeforeEach
  void processes() {
    operators = new OperatorProcesses(dir);
  }

  @AfterEach
  void tearDown() throws Exception {
    operators.close();
    if (k8s != null) {
      k8s.close();
    }
  }

  @Test
  void aKilledLeadersReplicaTakesTheLeaseWithinItsDurationAndReconciles() throws Exception {
    k8s = new OperatorHarness(api);
    k8s.configMap(
        "manifests/configmap.yaml",
        Map.of("watched_namespace", NS, "api_port", Integer.toString(freePort())));
    Path kubeconfig = api.kubeconfig(dir.resolve("kubeconfig"), StrictApiServer.OPERATOR, NS);
    Process first = startOperator(kubeconfig, "first", "127.0.0.1");
    await().atMost(Duration.ofSeconds(60)).until(() -> holder().equals(Optional.of("first")));
    startOperator(kubeconfig, "second", "127.0.0.2");
    k8s.create(minimal("acid-before"));
    await().atMost(Duration.ofSeconds(30)).until(() -> statefulSetExists("acid-before"));
    String renewedBefore = lease().getSpec().getRenewTime().toString();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !lease().getSpec().getRenewTime().toString().equals(renewedBefore));

    first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    Instant killed = Instant.now();
    await()
        .atMost(TAKEOVER_BOUND.plusSeconds(10))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> holder().equals(Optional.of("second")));
    assertThat(Duration.between(killed, Instant.now()))
        .as("takeover within the lease duration and a retry")
        .isLessThanOrEqualTo(TAKEOVER_BOUND);
    k8s.create(minimal("acid-after"));
    await().atMost(Duration.ofSeconds(60)).until(() -> statefulSetExists("acid-after"));

    assertThat(log("second"))
        .as("nothing the shipped role lacks")
        .doesNotContain("Forbidden", "forbidden");
  }

  @Test
  void anOperatorMissingALeaseRightSaysWhichAtStartUp() throws Exception {
    k8s = new OperatorHarness(api);
    k8s.configMap(
        "manifests/configmap.yaml",
        Map.of("watched_namespace", NS, "api_port", Integer.toString(freePort())));
    api.adminClient()
        .rbac()
        .clusterRoles()
        .withName("postgres-operator")
        .edit(
            role -> {
              for (PolicyRule rule : role.getRules()) {
                if (rule.getResources().contains("leases")) {
                  rule.setVerbs(rule.getVerbs().stream().filter(v -> !v.equals("update")).toList());
                }
              }
              return role;
            });
    Path kubeconfig = api.kubeconfig(dir.resolve("kubeconfig"), StrictApiServer.OPERATOR, NS);

    Process operator = startOperator(kubeconfig, "lacking", "127.0.0.1");
    assertThat(operator.waitFor(60, TimeUnit.SECONDS)).as("the operator gives up").isTrue();
    assertThat(operator.exitValue()).isEqualTo(2);
    List<String> errorLines =
        log("lacking").lines().dropWhile(l -> !l.startsWith("error: ")).toList();
    assertThat(errorLines).as("what failed, then why").first().asString().startsWith("error: ");
    assertThat(String.join("\n", errorLines))
        .contains("caused by: ")
        .contains("missing required verbs: [update]")
        .doesNotContain("\tat ")
        .doesNotContain("Exception");
  }

  /**
   * Each replica listens on its own loopback address: on one machine they would share the API port
   * otherwise.
   */
  private Process startOperator(Path kubeconfig, String name, String address) throws IOException {
    return operators.start(name, kubeconfig, NS, Map.of(), "--listen", address);
  }

  private static String minimal(String name) {
    return """
        apiVersion: acid.zalan.do/v1
        kind: postgresql
        metadata: {name: %s}
        spec: {teamId: acid, numberOfInstances: 1, volume: {size: 1Gi}, postgresql: {version: "15"}}
        """
        .formatted(name);
  }

  private String log(String name) throws IOException {
    return operators.logText(name);
  }

  private Lease lease() {
    return api.adminClient()
        .leases()
        .inNamespace(NS)
        .withName(OperatorEnvironment.DEFAULT_LEASE)
        .get();
  }

  private Optional<String> holder() {
    Lease lease = lease();
    return lease == null
        ? Optional.empty()
        : Optional.ofNullable(lease.getSpec().getHolderIdentity());
  }

  private boolean statefulSetExists(String name) {
    return api.adminClient().apps().statefulSets().inNamespace(NS).withName(name).get() != null;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
