package dev.cornac.generators;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cornac.api.config.OperatorConfig;
import dev.cornac.api.config.OperatorConfigReader;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.api.model.Postgresql;
import dev.cornac.generators.secrets.Credentials;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What upstream generates (pkg/cluster/k8sres.go, generateStatefulSet) for its minimal example
 * (manifests/minimal-postgres-manifest.yaml) under its default OperatorConfiguration
 * (manifests/postgresql-operator-default-configuration.yaml).
 */
class WorkedExampleTest {
  private static final OperatorConfig CRD_DEFAULTS =
      OperatorConfigReader.fromFile(
          Fixtures.upstream("postgresql-operator-default-configuration.yaml"));

  private static Cluster minimal(OperatorConfig config) throws Exception {
    Postgresql pg =
        ManifestMapper.yaml()
            .readValue(
                Files.readString(Fixtures.upstream("minimal-postgres-manifest.yaml")),
                Postgresql.class);
    pg.getMetadata().setNamespace("default");
    return new Cluster(pg, config);
  }

  @Test
  void statefulSetMatchesTheReferenceFieldForField() throws Exception {
    DesiredState state =
        DesiredStateGenerator.generate(minimal(CRD_DEFAULTS), Credentials.placeholder());
    ObjectNode ours = (ObjectNode) ManifestMapper.tree(state.statefulSet());
    JsonNode expected;
    try (InputStream in =
        getClass().getResourceAsStream("/reference/worked-example-statefulset.yaml")) {
      expected = ManifestMapper.yaml().readTree(in);
    }
    // The expected file abbreviates the template metadata; upstream's generatePodTemplate sets the
    // namespace there, which we keep.
    assertThat(ours.path("spec").path("template").path("metadata").path("namespace").asText())
        .isEqualTo("default");
    ((ObjectNode) ours.path("spec").path("template").path("metadata")).remove("namespace");
    assertThat(Fixtures.plain(ours.get("spec"))).isEqualTo(Fixtures.plain(expected.get("spec")));
    assertThat(Fixtures.plain(ours.path("metadata").path("labels")))
        .isEqualTo(Fixtures.plain(expected.path("metadata").path("labels")));
    assertThat(ours.path("metadata").has("annotations")).isFalse();
  }

  @Test
  void otherObjectsMatchTheReference() throws Exception {
    DesiredState state =
        DesiredStateGenerator.generate(minimal(CRD_DEFAULTS), Credentials.placeholder());
    assertThat(state.masterService().getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(state.masterService().getSpec().getSelector())
        .isEqualTo(
            Map.of(
                "application",
                "spilo",
                "cluster-name",
                "acid-minimal-cluster",
                "spilo-role",
                "master"));
    assertThat(state.replicaService().getMetadata().getName())
        .isEqualTo("acid-minimal-cluster-repl");
    assertThat(state.replicaService().getSpec().getSelector())
        .containsEntry("spilo-role", "replica");
    assertThat(state.credentialSecrets())
        .extracting(s -> s.getMetadata().getName())
        .containsExactlyInAnyOrder(
            "postgres.acid-minimal-cluster.credentials.postgresql.acid.zalan.do",
            "standby.acid-minimal-cluster.credentials.postgresql.acid.zalan.do",
            "zalando.acid-minimal-cluster.credentials.postgresql.acid.zalan.do",
            "foo-user.acid-minimal-cluster.credentials.postgresql.acid.zalan.do");
    assertThat(state.primaryPdb().getMetadata().getName())
        .isEqualTo("postgres-acid-minimal-cluster-pdb");
    assertThat(state.primaryPdb().getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
    assertThat(state.primaryPdb().getSpec().getSelector().getMatchLabels())
        .containsEntry("spilo-role", "master");
    assertThat(state.criticalOpPdb().getMetadata().getName())
        .isEqualTo("postgres-acid-minimal-cluster-critical-op-pdb");
    assertThat(state.criticalOpPdb().getSpec().getMaxUnavailable().getIntVal()).isZero();
    assertThat(state.criticalOpPdb().getSpec().getSelector().getMatchLabels())
        .containsEntry("critical-operation", "true");
    assertThat(state.podServiceAccount().getMetadata().getName()).isEqualTo("postgres-pod");
    assertThat(state.podRoleBinding().getRoleRef().getName()).isEqualTo("postgres-pod");
    assertThat(state.masterEndpoints()).isEmpty();
    assertThat(state.logicalBackup()).isEmpty();
    assertThat(state.poolers()).isEmpty();
  }

  @Test
  void emptyConfigMapGivesALoadBalancerAndNoResources() throws Exception {
    DesiredState state =
        DesiredStateGenerator.generate(
            minimal(OperatorConfig.defaults()), Credentials.placeholder());
    Service master = state.masterService();
    assertThat(master.getSpec().getType()).isEqualTo("LoadBalancer");
    assertThat(master.getSpec().getLoadBalancerSourceRanges()).containsExactly("127.0.0.1/32");
    assertThat(master.getSpec().getExternalTrafficPolicy()).isEqualTo("Cluster");
    assertThat(master.getMetadata().getAnnotations())
        .containsExactly(
            Map.entry(
                "external-dns.alpha.kubernetes.io/hostname",
                "acid-minimal-cluster.default.db.example.com,minimal-cluster.acid.db.example.com"));
    var resources =
        state.statefulSet().getSpec().getTemplate().getSpec().getContainers().get(0).getResources();
    assertThat(resources.getRequests()).isNullOrEmpty();
    assertThat(resources.getLimits()).isNullOrEmpty();
    assertThat(state.replicaService().getSpec().getType()).isEqualTo("ClusterIP");
  }

  @Test
  void creationOrderFollowsUpstream() throws Exception {
    DesiredState state =
        DesiredStateGenerator.generate(minimal(CRD_DEFAULTS), Credentials.placeholder());
    List<String> kinds =
        state.inCreationOrder().stream().map(HasMetadata::getKind).distinct().toList();
    assertThat(kinds)
        .containsExactly(
            "ServiceAccount",
            "RoleBinding",
            "Service",
            "Secret",
            "PodDisruptionBudget",
            "StatefulSet");
  }
}
