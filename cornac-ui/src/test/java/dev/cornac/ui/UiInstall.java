package dev.cornac.ui;

import dev.cornac.api.crd.CrdManifests;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.operator.OperatorHarness;
import dev.cornac.operator.kubernetes.KubernetesClients;
import dev.cornac.testkit.Identity;
import dev.cornac.testkit.StrictApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;

/**
 * The UI as {@code manifests/ui/rbac.yaml} installs it on the strict test API server: the tests run
 * the UI process with its shipped ServiceAccount's rights, so a right the UI uses but its role
 * lacks fails here as on a cluster.
 */
final class UiInstall {
  /**
   * The ServiceAccount of manifests/ui, applied into {@code default} (the namespace its binding
   * names).
   */
  static final Identity UI = Identity.serviceAccount(OperatorHarness.NS, "postgres-operator-ui");

  private UiInstall() {}

  /**
   * Applies the shipped RBAC as an administrator would and returns the client the UI process gets
   * from its ServiceAccount's token, built as {@code cornac ui} builds it; the caller closes it.
   */
  static KubernetesClient install(StrictApiServer api) {
    api.apply(OperatorHarness.repoRoot().resolve("manifests/ui/rbac.yaml"), OperatorHarness.NS);
    return KubernetesClients.builder(api.config(UI), 0, 0).build();
  }

  /** The postgresql CRD, for tests without an operator (which would register it itself). */
  static void postgresqlCrd(StrictApiServer api) {
    var crd =
        ManifestMapper.convert(
            CrdManifests.finished(CrdManifests.POSTGRESQL), CustomResourceDefinition.class);
    api.adminClient().apiextensions().v1().customResourceDefinitions().resource(crd).create();
  }

  /**
   * A postgresql created by the administrator (namespace {@code default} unless the YAML names
   * one).
   */
  static GenericKubernetesResource create(StrictApiServer api, String yaml) throws Exception {
    GenericKubernetesResource g =
        ManifestMapper.yaml().readValue(yaml, GenericKubernetesResource.class);
    String ns =
        g.getMetadata().getNamespace() == null
            ? OperatorHarness.NS
            : g.getMetadata().getNamespace();
    return postgresqls(api.adminClient()).inNamespace(ns).resource(g).create();
  }

  static GenericKubernetesResource get(StrictApiServer api, String ns, String name) {
    return postgresqls(api.adminClient()).inNamespace(ns).withName(name).get();
  }

  private static MixedOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      postgresqls(KubernetesClient client) {
    return client.genericKubernetesResources("acid.zalan.do/v1", "postgresql");
  }
}
