package dev.cornac.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewSpecBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StrictApiServerTest {
  static final String RBAC =
      """
      apiVersion: v1
      kind: ServiceAccount
      metadata: {name: app}
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRole
      metadata: {name: app}
      rules:
      - apiGroups: ["coordination.k8s.io"]
        resources: ["leases"]
        verbs: ["create", "get", "update"]
      - apiGroups: [""]
        resources: ["configmaps"]
        verbs: ["get", "list", "create"]
      - apiGroups: ["rbac.authorization.k8s.io"]
        resources: ["rolebindings"]
        verbs: ["create"]
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRole
      metadata: {name: pod-reader}
      rules:
      - apiGroups: [""]
        resources: ["pods"]
        verbs: ["get", "list"]
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRoleBinding
      metadata: {name: app}
      roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: app}
      subjects:
      - {kind: ServiceAccount, name: app, namespace: default}
      """;

  static final String CRD =
      """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata: {name: widgets.example.com}
      spec:
        group: example.com
        names: {kind: Widget, listKind: WidgetList, plural: widgets, singular: widget}
        scope: Namespaced
        versions:
        - name: v1
          served: true
          storage: true
          subresources: {status: {}}
          schema:
            openAPIV3Schema:
              type: object
              required: [spec]
              properties:
                spec:
                  type: object
                  required: [size]
                  properties:
                    size: {type: integer, format: int32, minimum: 0, maximum: 2147483647}
                    count: {type: integer, format: int32}
                    mode: {type: string, enum: [fast, safe], default: safe}
                    name: {type: string, pattern: '^[a-z]+$'}
                    labels: {type: object, additionalProperties: {type: string}}
                    free: {type: object, x-kubernetes-preserve-unknown-fields: true}
                status:
                  type: object
                  properties:
                    phase: {type: string}
      """;

  StrictApiServer api;
  Identity app = Identity.serviceAccount("default", "app");

  @BeforeEach
  void start(@TempDir Path dir) throws Exception {
    api = new StrictApiServer();
    Path rbac = dir.resolve("rbac.yaml");
    Files.writeString(rbac, RBAC);
    api.apply(rbac, "default");
    Path crd = dir.resolve("crd.yaml");
    Files.writeString(crd, CRD);
    api.apply(crd, "default");
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void aVerbTheRoleLacksIsRefusedWithTheApiServersWords() {
    KubernetesClient asApp = api.client(app);
    Lease lease =
        asApp
            .leases()
            .inNamespace("default")
            .resource(
                new LeaseBuilder()
                    .withNewMetadata()
                    .withName("leader")
                    .endMetadata()
                    .withNewSpec()
                    .withHolderIdentity("a")
                    .endSpec()
                    .build())
            .create();

    assertThatThrownBy(
            () ->
                asApp
                    .leases()
                    .inNamespace("default")
                    .withName("leader")
                    .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        "{\"spec\":{\"holderIdentity\":\"b\"}}"))
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(403);
              assertThat(e.getStatus().getMessage())
                  .isEqualTo(
                      "leases \"leader\" is forbidden: User \"system:serviceaccount:default:app\" cannot "
                          + "patch resource \"leases\" in API group \"coordination.k8s.io\" in the namespace \"default\"");
            });
    assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("a");
    assertThat(api.usage().of("system:serviceaccount:default:app"))
        .contains("create coordination.k8s.io leases")
        .doesNotContain("patch coordination.k8s.io leases");
  }

  @Test
  void aRequestWithoutAKnownTokenIsUnauthorized() {
    var config = api.config(app);
    config.setOauthToken("forged");
    try (KubernetesClient forged = new KubernetesClientBuilder().withConfig(config).build()) {
      assertThatThrownBy(() -> forged.configMaps().inNamespace("default").list())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(401));
    }
  }

  @Test
  void selfSubjectRulesReviewListsWhatTheBindingsGrant() {
    SelfSubjectRulesReview review = new SelfSubjectRulesReview();
    review.setSpec(new SelfSubjectRulesReviewSpecBuilder().withNamespace("default").build());
    SelfSubjectRulesReview answer = api.client(app).resource(review).create();
    assertThat(answer.getStatus().getResourceRules())
        .anySatisfy(
            r -> {
              assertThat(r.getResources()).containsExactly("leases");
              assertThat(r.getVerbs()).containsExactly("create", "get", "update");
            });
  }

  @Test
  void bindingARoleNeedsEveryRightItGrants() {
    var binding =
        new RoleBindingBuilder()
            .withNewMetadata()
            .withName("readers")
            .withNamespace("default")
            .endMetadata()
            .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "pod-reader")
            .addNewSubject()
            .withKind("ServiceAccount")
            .withName("default")
            .withNamespace("default")
            .endSubject()
            .build();

    assertThatThrownBy(
            () ->
                api.client(app)
                    .rbac()
                    .roleBindings()
                    .inNamespace("default")
                    .resource(binding)
                    .create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(403);
              assertThat(e.getStatus().getMessage())
                  .contains("is attempting to grant RBAC permissions not currently held")
                  .contains("get pods")
                  .contains("list pods");
            });
  }

  @Test
  void objectsInAMissingNamespaceAreRefused() {
    ConfigMap cm =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("x")
            .withNamespace("nowhere")
            .endMetadata()
            .build();
    assertThatThrownBy(
            () -> api.client(app).configMaps().inNamespace("nowhere").resource(cm).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(404);
              assertThat(e.getStatus().getMessage()).isEqualTo("namespaces \"nowhere\" not found");
            });
  }

  @Test
  void theSchemaRefusesAnIntegerBeyondItsMaximumAndNamesTheField() {
    GenericKubernetesResource widget = widget("{\"size\": 2147483648, \"mode\": \"slow\"}");

    assertThatThrownBy(() -> api.adminClient().resource(widget).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(422);
              assertThat(e.getStatus().getMessage())
                  .startsWith("widgets.example.com \"w\" is invalid: [")
                  .contains(
                      "spec.size: Invalid value: 2147483648: spec.size in body should be less than or equal to "
                          + "2147483647")
                  .contains(
                      "spec.mode: Unsupported value: \"slow\": supported values: \"fast\", \"safe\"");
              assertThat(e.getStatus().getDetails().getCauses())
                  .extracting(c -> c.getField())
                  .contains("spec.size", "spec.mode");
            });
  }

  @Test
  void aNumericFormatAloneBoundsNothingAsOnKubernetesUpTo135() {
    GenericKubernetesResource stored =
        api.adminClient().resource(widget("{\"size\": 1, \"count\": 2147483648}")).create();
    assertThat(
            ((Map<String, Object>) stored.getAdditionalProperties().get("spec"))
                .get("count")
                .toString())
        .isEqualTo("2147483648");
  }

  @Test
  void theSchemaPrunesUnknownFieldsAndFillsDefaults() {
    GenericKubernetesResource stored =
        api.adminClient()
            .resource(
                widget(
                    "{\"size\": 3, \"typo\": 1, \"labels\": {\"a\": \"b\"}, \"free\": {\"any\": [1]}}"))
            .create();

    Map<String, Object> spec = (Map<String, Object>) stored.getAdditionalProperties().get("spec");
    assertThat(spec)
        .doesNotContainKey("typo")
        .containsEntry("mode", "safe")
        .containsKeys("labels", "free");
    assertThat((Map<String, Object>) spec.get("free")).containsKey("any");
  }

  @Test
  void statusMovesOnlyThroughTheStatusSubresource() {
    GenericKubernetesResource w = widget("{\"size\": 1}");
    w.getAdditionalProperties().put("status", Map.of("phase", "Invented"));
    GenericKubernetesResource created = api.adminClient().resource(w).create();
    assertThat(created.getAdditionalProperties()).doesNotContainKey("status");

    created.getAdditionalProperties().put("status", Map.of("phase", "Ready"));
    GenericKubernetesResource updated = api.adminClient().resource(created).update();
    assertThat(updated.getAdditionalProperties()).doesNotContainKey("status");

    updated.getAdditionalProperties().put("status", Map.of("phase", "Ready"));
    GenericKubernetesResource withStatus = api.adminClient().resource(updated).updateStatus();
    assertThat(withStatus.getAdditionalProperties().get("status"))
        .isEqualTo(Map.of("phase", "Ready"));
  }

  @Test
  void aCreatedCrdIsEstablishedAsTheCrdControllerWouldReportIt() {
    var crd =
        api.adminClient()
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .withName("widgets.example.com")
            .get();
    assertThat(crd.getStatus().getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Established");
              assertThat(c.getStatus()).isEqualTo("True");
            });
    assertThat(crd.getStatus().getAcceptedNames().getPlural()).isEqualTo("widgets");
  }

  @Test
  void theGenerationMovesOnSpecChangesOnly() {
    GenericKubernetesResource w = api.adminClient().resource(widget("{\"size\": 1}")).create();
    assertThat(w.getMetadata().getGeneration()).isEqualTo(1L);
    w.getMetadata().setAnnotations(Map.of("note", "x"));
    w = api.adminClient().resource(w).update();
    assertThat(w.getMetadata().getGeneration()).as("metadata only").isEqualTo(1L);
    w.getAdditionalProperties().put("status", Map.of("phase", "Ready"));
    w = api.adminClient().resource(w).updateStatus();
    assertThat(w.getMetadata().getGeneration()).as("status only").isEqualTo(1L);
    ((Map<String, Object>) w.getAdditionalProperties().get("spec")).put("size", 2);
    w = api.adminClient().resource(w).update();
    assertThat(w.getMetadata().getGeneration()).as("a spec change").isEqualTo(2L);
  }

  @Test
  void aPodsStatusIsTheKubeletsToWrite() {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("p")
            .withNamespace("default")
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("c")
            .withImage("i")
            .endContainer()
            .endSpec()
            .withNewStatus()
            .withPhase("Running")
            .endStatus()
            .build();
    Pod created = api.adminClient().resource(pod).create();
    assertThat(created.getStatus()).isNull();
  }

  @Test
  void aStaleWriteConflicts() {
    ConfigMap cm =
        api.adminClient()
            .configMaps()
            .inNamespace("default")
            .resource(
                new ConfigMapBuilder()
                    .withNewMetadata()
                    .withName("c")
                    .endMetadata()
                    .addToData("a", "1")
                    .build())
            .create();
    api.adminClient()
        .configMaps()
        .inNamespace("default")
        .withName("c")
        .edit(
            c -> {
              c.getData().put("a", "2");
              return c;
            });
    cm.getData().put("a", "3");
    assertThatThrownBy(() -> api.adminClient().resource(cm).update())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
  }

  @Test
  void theGarbageCollectorDeletesDependentsOfADeletedOwner() throws Exception {
    ConfigMap owner =
        api.adminClient()
            .configMaps()
            .inNamespace("default")
            .resource(
                new ConfigMapBuilder().withNewMetadata().withName("owner").endMetadata().build())
            .create();
    for (String name : new String[] {"child", "orphan"}) {
      api.adminClient()
          .configMaps()
          .inNamespace("default")
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withOwnerReferences(
                      new OwnerReferenceBuilder()
                          .withApiVersion("v1")
                          .withKind("ConfigMap")
                          .withName("owner")
                          .withUid(owner.getMetadata().getUid())
                          .build())
                  .endMetadata()
                  .build())
          .create();
    }
    api.adminClient().configMaps().inNamespace("default").withName("owner").delete();
    api.awaitGarbageCollection();
    assertThat(api.adminClient().configMaps().inNamespace("default").withName("child").get())
        .isNull();
  }

  @Test
  void orphanDeletionKeepsTheDependentsWithoutTheirOwnerReference() throws Exception {
    ConfigMap owner =
        api.adminClient()
            .configMaps()
            .inNamespace("default")
            .resource(
                new ConfigMapBuilder().withNewMetadata().withName("owner").endMetadata().build())
            .create();
    api.adminClient()
        .configMaps()
        .inNamespace("default")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("kept")
                .withOwnerReferences(
                    new OwnerReferenceBuilder()
                        .withApiVersion("v1")
                        .withKind("ConfigMap")
                        .withName("owner")
                        .withUid(owner.getMetadata().getUid())
                        .build())
                .endMetadata()
                .build())
        .create();
    api.adminClient()
        .configMaps()
        .inNamespace("default")
        .withName("owner")
        .withPropagationPolicy(DeletionPropagation.ORPHAN)
        .delete();
    api.awaitGarbageCollection();
    ConfigMap kept = api.adminClient().configMaps().inNamespace("default").withName("kept").get();
    assertThat(kept).isNotNull();
    assertThat(kept.getMetadata().getOwnerReferences()).isEmpty();
  }

  @Test
  void finalizersHoldADeletionUntilTheyAreRemoved() throws Exception {
    api.adminClient()
        .configMaps()
        .inNamespace("default")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("held")
                .withFinalizers("example.com/cleanup")
                .endMetadata()
                .build())
        .create();
    api.adminClient().configMaps().inNamespace("default").withName("held").delete();
    ConfigMap held = api.adminClient().configMaps().inNamespace("default").withName("held").get();
    assertThat(held.getMetadata().getDeletionTimestamp()).isNotNull();

    api.adminClient()
        .configMaps()
        .inNamespace("default")
        .withName("held")
        .edit(
            c -> {
              c.getMetadata().setFinalizers(List.of());
              return c;
            });
    assertThat(api.adminClient().configMaps().inNamespace("default").withName("held").get())
        .isNull();
  }

  @Test
  void kubectlWorksAgainstItAsAnAdministratorAndAsAServiceAccount(@TempDir Path dir)
      throws Exception {
    Path admin = api.kubeconfig(dir.resolve("admin"), Identity.ADMIN, "default");
    Path manifest = dir.resolve("widget.yaml");
    Files.writeString(
        manifest,
        """
        apiVersion: example.com/v1
        kind: Widget
        metadata: {name: from-kubectl}
        spec: {size: 2}
        """);
    // No OpenAPI documents are served: kubectl's client-side validation is off, the server's schema
    // still applies.
    assertThat(kubectl(admin, "create", "--validate=false", "-f", manifest.toString()))
        .startsWith("0|");
    assertThat(kubectl(admin, "get", "widgets", "-o", "name"))
        .isEqualTo("0|widget.example.com/from-kubectl");
    assertThat(kubectl(admin, "get", "widget", "from-kubectl", "-o", "jsonpath={.spec.mode}"))
        .isEqualTo("0|safe");

    Path asApp = api.kubeconfig(dir.resolve("app"), app, "default");
    assertThat(kubectl(asApp, "get", "configmaps"))
        .isEqualTo("0|No resources found in default namespace.");
    assertThat(kubectl(asApp, "get", "pods"))
        .startsWith("1|")
        .contains(
            "pods is forbidden: User \"system:serviceaccount:default:app\" cannot list resource \"pods\"");
  }

  /** kubectl's exit code and what it printed, as "CODE|output". */
  private static String kubectl(Path kubeconfig, String... args) throws Exception {
    Path kubectl = Path.of("/usr/bin/kubectl");
    assertThat(kubectl).as("kubectl (on the build machines' image)").isExecutable();
    List<String> command =
        new ArrayList<>(List.of(kubectl.toString(), "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return p.exitValue() + "|" + out;
  }

  private static GenericKubernetesResource widget(String specJson) {
    GenericKubernetesResource w = new GenericKubernetesResource();
    w.setApiVersion("example.com/v1");
    w.setKind("Widget");
    w.setMetadata(new ObjectMetaBuilder().withName("w").withNamespace("default").build());
    w.getAdditionalProperties().put("spec", Serialization.unmarshal(specJson, Map.class));
    return w;
  }
}
