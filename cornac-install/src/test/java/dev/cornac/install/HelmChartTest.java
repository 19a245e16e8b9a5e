package dev.cornac.install;

import static dev.cornac.install.Installs.chart;
import static dev.cornac.install.Installs.helm;
import static dev.cornac.install.Installs.helmTemplate;
import static dev.cornac.install.Installs.kustomize;
import static dev.cornac.install.Installs.manifests;
import static dev.cornac.install.Installs.readYaml;
import static dev.cornac.install.Installs.set;
import static dev.cornac.install.Installs.without;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import dev.cornac.api.config.OperatorConfig;
import dev.cornac.api.config.OperatorConfigReader;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.api.model.Postgresql;
import dev.cornac.generators.Cluster;
import dev.cornac.generators.rbac.PodServiceAccountGenerator;
import dev.cornac.install.Installs.Rendered;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * charts/cornac, rendered by Helm itself: the same operator as `kubectl apply -k manifests/`, plus
 * Helm's values.
 */
class HelmChartTest {
  private static final String ROLE_BINDING_DEFINITION =
      "pod_service_account_role_binding_definition";
  private static Rendered kustomized;
  private static Rendered kustomizedUi;
  private static Rendered defaults;

  @BeforeAll
  static void render() {
    kustomized = kustomize(manifests());
    kustomizedUi = kustomize(manifests().resolve("ui"));
    defaults = helm();
  }

  @Test
  void chartPassesHelmLintStrict() {
    LintResult lint = new Helm(chart()).lint().strict().call();
    assertThat(lint.getMessages())
        .as("helm lint --strict")
        .noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
  }

  @ParameterizedTest(name = "charts/cornac/{1} is manifests/{0}")
  @CsvSource({
    "configmap.yaml, files/configmap.yaml",
    "postgresql-operator-default-configuration.yaml, files/postgresql-operator-default-configuration.yaml",
    "postgresql.crd.yaml, crds/postgresql.crd.yaml",
    "operatorconfiguration.crd.yaml, crds/operatorconfiguration.crd.yaml",
    "postgresteam.crd.yaml, crds/postgresteam.crd.yaml"
  })
  void theChartsCopiesAreTheManifestsFiles(String source, String copy) throws Exception {
    // Helm reads nothing outside the chart and kustomize nothing outside manifests/: manifests/ is
    // the source and
    // the chart holds verbatim copies.
    assertThat(Files.readString(chart().resolve(copy)))
        .as(
            "charts/cornac/%s differs from manifests/%s: cp manifests/%s charts/cornac/%s",
            copy, source, source, copy)
        .isEqualTo(Files.readString(manifests().resolve(source)));
  }

  @Test
  void chartRendersTheSameConfigurationAsTheKustomizeInstall() {
    Map<String, String> kustomize = kustomized.configMapData("postgres-operator");
    Map<String, String> chart = defaults.configMapData("postgres-operator");
    // A user moving from the seed's install to the chart must not see one cluster roll or Patroni
    // change its DCS.
    assertThat(chart.get("kubernetes_use_configmaps")).isEqualTo("false");
    assertThat(withoutKey(chart, ROLE_BINDING_DEFINITION))
        .as("every key, every value")
        .isEqualTo(withoutKey(kustomize, ROLE_BINDING_DEFINITION));
    assertThat(effective(OperatorConfigReader.fromConfigMap(chart)))
        .isEqualTo(effective(OperatorConfigReader.fromConfigMap(kustomize)));
  }

  @Test
  void aConfigurationValueOverridesOnlyItsKey() {
    Map<String, String> chart =
        helm(set(
                "configuration.docker_image",
                "registry.example.com/spilo:1",
                "configuration.workers",
                "16"))
            .configMapData("postgres-operator");
    Map<String, String> expected = new TreeMap<>(defaults.configMapData("postgres-operator"));
    expected.put("docker_image", "registry.example.com/spilo:1");
    expected.put("workers", "16");
    assertThat(new TreeMap<>(chart)).isEqualTo(expected);
  }

  @Test
  void theOperatorDeploymentAndServiceAreTheKustomizeInstalls() {
    JsonNode chart = defaults.get("Deployment", "postgres-operator");
    JsonNode kustomize = kustomized.get("Deployment", "postgres-operator");
    // env, probes, security contexts, resources, image, ports, volumes, service account: the whole
    // pod spec.
    assertThat(chart.at("/spec/template/spec")).isEqualTo(kustomize.at("/spec/template/spec"));
    assertThat(chart.at("/spec/template/metadata/labels"))
        .isEqualTo(kustomize.at("/spec/template/metadata/labels"));
    for (String field : List.of("/spec/selector", "/spec/replicas", "/spec/strategy")) {
      assertThat(chart.at(field)).as(field).isEqualTo(kustomize.at(field));
    }
    assertThat(defaults.get("Service", "postgres-operator").path("spec"))
        .isEqualTo(kustomized.get("Service", "postgres-operator").path("spec"));
  }

  @Test
  void chartRbacHasTheRulesOfTheKustomizeInstall() {
    for (String role : List.of("postgres-operator", "postgres-pod")) {
      assertThat(defaults.get("ClusterRole", "cornac-" + role).path("rules"))
          .as(role)
          .isEqualTo(kustomized.get("ClusterRole", role).path("rules"));
    }
    JsonNode binding = defaults.get("ClusterRoleBinding", "cornac-postgres-operator");
    assertThat(binding.at("/roleRef/name").asText()).isEqualTo("cornac-postgres-operator");
    assertThat(binding.path("subjects"))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.path("name").asText()).isEqualTo("postgres-operator");
              assertThat(s.path("namespace").asText()).isEqualTo("team-x");
            });
    assertThat(
            defaults.get("ServiceAccount", "postgres-operator").at("/metadata/namespace").asText())
        .isEqualTo("team-x");
  }

  @Test
  void theOperatorBindsSpiloPodsToTheReleasesPodRole() throws Exception {
    Postgresql cluster =
        ManifestMapper.yaml()
            .readValue(
                manifests().resolve("minimal-postgres-manifest.yaml").toFile(), Postgresql.class);
    OperatorConfig fromConfigMap =
        OperatorConfigReader.fromConfigMap(defaults.configMapData("postgres-operator"));
    OperatorConfig fromResource =
        OperatorConfigReader.fromOperatorConfiguration(
            configurationOf(helm(set("configTarget", "OperatorConfiguration"))));
    for (OperatorConfig config : List.of(fromConfigMap, fromResource)) {
      Cluster c = new Cluster(cluster, config);
      RoleBinding binding = PodServiceAccountGenerator.roleBinding(c);
      assertThat(binding.getRoleRef().getName()).isEqualTo("cornac-postgres-pod");
      assertThat(defaults.find("ClusterRole", binding.getRoleRef().getName())).isPresent();
      assertThat(binding.getSubjects())
          .singleElement()
          .satisfies(
              s ->
                  assertThat(s.getName())
                      .isEqualTo(
                          PodServiceAccountGenerator.serviceAccount(c).getMetadata().getName()));
      // Not postgres-pod: namespaces moved from a kustomize install keep their old binding and get
      // this one.
      assertThat(binding.getMetadata().getName()).isEqualTo("cornac-postgres-pod");
    }
    // Without the chart's RBAC the operator binds to postgres-pod, as upstream does.
    Map<String, String> ownRbac =
        helm(set("rbac.create", false)).configMapData("postgres-operator");
    assertThat(ownRbac.get(ROLE_BINDING_DEFINITION)).isEmpty();
  }

  @Test
  void twoReleasesShareNoClusterScopedName() {
    Rendered first = Rendered.of(helmTemplate().withName("first").call());
    Rendered second =
        Rendered.of(
            helmTemplate()
                .withName("second")
                .withNamespace("team-y")
                .set("controllerID", "second")
                .call());
    List<String> clusterScoped =
        first.objects().stream()
            .filter(o -> !o.path("metadata").has("namespace"))
            .map(o -> o.path("kind").asText() + "/" + o.path("metadata").path("name").asText())
            .toList();
    assertThat(clusterScoped)
        .isNotEmpty()
        .doesNotContainAnyElementsOf(
            second.objects().stream()
                .filter(o -> !o.path("metadata").has("namespace"))
                .map(o -> o.path("kind").asText() + "/" + o.path("metadata").path("name").asText())
                .toList());
  }

  @Test
  void operatorConfigurationTargetRendersTheResourceTheOperatorReads() {
    Rendered chart = helm(set("configTarget", "OperatorConfiguration"));
    assertThat(chart.find("ConfigMap", "postgres-operator")).isEmpty();
    JsonNode resource =
        chart.get("OperatorConfiguration", "postgresql-operator-default-configuration");
    assertThat(resource.at("/metadata/namespace").asText())
        .as("the operator reads it in its own namespace")
        .isEqualTo("team-x");
    JsonNode env =
        chart.get("Deployment", "postgres-operator").at("/spec/template/spec/containers/0/env");
    assertThat(env.findValuesAsText("name"))
        .contains("POSTGRES_OPERATOR_CONFIGURATION_OBJECT")
        .doesNotContain("CONFIG_MAP_NAME");
    assertThat(valueOf(env, "POSTGRES_OPERATOR_CONFIGURATION_OBJECT"))
        .isEqualTo(resource.at("/metadata/name").asText());

    JsonNode shipped =
        readYaml(manifests().resolve("postgresql-operator-default-configuration.yaml"));
    assertThat(without(resource.path("configuration"), "kubernetes." + ROLE_BINDING_DEFINITION))
        .isEqualTo(shipped.path("configuration"));
    assertThat(effective(OperatorConfigReader.fromOperatorConfiguration(configurationOf(chart))))
        .isEqualTo(
            effective(
                OperatorConfigReader.fromFile(
                    manifests().resolve("postgresql-operator-default-configuration.yaml"))));
    // Helm installs crds/ before the templates: the resource's kind exists when it is created.
    assertThat(chart().resolve("crds").resolve("operatorconfiguration.crd.yaml")).exists();

    Rendered tuned =
        helm(set("configTarget", "OperatorConfiguration", "operatorConfiguration.workers", 16));
    assertThat(
            OperatorConfigReader.fromOperatorConfiguration(configurationOf(tuned))
                .integer("workers"))
        .contains(16L);
  }

  @Test
  void theUiLoginSecretIsCreatedWithARandomPasswordUnlessOneIsGiven() {
    JsonNode secret = defaults.get("Secret", "postgres-operator-ui-login");
    assertThat(decode(secret.at("/data/username"))).isEqualTo("admin");
    assertThat(decode(secret.at("/data/password"))).matches("[A-Za-z0-9]{32}");
    assertThat(decode(helm().get("Secret", "postgres-operator-ui-login").at("/data/password")))
        .as("drawn per install")
        .isNotEqualTo(decode(secret.at("/data/password")));
    assertThat(secretRefs(defaults)).containsOnly("postgres-operator-ui-login");

    Rendered existing = helm(set("ui.existingSecret", "my-login"));
    assertThat(existing.ofKind("Secret")).isEmpty();
    assertThat(secretRefs(existing)).containsOnly("my-login");

    Rendered token = helm(set("ui.auth", "token"));
    assertThat(token.ofKind("Secret")).isEmpty();
    assertThat(secretRefs(token)).isEmpty();
  }

  @Test
  void theUiIsTheKustomizeUi() {
    Rendered chart = helm(set("ui.targetNamespace", "default"));
    JsonNode pod =
        normalisedUiConfig(
            chart.get("Deployment", "postgres-operator-ui").at("/spec/template/spec"));
    assertThat(pod)
        .isEqualTo(
            normalisedUiConfig(
                kustomizedUi.get("Deployment", "postgres-operator-ui").at("/spec/template/spec")));
    assertThat(chart.get("ClusterRole", "cornac-postgres-operator-ui").path("rules"))
        .isEqualTo(kustomizedUi.get("ClusterRole", "postgres-operator-ui").path("rules"));
    assertThat(chart.get("Service", "postgres-operator-ui").path("spec"))
        .isEqualTo(kustomizedUi.get("Service", "postgres-operator-ui").path("spec"));
  }

  @Test
  void everyDocumentedValueHasAnAlternativeThatChangesWhatHelmRenders(@TempDir Path dir)
      throws Exception {
    JsonNode values = readYaml(chart().resolve("values.yaml"));
    JsonNode alternatives =
        readYaml(Path.of(HelmChartTest.class.getResource("/every-value.yaml").toURI()));
    List<String> leaves = new ArrayList<>();
    leaves(values, "", leaves);
    assertThat(leaves).hasSizeGreaterThan(30);
    // Values that act only together with another one.
    Map<String, Map<String, Object>> context =
        Map.of(
            "operatorConfiguration", Map.of("configTarget", "OperatorConfiguration"),
            "podMonitor.labels", Map.of("podMonitor", Map.of("enabled", true)),
            "podMonitor.interval", Map.of("podMonitor", Map.of("enabled", true)));
    for (String leaf : leaves) {
      JsonNode alternative = alternatives.at("/" + leaf.replace('.', '/'));
      assertThat(alternative.isMissingNode())
          .as(leaf + " has an alternative in every-value.yaml")
          .isFalse();
      assertThat(alternative)
          .as(leaf + " differs from its default")
          .isNotEqualTo(values.at("/" + leaf.replace('.', '/')));
      Map<String, Object> base =
          context.entrySet().stream()
              .filter(e -> leaf.startsWith(e.getKey()))
              .map(Map.Entry::getValue)
              .findFirst()
              .orElse(Map.of());
      Map<String, Object> changed =
          deepMerge(
              base, nested(leaf, ManifestMapper.json().treeToValue(alternative, Object.class)));
      assertThat(stable(render(dir, "base.yaml", base)))
          .as("--set %s=%s changes the rendering", leaf, alternative)
          .isNotEqualTo(stable(render(dir, "changed.yaml", changed)));
    }
  }

  @Test
  void everyValueAtOnceReachesBothPods() throws Exception {
    Rendered all =
        Rendered.of(
            helmTemplate()
                .withValuesFile(
                    Path.of(HelmChartTest.class.getResource("/every-value.yaml").toURI()))
                .set("ui.enabled", true)
                .call());
    for (String name : List.of("postgres-operator", "postgres-operator-ui")) {
      JsonNode pod = all.get("Deployment", name).at("/spec/template");
      assertThat(pod.at("/spec/imagePullSecrets/0/name").asText())
          .as(name)
          .isEqualTo("my-registry");
      assertThat(pod.at("/spec/priorityClassName").asText())
          .as(name)
          .isEqualTo("system-cluster-critical");
      assertThat(pod.at("/spec/nodeSelector").path("node-role.example.com/databases").asText())
          .isEqualTo("true");
      assertThat(pod.at("/spec/tolerations/0/key").asText()).as(name).isEqualTo("dedicated");
      assertThat(pod.at("/spec/affinity/nodeAffinity").isObject()).as(name).isTrue();
      assertThat(pod.at("/metadata/labels/team").asText()).as(name).isEqualTo("platform");
      assertThat(pod.at("/metadata/annotations").path("example.com/team").asText())
          .as(name)
          .isEqualTo("platform");
      assertThat(pod.at("/spec/containers/0/image").asText())
          .isEqualTo("registry.example.com/cornac:9.9.9");
    }
    JsonNode operator = all.get("Deployment", "postgres-operator");
    assertThat(operator.at("/spec/template/spec/serviceAccountName").asText())
        .isEqualTo("my-operator");
    assertThat(valueOf(operator.at("/spec/template/spec/containers/0/env"), "CONTROLLER_ID"))
        .isEqualTo("second-operator");
    assertThat(all.ofKind("ServiceAccount"))
        .extracting(o -> o.at("/metadata/name").asText())
        .as("serviceAccount.create=false")
        .containsExactly("my-ui");
    assertThat(all.ofKind("ClusterRole")).as("rbac.create=false").isEmpty();
    assertThat(all.ofKind("ClusterRoleBinding")).as("rbac.create=false").isEmpty();
  }

  @Test
  void aMisspelledValueIsRejectedByTheSchema() {
    assertThatThrownBy(() -> helm(set("replicaCont", 3))).hasMessageContaining("replicaCont");
    assertThatThrownBy(() -> helm(set("configTarget", "Configmap")))
        .hasMessageContaining("configTarget");
    assertThatThrownBy(() -> helm(set("ui.auth", "ldap"))).hasMessageContaining("auth");
  }

  private static String render(Path dir, String file, Map<String, Object> values) throws Exception {
    Path f = dir.resolve(file);
    Files.writeString(f, ManifestMapper.yaml().writeValueAsString(values));
    return helmTemplate().withValuesFile(f).call();
  }

  /** The rendering without what changes from one run to the next: the UI's generated password. */
  private static List<JsonNode> stable(String yaml) {
    return Rendered.of(yaml).objects().stream()
        .map(o -> o.path("kind").asText().equals("Secret") ? without(o, "data.password") : o)
        .toList();
  }

  private static void leaves(JsonNode node, String path, List<String> out) {
    if (node.isObject() && node.size() > 0) {
      node.fields()
          .forEachRemaining(
              e ->
                  leaves(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out));
    } else {
      out.add(path);
    }
  }

  private static Map<String, Object> nested(String path, Object value) {
    String[] parts = path.split("\\.");
    Object current = value;
    for (int i = parts.length - 1; i >= 0; i--) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put(parts[i], current);
      current = m;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> result = (Map<String, Object>) current;
    return result;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> deepMerge(Map<String, Object> base, Map<String, Object> over) {
    Map<String, Object> merged = new LinkedHashMap<>(base);
    over.forEach(
        (k, v) ->
            merged.merge(
                k,
                v,
                (a, b) ->
                    a instanceof Map && b instanceof Map
                        ? deepMerge((Map<String, Object>) a, (Map<String, Object>) b)
                        : b));
    return merged;
  }

  private static Map<String, Object> effective(OperatorConfig config) {
    Map<String, Object> values = new HashMap<>(config.asMap());
    values.remove(ROLE_BINDING_DEFINITION);
    return values;
  }

  private static Map<String, String> withoutKey(Map<String, String> data, String key) {
    Map<String, String> copy = new TreeMap<>(data);
    copy.remove(key);
    return copy;
  }

  private static Map<String, Object> configurationOf(Rendered chart) {
    JsonNode configuration =
        chart
            .get("OperatorConfiguration", "postgresql-operator-default-configuration")
            .path("configuration");
    return ManifestMapper.json()
        .convertValue(
            configuration,
            ManifestMapper.json()
                .getTypeFactory()
                .constructMapType(Map.class, String.class, Object.class));
  }

  private static String valueOf(JsonNode env, String name) {
    for (JsonNode e : env) {
      if (e.path("name").asText().equals(name)) {
        return e.path("value").asText();
      }
    }
    throw new AssertionError(name + " is not in " + env);
  }

  private static Set<String> secretRefs(Rendered chart) {
    JsonNode env =
        chart.get("Deployment", "postgres-operator-ui").at("/spec/template/spec/containers/0/env");
    return env.findValues("secretKeyRef").stream()
        .map(r -> r.path("name").asText())
        .collect(Collectors.toSet());
  }

  private static String decode(JsonNode base64) {
    return new String(Base64.getDecoder().decode(base64.asText()));
  }

  /** OPERATOR_UI_CONFIG as the UI reads it (JSON), not as spaced in the file. */
  private static JsonNode normalisedUiConfig(JsonNode podSpec) {
    JsonNode copy = podSpec.deepCopy();
    for (JsonNode e : copy.at("/containers/0/env")) {
      if (e.path("name").asText().equals("OPERATOR_UI_CONFIG")) {
        try {
          ((ObjectNode) e).set("value", ManifestMapper.json().readTree(e.path("value").asText()));
        } catch (Exception ex) {
          throw new AssertionError("OPERATOR_UI_CONFIG is not JSON: " + e, ex);
        }
      }
    }
    return copy;
  }
}
