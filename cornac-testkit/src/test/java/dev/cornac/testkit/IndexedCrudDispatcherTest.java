package dev.cornac.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The indexed store answers as fabric8's own: every behaviour is checked on both stores with the
 * same expectations. The last test shows what the index is for, on a counter of the stored objects
 * a lookup compared, not on time.
 */
class IndexedCrudDispatcherTest {
  private CrudMockServer api;

  static Stream<Arguments> stores() {
    Supplier<KubernetesCrudDispatcher> fabric8 = KubernetesCrudDispatcher::new;
    Supplier<KubernetesCrudDispatcher> indexed = IndexedCrudDispatcher::new;
    return Stream.of(Arguments.of("fabric8", fabric8), Arguments.of("indexed", indexed));
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void createsGetsAndRefusesASecondCreate(String which, Supplier<KubernetesCrudDispatcher> store) {
    KubernetesClient client = start(store);
    ConfigMap created = client.configMaps().inNamespace("a").resource(configMap("one")).create();

    ConfigMap got = client.configMaps().inNamespace("a").withName("one").get();
    assertThat(got.getData()).containsEntry("k", "v");
    assertThat(got.getMetadata().getUid()).isEqualTo(created.getMetadata().getUid());
    assertThat(got.getMetadata().getResourceVersion())
        .isEqualTo(created.getMetadata().getResourceVersion());
    assertThat(client.configMaps().inNamespace("b").withName("one").get()).isNull();
    assertThat(client.configMaps().inNamespace("a").withName("two").get()).isNull();
    assertThatThrownBy(
            () -> client.configMaps().inNamespace("a").resource(configMap("one")).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void listsByNamespaceAndLabelInTheOrderStored(
      String which, Supplier<KubernetesCrudDispatcher> store) {
    KubernetesClient client = start(store);
    create(client, pod("a", "p1", "x"));
    create(client, pod("b", "p3", "x"));
    create(client, pod("a", "p2", "y"));
    // The last write is of another kind: a list reports the store's resourceVersion, not its
    // items'.
    ConfigMap last = client.configMaps().inNamespace("a").resource(configMap("c1")).create();

    assertThat(names(client.pods().inNamespace("a").list().getItems())).containsExactly("p1", "p2");
    assertThat(names(client.pods().inNamespace("b").list().getItems())).containsExactly("p3");
    assertThat(names(client.pods().inAnyNamespace().list().getItems()))
        .containsExactly("p1", "p3", "p2");
    assertThat(names(client.pods().inNamespace("a").withLabel("app", "x").list().getItems()))
        .containsExactly("p1");
    assertThat(names(client.pods().inNamespace("a").withoutLabel("app", "x").list().getItems()))
        .containsExactly("p2");
    assertThat(names(client.pods().inAnyNamespace().withLabel("app").list().getItems()))
        .containsExactly("p1", "p3", "p2");
    assertThat(client.pods().inAnyNamespace().withoutLabel("app").list().getItems()).isEmpty();
    assertThat(client.pods().inNamespace("a").list().getMetadata().getResourceVersion())
        .isEqualTo(last.getMetadata().getResourceVersion());

    // A new label moves the object between selections (the index files it again) and to the end
    // of the store's order.
    client.pods().inNamespace("a").withName("p1").edit(p -> relabel(p, "y"));
    assertThat(names(client.pods().inNamespace("a").withLabel("app", "y").list().getItems()))
        .containsExactly("p2", "p1");
    assertThat(client.pods().inNamespace("a").withLabel("app", "x").list().getItems()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void anUpdateFromAStaleResourceVersionConflicts(
      String which, Supplier<KubernetesCrudDispatcher> store) {
    KubernetesClient client = start(store);
    ConfigMap first = client.configMaps().inNamespace("a").resource(configMap("one")).create();
    ConfigMap second =
        client
            .configMaps()
            .inNamespace("a")
            .resource(new ConfigMapBuilder(first).addToData("k", "w").build())
            .update();
    assertThat(Long.parseLong(second.getMetadata().getResourceVersion()))
        .isGreaterThan(Long.parseLong(first.getMetadata().getResourceVersion()));

    ConfigMap stale = new ConfigMapBuilder(first).addToData("k", "stale").build();
    assertThatThrownBy(() -> client.configMaps().inNamespace("a").resource(stale).update())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    assertThat(client.configMaps().inNamespace("a").withName("one").get().getData())
        .containsEntry("k", "w");
    assertThatThrownBy(
            () -> client.configMaps().inNamespace("a").resource(configMap("none")).update())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(404));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void deletesAndHoldsWhatAFinalizerHolds(String which, Supplier<KubernetesCrudDispatcher> store) {
    KubernetesClient client = start(store);
    client.configMaps().inNamespace("a").resource(configMap("gone")).create();
    client
        .configMaps()
        .inNamespace("a")
        .resource(
            new ConfigMapBuilder(configMap("held"))
                .editMetadata()
                .addToFinalizers("example.com/hold")
                .endMetadata()
                .build())
        .create();

    assertThat(client.configMaps().inNamespace("a").withName("gone").delete()).hasSize(1);
    assertThat(client.configMaps().inNamespace("a").withName("gone").get()).isNull();
    assertThat(client.configMaps().inNamespace("a").withName("gone").delete()).isEmpty();

    client.configMaps().inNamespace("a").withName("held").delete();
    ConfigMap held = client.configMaps().inNamespace("a").withName("held").get();
    assertThat(held.getMetadata().getDeletionTimestamp()).isNotNull();
    client
        .configMaps()
        .inNamespace("a")
        .withName("held")
        .edit(c -> new ConfigMapBuilder(c).editMetadata().withFinalizers().endMetadata().build());
    assertThat(client.configMaps().inNamespace("a").withName("held").get()).isNull();
    assertThat(client.configMaps().inNamespace("a").list().getItems()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void aWatchSeesOnlyWhatItsNamespaceAndSelectorSelect(
      String which, Supplier<KubernetesCrudDispatcher> store) throws Exception {
    KubernetesClient client = start(store);
    create(client, pod("a", "before", "x"));
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    try (Watch watch =
        client.pods().inNamespace("a").withLabel("app", "x").watch(recordingInto(events))) {
      // fabric8's watch first replays what exists; writes start once the replay arrived.
      assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("ADDED before");

      // Each event the watch must see follows writes it must not see: the events of one watch
      // arrive in order, so one of those would come first.
      create(client, pod("b", "elsewhere", "x"));
      create(client, pod("a", "unselected", "y"));
      create(client, pod("a", "seen", "x"));
      client.pods().inNamespace("b").withName("elsewhere").edit(p -> relabel(p, "z"));
      client.pods().inNamespace("a").withName("seen").edit(p -> relabel(p, "x", "more"));
      client.pods().inNamespace("a").withName("unselected").delete();
      client.pods().inNamespace("a").withName("seen").delete();

      List<String> seen = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        seen.add(events.poll(10, TimeUnit.SECONDS));
      }
      assertThat(seen).containsExactly("ADDED seen", "MODIFIED seen", "DELETED seen");
    }
  }

  @Test
  void aLookupComparesOnlyTheObjectsOfItsKindAndNamespace() {
    IndexedCrudDispatcher store = new IndexedCrudDispatcher();
    KubernetesClient client = start(() -> store);
    for (int ns = 0; ns < 4; ns++) {
      for (int i = 0; i < 25; i++) {
        String namespace = "ns-" + ns;
        Map<String, String> labels = Map.of("tier", i % 2 == 0 ? "even" : "odd");
        client
            .configMaps()
            .inNamespace(namespace)
            .resource(
                new ConfigMapBuilder(configMap("obj-" + i))
                    .editMetadata()
                    .withLabels(labels)
                    .endMetadata()
                    .build())
            .create();
        client
            .secrets()
            .inNamespace(namespace)
            .resource(
                new SecretBuilder().withNewMetadata().withName("obj-" + i).endMetadata().build())
            .create();
        client
            .serviceAccounts()
            .inNamespace(namespace)
            .resource(
                new ServiceAccountBuilder()
                    .withNewMetadata()
                    .withName("obj-" + i)
                    .endMetadata()
                    .build())
            .create();
      }
    }
    // 300 objects stored: 3 kinds in 4 namespaces, 25 of each.

    long before = store.comparisons();
    assertThat(client.configMaps().inNamespace("ns-2").withName("obj-7").get()).isNotNull();
    assertThat(store.comparisons() - before).as("a get by name").isEqualTo(1);

    before = store.comparisons();
    assertThat(client.configMaps().inNamespace("ns-2").list().getItems()).hasSize(25);
    assertThat(store.comparisons() - before).as("a list of one namespace").isEqualTo(25);

    before = store.comparisons();
    assertThat(client.configMaps().inNamespace("ns-2").withLabel("tier", "odd").list().getItems())
        .hasSize(12);
    assertThat(store.comparisons() - before).as("a list by label").isEqualTo(25);

    before = store.comparisons();
    client.configMaps().inNamespace("ns-2").withName("obj-7").edit(c -> relabelled(c, "odd2"));
    // The client's GET, then fabric8's update handler looking up what it replaces.
    assertThat(store.comparisons() - before).as("an update").isEqualTo(2);

    before = store.comparisons();
    client.configMaps().inNamespace("ns-2").resource(configMap("obj-new")).create();
    assertThat(store.comparisons() - before).as("a create of a new name").isZero();
  }

  private KubernetesClient start(Supplier<KubernetesCrudDispatcher> store) {
    api = new CrudMockServer(store);
    return api.client;
  }

  private static <T extends HasMetadata> T create(KubernetesClient client, T object) {
    return client.resource(object).create();
  }

  private static ConfigMap configMap(String name) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .addToData("k", "v")
        .build();
  }

  private static ConfigMap relabelled(ConfigMap c, String tier) {
    return new ConfigMapBuilder(c).editMetadata().addToLabels("tier", tier).endMetadata().build();
  }

  private static Pod pod(String namespace, String name, String app) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .addToLabels("app", app)
        .endMetadata()
        .build();
  }

  private static Pod relabel(Pod p, String app) {
    return new PodBuilder(p).editMetadata().addToLabels("app", app).endMetadata().build();
  }

  private static Pod relabel(Pod p, String app, String note) {
    return new PodBuilder(p)
        .editMetadata()
        .addToLabels("app", app)
        .addToAnnotations("note", note)
        .endMetadata()
        .build();
  }

  private static List<String> names(List<? extends HasMetadata> objects) {
    return objects.stream().map(o -> o.getMetadata().getName()).toList();
  }

  private static Watcher<Pod> recordingInto(BlockingQueue<String> events) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, Pod pod) {
        events.add(action + " " + pod.getMetadata().getName());
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
  }
}
