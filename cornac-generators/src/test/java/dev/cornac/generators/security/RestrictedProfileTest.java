package dev.cornac.generators.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cornac.api.model.ManifestMapper;
import dev.cornac.generators.Cluster;
import dev.cornac.generators.DesiredState;
import dev.cornac.generators.DesiredStateGenerator;
import dev.cornac.generators.Fixtures;
import dev.cornac.generators.secrets.Credentials;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every pod Cornac generates or ships, against the "restricted" Pod Security Standard. The
 * exceptions are exactly the ones docs/security.md lists: Spilo pods left as upstream writes them
 * until the configuration asks for non-root.
 */
class RestrictedProfileTest {
  static final String MANIFEST =
      Fixtures.minimalWith(
          """
      enableConnectionPooler: true
      enableReplicaConnectionPooler: true
      enableLogicalBackup: true
      """);

  /** What docs/security.md tells users to set for restricted namespaces. */
  static final Map<String, String> RESTRICTED =
      Map.of(
          "spilo_runasuser",
          "101",
          "spilo_runasgroup",
          "103",
          "spilo_fsgroup",
          "103",
          "spilo_allow_privilege_escalation",
          "false");

  private static DesiredState generate(Map<String, String> config) {
    Cluster c = Fixtures.cluster(MANIFEST, config);
    return DesiredStateGenerator.generate(c, Credentials.placeholder());
  }

  private static PodSpec stsPod(DesiredState d) {
    return d.statefulSet().getSpec().getTemplate().getSpec();
  }

  private static PodSpec backupPod(DesiredState d) {
    return d.logicalBackup()
        .orElseThrow()
        .getSpec()
        .getJobTemplate()
        .getSpec()
        .getTemplate()
        .getSpec();
  }

  @Test
  void withNonRootSettingsEveryGeneratedPodIsRestricted() {
    DesiredState d = generate(RESTRICTED);
    assertThat(RestrictedProfile.violations(stsPod(d))).isEmpty();
    assertThat(RestrictedProfile.violations(backupPod(d))).isEmpty();
    assertThat(d.poolers())
        .hasSize(2)
        .allSatisfy(
            p ->
                assertThat(
                        RestrictedProfile.violations(
                            p.deployment().getSpec().getTemplate().getSpec()))
                    .isEmpty());
    assertThat(stsPod(d).getSecurityContext().getRunAsUser()).isEqualTo(101L);
  }

  @Test
  void upstreamDefaultsKeepTheDocumentedExceptionsOnly() {
    DesiredState d = generate(Map.of());
    // Spilo's defaults (root entrypoint, privilege escalation allowed): the pods stay as upstream
    // writes them.
    assertThat(RestrictedProfile.violations(stsPod(d)))
        .containsExactly(
            "container postgres: securityContext.allowPrivilegeEscalation must be false",
            "container postgres: runAsNonRoot must be true (pod or container securityContext)",
            "container postgres: seccompProfile.type must be RuntimeDefault or Localhost (pod or container)",
            "container postgres: capabilities.drop must contain ALL");
    assertThat(RestrictedProfile.violations(backupPod(d))).hasSize(4);
    assertThat(d.poolers())
        .allSatisfy(
            p ->
                assertThat(
                        RestrictedProfile.violations(
                            p.deployment().getSpec().getTemplate().getSpec()))
                    .as("the pooler is restricted whatever the configuration")
                    .isEmpty());
  }

  @Test
  void additionalCapabilitiesBeyondNetBindServiceAreReported() {
    Map<String, String> config = new java.util.HashMap<>(RESTRICTED);
    config.put("additional_pod_capabilities", "SYS_NICE");
    assertThat(RestrictedProfile.violations(stsPod(generate(config))))
        .containsExactly(
            "container postgres: capability SYS_NICE may not be added (only NET_BIND_SERVICE)");
  }

  @Test
  void theShippedOperatorAndUiDeploymentsAreRestricted() throws Exception {
    for (Path file :
        List.of(
            Fixtures.repoRoot().resolve("manifests/postgres-operator.yaml"),
            Fixtures.repoRoot().resolve("manifests/ui/deployment.yaml"))) {
      Deployment d = ManifestMapper.yaml().readValue(Files.readString(file), Deployment.class);
      assertThat(RestrictedProfile.violations(d.getSpec().getTemplate().getSpec()))
          .as(file.toString())
          .isEmpty();
    }
  }

  @Test
  void hostPathsHostNamespacesAndPrivilegedContainersAreCaught() throws Exception {
    PodSpec spec =
        ManifestMapper.yaml()
            .readValue(
                """
        hostNetwork: true
        securityContext: {runAsNonRoot: true, runAsUser: 0, seccompProfile: {type: RuntimeDefault}}
        volumes: [{name: host, hostPath: {path: /var/run}}]
        containers:
        - name: bad
          securityContext: {privileged: true, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
          ports: [{containerPort: 5432, hostPort: 5432}]
        """,
                PodSpec.class);
    assertThat(RestrictedProfile.violations(spec))
        .containsExactly(
            "pod: host namespaces (hostNetwork/hostPID/hostIPC) must not be used",
            "volume host: type hostPath is not allowed",
            "pod: securityContext.runAsUser must not be 0",
            "container bad: securityContext.privileged must be false",
            "container bad: hostPort 5432 must not be used");
  }
}
