package dev.cornac.install;

import static dev.cornac.install.Installs.kustomize;
import static dev.cornac.install.Installs.kustomizeOverlay;
import static dev.cornac.install.Installs.manifests;
import static dev.cornac.install.Installs.without;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cornac.api.config.OperatorConfigReader;
import dev.cornac.api.crd.CrdManifests;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.install.Installs.Rendered;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `kubectl apply -k manifests/` (and manifests/ui), Argo CD's `--path manifests`, and the seed's
 * `kubectl create -f`.
 */
class KustomizeInstallTest {
  private static final String SYNC_WAVE = "argocd.argoproj.io/sync-wave";

  /** Kinds that live outside namespaces: kustomize and Argo CD leave them without one. */
  private static final Set<String> CLUSTER_SCOPED =
      Set.of("CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding");

  @Test
  void anOverlayWithANamespacePutsEveryServiceAccountBindingSubjectAndServiceInIt(
      @TempDir Path overlay) throws Exception {
    Rendered install = kustomizeOverlay(overlay, "team-x", manifests(), manifests().resolve("ui"));

    for (JsonNode o : install.objects()) {
      String id = o.path("kind").asText() + "/" + o.path("metadata").path("name").asText();
      if (CLUSTER_SCOPED.contains(o.path("kind").asText())) {
        assertThat(o.path("metadata").has("namespace")).as(id + " is cluster-scoped").isFalse();
      } else {
        assertThat(o.path("metadata").path("namespace").asText()).as(id).isEqualTo("team-x");
      }
    }
    assertThat(install.ofKind("ServiceAccount"))
        .extracting(o -> o.path("metadata").path("name").asText())
        .containsExactlyInAnyOrder("postgres-operator", "postgres-operator-ui");
    assertThat(install.ofKind("Service"))
        .extracting(o -> o.path("metadata").path("name").asText())
        .containsExactlyInAnyOrder("postgres-operator", "postgres-operator-ui");
    // The bindings give the rights to the ServiceAccounts that the Deployments run as, in team-x,
    // not to
    // same-named accounts left in default.
    for (JsonNode binding : install.ofKind("ClusterRoleBinding")) {
      assertThat(binding.path("subjects"))
          .as(binding.path("metadata").path("name").asText())
          .isNotEmpty()
          .allSatisfy(s -> assertThat(s.path("namespace").asText()).isEqualTo("team-x"));
    }
    for (JsonNode deployment : install.ofKind("Deployment")) {
      String account = deployment.at("/spec/template/spec/serviceAccountName").asText();
      assertThat(install.find("ServiceAccount", account)).as(account).isPresent();
      assertThat(install.ofKind("ClusterRoleBinding"))
          .as("a binding for " + account)
          .anySatisfy(
              b -> assertThat(b.path("subjects").get(0).path("name").asText()).isEqualTo(account));
    }
  }

  @Test
  void noNamespacedObjectPinsItsNamespaceSoKubectlDashNAndArgoCdsDestinationKeepThemTogether() {
    // Argo CD's destination namespace and `kubectl apply -k -n X` only fill in a missing namespace:
    // an object with
    // its own would be left behind in it, away from the Deployment that needs it.
    for (Path dir : List.of(manifests(), manifests().resolve("ui"))) {
      for (JsonNode o : kustomize(dir).objects()) {
        assertThat(o.path("metadata").has("namespace"))
            .as(
                dir
                    + ": "
                    + o.path("kind").asText()
                    + "/"
                    + o.path("metadata").path("name").asText())
            .isFalse();
      }
    }
  }

  @Test
  void theSeedsKubectlCreateSequenceBindsTheOperatorAccountInDefault() throws Exception {
    // kubectl create -f manifests/configmap.yaml -f ...rbac.yaml -f ...postgres-operator.yaml -f
    // ...api-service.yaml
    // in the default namespace: the ServiceAccount lands where the Deployment does, the binding
    // names it there.
    for (String rbac :
        List.of(
            "operator-service-account-rbac.yaml", "operator-service-account-rbac-openshift.yaml")) {
      Rendered objects = Rendered.of(Files.readString(manifests().resolve(rbac)));
      JsonNode account = objects.get("ServiceAccount", "postgres-operator");
      assertThat(account.path("metadata").path("namespace").asText("default"))
          .as(rbac)
          .isEqualTo("default");
      assertThat(objects.get("ClusterRoleBinding", "postgres-operator").path("subjects"))
          .as(rbac)
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.path("name").asText()).isEqualTo("postgres-operator");
                assertThat(s.path("namespace").asText()).isEqualTo("default");
              });
    }
    Rendered deployment =
        Rendered.of(Files.readString(manifests().resolve("postgres-operator.yaml")));
    assertThat(
            deployment
                .get("Deployment", "postgres-operator")
                .at("/spec/template/spec/serviceAccountName")
                .asText())
        .isEqualTo("postgres-operator");
  }

  @Test
  void theKustomizationShipsTheCrdFilesInAnEarlierSyncWave() {
    Rendered install = kustomize(manifests());
    // The files are `bin/cornac crds`'s output (CrdManifestsTest in cornac-api); the kustomization
    // adds only the
    // annotation.
    for (String file :
        List.of("postgresql.crd.yaml", "operatorconfiguration.crd.yaml", "postgresteam.crd.yaml")) {
      JsonNode crd = Installs.readYaml(manifests().resolve(file));
      JsonNode shipped = install.get("CustomResourceDefinition", crd.at("/metadata/name").asText());
      assertThat(shipped.path("metadata").path("annotations").path(SYNC_WAVE).asText())
          .as(file)
          .isEqualTo("-1");
      // Typed, as the API server stores them: kustomize may write a schema's 1.0 as 1.
      assertThat(crd(without(shipped, "metadata.annotations"))).as(file).isEqualTo(crd(crd));
    }
    // Argo CD applies wave -1 first and waits for the CRDs before wave 0, where the operator and,
    // unless told
    // otherwise, a user's postgresql objects sit.
    for (JsonNode o : install.objects()) {
      if (!o.path("kind").asText().equals("CustomResourceDefinition")) {
        assertThat(o.path("metadata").path("annotations").path(SYNC_WAVE).asInt(0))
            .as(o.path("kind").asText())
            .isGreaterThan(-1);
      }
    }
  }

  @Test
  void theOperatorsStartUpRegistrationFindsTheShippedPostgresqlCrdUpToDate() {
    // The operator writes the postgresql CRD only when the live spec lacks part of what it would
    // register: the
    // shipped CRD must be exactly that, with the categories of the shipped configuration, or the
    // operator and
    // Argo CD would overwrite each other at every start.
    var config = OperatorConfigReader.fromFile(manifests().resolve("configmap.yaml"));
    CustomResourceDefinition registered = crd(CrdManifests.finished(CrdManifests.POSTGRESQL));
    registered.getSpec().getNames().setCategories(config.list("crd_categories"));
    CustomResourceDefinition shipped =
        crd(kustomize(manifests()).get("CustomResourceDefinition", CrdManifests.POSTGRESQL));
    assertThat(shipped.getSpec()).isEqualTo(registered.getSpec());
  }

  private static CustomResourceDefinition crd(JsonNode tree) {
    return ManifestMapper.convert(tree, CustomResourceDefinition.class);
  }
}
