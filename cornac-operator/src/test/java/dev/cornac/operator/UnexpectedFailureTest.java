package dev.cornac.operator;

import static dev.cornac.operator.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cornac.dataplane.MemberEndpoints;
import dev.cornac.dataplane.patroni.PatroniClient;
import dev.cornac.testkit.SimulatedPatroniFleet;
import dev.cornac.testkit.StrictApiServer;
import dev.cornac.testkit.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A pass that fails in a way no step expected still leaves a status and an Event, in words (JOSDK's
 * error status handler), and the other clusters are served.
 */
@WithStrictApiServer
class UnexpectedFailureTest {
  StrictApiServer api;
  OperatorHarness k8s;
  SimulatedPatroniFleet fleet;

  @AfterEach
  void tearDown() throws Exception {
    Closeables.closeAll(k8s, fleet);
  }

  @Test
  void anUnexpectedFailureIsAStatusAndAWarningAndTheOthersRun() throws Exception {
    k8s = new OperatorHarness(api);
    k8s.configMap("manifests/configmap.yaml", Map.of("watched_namespace", NS));
    fleet =
        SimulatedPatroniFleet.start(
            k8s.client(), SimulatedPatroniFleet.Options.of(NS, 0, Duration.ofMillis(200)));
    k8s.startOperator(
        false,
        new MemberEndpoints() {
          @Override
          public PatroniClient patroni(Member member) {
            if (member.name().startsWith("acid-faulty")) {
              throw new IllegalStateException("simulated fault: no route to " + member.name());
            }
            return PatroniClient.of(member.ip(), fleet.port());
          }

          @Override
          public String jdbcUrl(Member member, String database) {
            return "jdbc:postgresql://127.0.0.1:1/" + database + "?connectTimeout=1";
          }
        });
    k8s.create(manifest("acid-faulty"));
    k8s.create(manifest("acid-fine"));

    k8s.awaitStatus("acid-faulty", "CreateFailed");
    Condition reconciled =
        k8s.get("acid-faulty").getStatus().conditions.stream()
            .filter(c -> "Reconciled".equals(c.getType()))
            .findFirst()
            .orElseThrow();
    assertThat(reconciled.getReason()).isEqualTo("Failed");
    assertThat(reconciled.getMessage())
        .startsWith(
            "the operator failed on this cluster: simulated fault: no route to " + "acid-faulty-")
        .contains("it tries again")
        .doesNotContain("Exception")
        .doesNotContain("java.");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(k8s.client().v1().events().inNamespace(NS).list().getItems())
                    .anySatisfy(
                        e -> {
                          assertThat(e.getInvolvedObject().getName()).isEqualTo("acid-faulty");
                          assertThat(e.getType()).isEqualTo("Warning");
                          assertThat(e.getMessage()).isEqualTo(reconciled.getMessage());
                        }));
    k8s.awaitStatus("acid-fine", "Running");
  }

  private static String manifest(String name) {
    return """
        apiVersion: acid.zalan.do/v1
        kind: postgresql
        metadata: {name: %s}
        spec: {teamId: acid, numberOfInstances: 2, volume: {size: 1Gi}, postgresql: {version: "15"}}
        """
        .formatted(name);
  }
}
