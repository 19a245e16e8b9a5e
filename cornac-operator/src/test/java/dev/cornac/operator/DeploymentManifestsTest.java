package dev.cornac.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seed installs the operator with `kubectl create -f manifests/...` and Argo CD with `--path
 * manifests`.
 */
class DeploymentManifestsTest {
  static List<HasMetadata> objects;

  @BeforeAll
  static void renderWithKubectl() throws Exception {
    Process p =
        new ProcessBuilder(
                "kubectl", "kustomize", OperatorHarness.repoRoot().resolve("manifests").toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("kubectl kustomize manifests/: " + out).isZero();
    objects = KubernetesListOf.parse(out);
  }

  @Test
  void kustomizationHoldsUpstreamsObjects() {
    assertThat(objects)
        .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
        .containsExactlyInAnyOrder(
            "ConfigMap/postgres-operator",
            "ServiceAccount/postgres-operator",
            "ClusterRole/postgres-operator",
            "ClusterRole/postgres-pod",
            "ClusterRoleBinding/postgres-operator",
            "Deployment/postgres-operator",
            "Service/postgres-operator",
            "CustomResourceDefinition/postgresqls.acid.zalan.do",
            "CustomResourceDefinition/operatorconfigurations.acid.zalan.do",
            "CustomResourceDefinition/postgresteams.acid.zalan.do");
  }

  @Test
  void operatorRunsRestrictedWithProbes() {
    Deployment d =
        (Deployment)
            objects.stream().filter(o -> o instanceof Deployment).findFirst().orElseThrow();
    var pod = d.getSpec().getTemplate().getSpec();
    assertThat(pod.getServiceAccountName()).isEqualTo("postgres-operator");
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    var c = pod.getContainers().get(0);
    assertThat(c.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz/");
    assertThat(c.getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("CONFIG_MAP_NAME");
              assertThat(e.getValue()).isEqualTo("postgres-operator");
            });
    assertThat(c.getResources().getLimits()).containsKeys("cpu", "memory");
  }

  @Test
  void operatorRoleAllowsEveryInformerAndNothingOnSecretsBeyondItsNeeds() {
    ClusterRole role =
        objects.stream()
            .filter(
                o ->
                    o instanceof ClusterRole
                        && o.getMetadata().getName().equals("postgres-operator"))
            .map(o -> (ClusterRole) o)
            .findFirst()
            .orElseThrow();
    for (String[] kind :
        new String[][] {
          {"", "pods"},
          {"", "services"},
          {"", "secrets"},
          {"", "endpoints"},
          {"", "persistentvolumeclaims"},
          {"", "serviceaccounts"},
          {"apps", "statefulsets"},
          {"apps", "deployments"},
          {"batch", "cronjobs"},
          {"policy", "poddisruptionbudgets"},
          {"rbac.authorization.k8s.io", "rolebindings"},
          {"acid.zalan.do", "postgresqls"},
          {"monitoring.coreos.com", "podmonitors"}
        }) {
      assertThat(verbs(role, kind[0], kind[1])).as(kind[1]).contains("list", "watch");
    }
    assertThat(verbs(role, "acid.zalan.do", "postgresqls/status")).contains("patch");
    assertThat(verbs(role, "", "pods/exec")).as("major version upgrades").contains("create");
    assertThat(verbs(role, "coordination.k8s.io", "leases")).contains("create", "get", "update");
    assertThat(verbs(role, "", "secrets")).doesNotContain("deletecollection", "*");
    assertThat(role.getRules())
        .noneMatch(r -> r.getVerbs().contains("*") || r.getResources().contains("*"));
  }

  @Test
  void theOpenShiftVariantIsTheSameRbacWithoutAnyEndpoints() throws Exception {
    java.nio.file.Path dir = OperatorHarness.repoRoot().resolve("manifests");
    List<HasMetadata> openshift =
        KubernetesListOf.parse(
            java.nio.file.Files.readString(
                dir.resolve("operator-service-account-rbac-openshift.yaml")));
    List<HasMetadata> regular =
        KubernetesListOf.parse(
            java.nio.file.Files.readString(dir.resolve("operator-service-account-rbac.yaml")));
    assertThat(openshift)
        .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
        .containsExactlyElementsOf(
            regular.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList());
    for (HasMetadata o : openshift) {
      if (o instanceof ClusterRole role) {
        assertThat(role.getRules())
            .as(role.getMetadata().getName())
            .noneMatch(r -> r.getResources().contains("endpoints"));
        ClusterRole same =
            (ClusterRole)
                regular.stream()
                    .filter(
                        x ->
                            x instanceof ClusterRole
                                && x.getMetadata().getName().equals(role.getMetadata().getName()))
                    .findFirst()
                    .orElseThrow();
        assertThat(role.getRules())
            .as("every other rule is kept")
            .containsExactlyElementsOf(
                same.getRules().stream()
                    .filter(r -> !r.getResources().contains("endpoints"))
                    .toList());
      }
    }
  }

  private static List<String> verbs(ClusterRole role, String group, String resource) {
    return role.getRules().stream()
        .filter(r -> r.getApiGroups().contains(group) && r.getResources().contains(resource))
        .map(PolicyRule::getVerbs)
        .flatMap(List::stream)
        .toList();
  }

  /** A YAML stream into typed objects. */
  static final class KubernetesListOf {
    static List<HasMetadata> parse(String yaml) {
      Object parsed =
          Serialization.unmarshal(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
      if (parsed instanceof KubernetesList list) {
        return list.getItems();
      }
      @SuppressWarnings("unchecked")
      List<HasMetadata> items = (List<HasMetadata>) parsed;
      return items;
    }
  }
}
