package dev.cornac.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cornac.operator.OperatorHarness;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * manifests/ui as kubectl renders it: its own identity, restricted, no secret access, settings the
 * UI reads.
 */
class UiManifestsTest {
  @Test
  void theUiDeploymentIsRestrictedAndItsRoleNeverReadsSecrets() throws Exception {
    Process p =
        new ProcessBuilder(
                "kubectl",
                "kustomize",
                OperatorHarness.repoRoot().resolve("manifests").resolve("ui").toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    Object parsed =
        Serialization.unmarshal(new ByteArrayInputStream(out.getBytes(StandardCharsets.UTF_8)));
    @SuppressWarnings("unchecked")
    List<HasMetadata> objects =
        parsed instanceof KubernetesList l ? l.getItems() : (List<HasMetadata>) parsed;
    assertThat(objects)
        .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
        .containsExactlyInAnyOrder(
            "ServiceAccount/postgres-operator-ui",
            "ClusterRole/postgres-operator-ui",
            "ClusterRoleBinding/postgres-operator-ui",
            "Deployment/postgres-operator-ui",
            "Service/postgres-operator-ui");

    ClusterRole role =
        (ClusterRole)
            objects.stream().filter(o -> o instanceof ClusterRole).findFirst().orElseThrow();
    assertThat(role.getRules())
        .noneMatch(
            r ->
                r.getResources().contains("secrets")
                    || r.getResources().contains("*")
                    || r.getVerbs().contains("*"));
    assertThat(role.getRules())
        .anyMatch(
            r ->
                r.getResources().contains("postgresqls")
                    && r.getVerbs().containsAll(List.of("create", "update", "delete", "list")));

    Deployment d =
        (Deployment)
            objects.stream().filter(o -> o instanceof Deployment).findFirst().orElseThrow();
    var pod = d.getSpec().getTemplate().getSpec();
    assertThat(pod.getServiceAccountName()).isEqualTo("postgres-operator-ui");
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    var c = pod.getContainers().get(0);
    assertThat(c.getArgs()).containsExactly("ui");
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health");
    EnvVar password =
        c.getEnv().stream()
            .filter(e -> e.getName().equals("CORNAC_UI_PASSWORD"))
            .findFirst()
            .orElseThrow();
    assertThat(password.getValue()).as("from a Secret, never written in the manifest").isNull();
    assertThat(password.getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("postgres-operator-ui-login");

    // The settings as the UI reads them: the manifest's values parse.
    Map<String, String> env = new HashMap<>();
    c.getEnv().stream()
        .filter(e -> e.getValue() != null)
        .forEach(e -> env.put(e.getName(), e.getValue()));
    env.put("CORNAC_UI_USERNAME", "u");
    env.put("CORNAC_UI_PASSWORD", "p");
    UiSettings settings = UiSettings.fromEnvironment(env);
    assertThat(settings.confinedNamespace()).isEqualTo("default");
    assertThat(settings.teams()).containsExactly("acid");
    assertThat(settings.uiConfig().path("postgresql_versions").get(0).asText()).isEqualTo("18");
    assertThat(settings.port()).isEqualTo(c.getPorts().get(0).getContainerPort());
  }

  @Test
  void badSettingsNameTheVariableAndTheFix() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> UiSettings.fromEnvironment(Map.of("TEAMS", "acid")))
        .hasMessageContaining("TEAMS must be a JSON list");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> UiSettings.fromEnvironment(Map.of()))
        .hasMessageContaining("CORNAC_UI_USERNAME and CORNAC_UI_PASSWORD");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> UiSettings.fromEnvironment(Map.of("CORNAC_UI_AUTH", "ldap")))
        .hasMessageContaining("CORNAC_UI_AUTH must be basic or token");
  }
}
