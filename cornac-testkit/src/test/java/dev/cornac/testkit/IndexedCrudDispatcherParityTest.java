package dev.cornac.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * One script of writes and reads run against fabric8's store and against the indexed one: every
 * answer must be the same, resourceVersions, generations, statuses and order included. The script
 * covers what the index must not change: a custom resource with a status subresource (its plural
 * known only from the CRD), discovery answered from the CRD, cluster-scoped objects, label changes,
 * patches, collection deletes and a query that names no plural at all.
 */
class IndexedCrudDispatcherParityTest {

  @Test
  void theIndexedStoreAnswersEveryRequestAsFabric8sStore() {
    List<String> fabric8 = run(KubernetesCrudDispatcher::new);
    List<String> indexed = run(IndexedCrudDispatcher::new);

    assertThat(indexed).isEqualTo(fabric8);
    // The script did what it says, so that the equality above is not between two empty answers.
    assertThat(fabric8)
        .contains(
            "discovery: [widgets]",
            "deleted by label: [p3]",
            "widgets a/w1 rv=7 gen=1 status={phase=Ready}",
            "widgets b/w3 rv=8 gen=2 status=null",
            "namespaces n1 rv=6 gen=1 status=",
            "pods a app=z: [p1]",
            "widget a/w9: null",
            "everything: [widgets.example.com, w2, n2, n1, w1, w3, p1, p2]");
  }

  private static List<String> run(Supplier<KubernetesCrudDispatcher> store) {
    try (CrudMockServer api = new CrudMockServer(store)) {
      return script(api.client);
    }
  }

  private static List<String> script(KubernetesClient client) {
    List<String> seen = new ArrayList<>();
    client.apiextensions().v1().customResourceDefinitions().resource(widgetCrd()).create();
    seen.add(
        "discovery: "
            + client.getApiResources("example.com/v1").getResources().stream()
                .map(APIResource::getName)
                .toList());

    MixedOperation<
            GenericKubernetesResource,
            GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>>
        widgets = client.genericKubernetesResources("example.com/v1", "Widget");
    widgets.inNamespace("a").resource(widget("w1", 1)).create();
    widgets.inNamespace("a").resource(widget("w2", 2)).create();
    widgets.inNamespace("b").resource(widget("w3", 3)).create();
    client
        .resource(new NamespaceBuilder().withNewMetadata().withName("n2").endMetadata().build())
        .create();
    client
        .resource(new NamespaceBuilder().withNewMetadata().withName("n1").endMetadata().build())
        .create();

    // Status only through the subresource; a spec change raises the generation; a status sent
    // with the object is dropped.
    GenericKubernetesResource w1 = widgets.inNamespace("a").withName("w1").get();
    w1.setAdditionalProperty("status", Map.of("phase", "Ready"));
    widgets.inNamespace("a").resource(w1).updateStatus();
    widgets
        .inNamespace("b")
        .withName("w3")
        .edit(
            w -> {
              w.setAdditionalProperty("spec", Map.of("size", 30));
              w.setAdditionalProperty("status", Map.of("phase", "Ignored"));
              return w;
            });

    for (String[] p : new String[][] {{"p1", "x"}, {"p2", "y"}, {"p3", "x"}}) {
      client
          .pods()
          .inNamespace("a")
          .resource(
              new PodBuilder()
                  .withNewMetadata()
                  .withName(p[0])
                  .addToLabels("app", p[1])
                  .endMetadata()
                  .build())
          .create();
    }
    client
        .pods()
        .inNamespace("a")
        .withName("p1")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"labels\":{\"app\":\"z\"}}}");
    client
        .pods()
        .inNamespace("a")
        .withName("p2")
        .patch(
            PatchContext.of(PatchType.JSON),
            "[{\"op\":\"add\",\"path\":\"/metadata/annotations\",\"value\":{\"n\":\"1\"}}]");
    seen.add(
        "deleted by label: "
            + client.pods().inNamespace("a").withLabel("app", "x").delete().stream()
                .map(StatusDetails::getName)
                .toList());

    seen.addAll(describe("widgets", widgets.inAnyNamespace().list()));
    seen.addAll(describe("namespaces", client.namespaces().list()));
    seen.add("pods a: " + names(client.pods().inNamespace("a").list()));
    seen.add("pods a app=z: " + names(client.pods().inNamespace("a").withLabel("app", "z").list()));
    seen.add("widget a/w9: " + widgets.inNamespace("a").withName("w9").get());
    // No plural in the path: fabric8 matches it with every stored object.
    seen.add(
        "everything: "
            + names(
                Serialization.unmarshal(client.raw("/apis"), GenericKubernetesResourceList.class)));
    return seen;
  }

  private static List<String> describe(String what, KubernetesResourceList<?> list) {
    List<String> lines = new ArrayList<>();
    lines.add(what + " list rv=" + list.getMetadata().getResourceVersion());
    for (HasMetadata o : list.getItems()) {
      Object status =
          o instanceof GenericKubernetesResource g ? g.getAdditionalProperties().get("status") : "";
      lines.add(
          String.format(
              "%s %s rv=%s gen=%s status=%s",
              what,
              (o.getMetadata().getNamespace() == null ? "" : o.getMetadata().getNamespace() + "/")
                  + o.getMetadata().getName(),
              o.getMetadata().getResourceVersion(),
              o.getMetadata().getGeneration(),
              status));
    }
    return lines;
  }

  private static List<String> names(KubernetesResourceList<?> list) {
    return list.getItems().stream().map(o -> o.getMetadata().getName()).toList();
  }

  private static GenericKubernetesResource widget(String name, int size) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("example.com/v1")
        .withKind("Widget")
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .addToAdditionalProperties("spec", Map.of("size", size))
        .build();
  }

  private static CustomResourceDefinition widgetCrd() {
    return new CustomResourceDefinitionBuilder()
        .withNewMetadata()
        .withName("widgets.example.com")
        .endMetadata()
        .withNewSpec()
        .withGroup("example.com")
        .withScope("Namespaced")
        .withNewNames()
        .withKind("Widget")
        .withPlural("widgets")
        .withSingular("widget")
        .endNames()
        .addNewVersion()
        .withName("v1")
        .withServed(true)
        .withStorage(true)
        .withNewSubresources()
        .withNewStatus()
        .endStatus()
        .endSubresources()
        .endVersion()
        .endSpec()
        .build();
  }
}
