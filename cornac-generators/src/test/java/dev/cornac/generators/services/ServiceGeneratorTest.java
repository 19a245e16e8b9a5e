package dev.cornac.generators.services;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cornac.generators.Cluster;
import dev.cornac.generators.Fixtures;
import dev.cornac.generators.naming.Role;
import io.fabric8.kubernetes.api.model.Service;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceGeneratorTest {
  @Test
  void rendersMasterServiceWithSourceRangesAndDnsNames() {
    Cluster c =
        Fixtures.cluster(
            Fixtures.minimalWith(
                """
        enableMasterLoadBalancer: true
        allowedSourceRanges: [10.0.0.0/8]
        serviceAnnotations: {a: service, external-dns.alpha.kubernetes.io/hostname: overridden}
        masterServiceAnnotations: {a: master}
        """),
            Map.of("custom_service_annotations", "a:custom,b:custom"));
    Service master = ServiceGenerator.generate(c, Role.MASTER);
    assertThat(master.getSpec().getType()).isEqualTo("LoadBalancer");
    assertThat(master.getSpec().getLoadBalancerSourceRanges()).containsExactly("10.0.0.0/8");
    assertThat(master.getMetadata().getAnnotations())
        .isEqualTo(
            Map.of(
                "a",
                "master",
                "b",
                "custom",
                "external-dns.alpha.kubernetes.io/hostname",
                "acid-test.default.db.example.com,test.acid.db.example.com"));
  }

  @Test
  void replicaLoadBalancerGetsTheReplicaDnsNames() {
    Cluster c =
        Fixtures.cluster(
            Fixtures.minimalWith("enableReplicaLoadBalancer: true\n"),
            Map.of("enable_master_load_balancer", "false"));
    Service replica = ServiceGenerator.generate(c, Role.REPLICA);
    assertThat(replica.getMetadata().getAnnotations())
        .containsEntry(
            "external-dns.alpha.kubernetes.io/hostname",
            "acid-test-repl.default.db.example.com,test-repl.acid.db.example.com");
    assertThat(ServiceGenerator.generate(c, Role.MASTER).getSpec().getType())
        .isEqualTo("ClusterIP");
  }

  @Test
  void nodePortBeatsLoadBalancerAndUsesTheManifestPort() {
    Cluster c =
        Fixtures.cluster(
            Fixtures.minimalWith(
                """
        enableMasterLoadBalancer: true
        enableMasterNodePort: true
        masterNodePort: 30432
        """),
            Map.of());
    Service master = ServiceGenerator.generate(c, Role.MASTER);
    assertThat(master.getSpec().getType()).isEqualTo("NodePort");
    assertThat(master.getSpec().getPorts().get(0).getNodePort()).isEqualTo(30432);
    assertThat(master.getSpec().getLoadBalancerSourceRanges()).isEmpty();
    assertThat(master.getMetadata().getAnnotations()).isNull();
    assertThat(master.getSpec().getExternalTrafficPolicy()).isEqualTo("Cluster");
  }

  @Test
  void masterServiceHasNoSelectorInEndpointsMode() {
    Cluster c = Fixtures.cluster(Fixtures.MINIMAL, Map.of("kubernetes_use_configmaps", "false"));
    assertThat(ServiceGenerator.generate(c, Role.MASTER).getSpec().getSelector()).isEmpty();
    assertThat(ServiceGenerator.generate(c, Role.REPLICA).getSpec().getSelector())
        .containsEntry("spilo-role", "replica");
    assertThat(EndpointsGenerator.master(c))
        .hasValueSatisfying(
            e -> {
              assertThat(e.getMetadata().getName()).isEqualTo("acid-test");
              assertThat(e.getSubsets()).isEmpty();
              assertThat(e.getMetadata().getLabels()).containsEntry("spilo-role", "master");
            });
  }

  @Test
  void legacyDnsNameOnlyWhenTheNameHasTheTeamPrefix() {
    Cluster c =
        Fixtures.cluster(Fixtures.MINIMAL.replace("name: acid-test", "name: payments"), Map.of());
    assertThat(ServiceGenerator.generate(c, Role.MASTER).getMetadata().getAnnotations())
        .containsEntry(
            "external-dns.alpha.kubernetes.io/hostname", "payments.default.db.example.com");
  }

  @Test
  void inheritedLabelsAndAnnotationsReachTheServices() {
    Cluster c =
        Fixtures.cluster(
            Fixtures.MINIMAL.replace(
                "metadata: {name: acid-test, ",
                "metadata: {labels: {environment: demo, other: x}, annotations: {owned-by: db-team}, name: acid-test, "),
            Map.of(
                "inherited_labels",
                "environment",
                "inherited_annotations",
                "owned-by",
                "enable_master_load_balancer",
                "false"));
    Service master = ServiceGenerator.generate(c, Role.MASTER);
    assertThat(master.getMetadata().getLabels())
        .containsEntry("environment", "demo")
        .doesNotContainKey("other");
    assertThat(master.getMetadata().getAnnotations()).isEqualTo(Map.of("owned-by", "db-team"));
  }
}
