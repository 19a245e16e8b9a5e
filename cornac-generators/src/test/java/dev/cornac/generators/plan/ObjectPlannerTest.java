package dev.cornac.generators.plan;

import static dev.cornac.generators.Fixtures.cluster;
import static dev.cornac.generators.Fixtures.minimalWith;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cornac.api.model.ManifestMapper;
import dev.cornac.generators.Cluster;
import dev.cornac.generators.DesiredState;
import dev.cornac.generators.DesiredStateGenerator;
import dev.cornac.generators.Fixtures;
import dev.cornac.generators.secrets.Credentials;
import dev.cornac.generators.secrets.PasswordRotation;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The operator's object writes as data: one observation in, the pass's steps out. */
class ObjectPlannerTest {
  static final String NEW_IMAGE = "ghcr.io/zalando/spilo-17:4.0-p3";

  static DesiredState desired(Cluster c) {
    return DesiredStateGenerator.generate(c, Credentials.placeholder());
  }

  /** What a running cluster has: its earlier desired state, as the API server stored it. */
  static Map<ObjectKey, HasMetadata> existing(Cluster c) {
    Map<ObjectKey, HasMetadata> objects = new HashMap<>();
    for (HasMetadata o : desired(c).inCreationOrder()) {
      objects.put(ObjectKey.of(o), ManifestMapper.convert(o, o.getClass()));
    }
    return objects;
  }

  static ObservedCluster observed(Map<ObjectKey, HasMetadata> objects, List<Pod> pods) {
    return new ObservedCluster(objects, Set.of(), pods, marked(pods), List.of(), Map.of());
  }

  static Set<String> marked(List<Pod> pods) {
    return Set.copyOf(
        pods.stream()
            .filter(RollingUpdateMark::isMarked)
            .map(p -> p.getMetadata().getName())
            .toList());
  }

  static ObjectPlan plan(Cluster c, ObservedCluster observed) {
    return ObjectPlanner.plan(ObjectPlanner.Request.of(c, desired(c)), observed);
  }

  static List<String> messages(ObjectPlan plan) {
    return plan.steps().stream().map(ObjectStep::message).toList();
  }

  static Pod pod(String name, String image, boolean marked) {
    PodBuilder b =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace("default")
            .endMetadata()
            .withNewSpec()
            .withContainers(new ContainerBuilder().withName("postgres").withImage(image).build())
            .endSpec();
    if (marked) {
      b.editMetadata().addToAnnotations(RollingUpdateMark.ANNOTATION, "true").endMetadata();
    }
    return b.build();
  }

  static String image(Cluster c) {
    return desired(c)
        .statefulSet()
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .getImage();
  }

  @Test
  void aNewClusterGetsEveryObjectCreatedInUpstreamsOrder() {
    Cluster c = cluster(Fixtures.MINIMAL, Map.of());
    ObjectPlan plan = plan(c, observed(Map.of(), List.of()));
    assertThat(plan.steps()).allMatch(s -> s instanceof ObjectStep.Create);
    assertThat(plan.steps().stream().map(s -> s.subject().getKind()).distinct().toList())
        .containsExactly(
            "ServiceAccount",
            "RoleBinding",
            "Service",
            "Secret",
            "PodDisruptionBudget",
            "StatefulSet");
    assertThat(plan.statefulSet().action()).isEqualTo(StatefulSetChange.Action.CREATE);
  }

  @Test
  void aKindThatWasNotReadGetsNoStep() {
    Cluster c = cluster(Fixtures.MINIMAL, Map.of());
    ObservedCluster observed =
        new ObservedCluster(
            Map.of(), Set.of(Secret.class), List.of(), Set.of(), List.of(), Map.of());
    List<ObjectStep> steps = plan(c, observed).steps();
    assertThat(steps).isNotEmpty().noneMatch(s -> s.subject() instanceof Secret);
  }

  @Test
  void aClusterAsDesiredNeedsNoWrite() {
    Cluster c = cluster(minimalWith("enableConnectionPooler: true"), Map.of());
    assertThat(plan(c, observed(existing(c), List.of(pod("acid-test-0", image(c), false)))).steps())
        .isEmpty();
  }

  @Test
  void aNewImageMarksEachPodOnceThenUpdatesTheStatefulSet() {
    Cluster before = cluster(Fixtures.MINIMAL, Map.of());
    Cluster after = cluster(minimalWith("dockerImage: " + NEW_IMAGE), Map.of());
    List<Pod> pods =
        List.of(pod("acid-test-0", image(before), false), pod("acid-test-1", image(before), true));
    ObjectPlan plan = plan(after, observed(existing(before), pods));
    assertThat(messages(plan))
        .containsExactly(
            "marked pod acid-test-0 for a rolling update: pod template changed",
            "updated statefulset acid-test");
    assertThat(plan.steps().get(0)).isInstanceOf(ObjectStep.MarkPod.class);
    assertThat(plan.statefulSet().rollsPods()).isTrue();
  }

  @Test
  void aPodOnAnotherImageIsMarkedEvenWhenTheStatefulSetIsAsDesired() {
    Cluster c = cluster(Fixtures.MINIMAL, Map.of());
    ObjectPlan plan = plan(c, observed(existing(c), List.of(pod("acid-test-0", NEW_IMAGE, false))));
    assertThat(messages(plan))
        .containsExactly(
            "marked pod acid-test-0 for a rolling update: runs image "
                + NEW_IMAGE
                + " instead of "
                + image(c));
  }

  @Test
  void heldAtItsSizeAScaleDownWritesNothing() {
    Cluster before =
        cluster(Fixtures.MINIMAL.replace("numberOfInstances: 2", "numberOfInstances: 3"), Map.of());
    Cluster after = cluster(Fixtures.MINIMAL, Map.of());
    ObjectPlanner.Request request = ObjectPlanner.Request.of(after, desired(after));
    ObservedCluster observed = observed(existing(before), List.of());
    assertThat(ObjectPlanner.plan(request, observed).statefulSet().scales()).isTrue();
    ObjectPlanner.Request held =
        ObjectPlanner.Request.of(after, desired(after)).holding(Optional.of(3));
    assertThat(ObjectPlanner.plan(held, observed).steps()).isEmpty();
  }

  @Test
  void aDriftedPodDisruptionBudgetIsRecreatedNotUpdated() {
    Cluster c = cluster(Fixtures.MINIMAL, Map.of());
    Map<ObjectKey, HasMetadata> objects = existing(c);
    PodDisruptionBudget pdb = desired(c).primaryPdb();
    PodDisruptionBudget drifted = ManifestMapper.convert(pdb, PodDisruptionBudget.class);
    drifted.getSpec().setMinAvailable(new IntOrString(0));
    objects.put(ObjectKey.of(pdb), drifted);
    assertThat(plan(c, observed(objects, List.of())).steps())
        .singleElement()
        .isInstanceOfSatisfying(
            ObjectStep.Recreate.class, r -> assertThat(r.keepDependents()).isFalse());
  }

  @Test
  void aServiceUpdateKeepsItsAllocatedAddressAndSomebodyElsesLabels() {
    Cluster c = cluster(Fixtures.MINIMAL, Map.of());
    Map<ObjectKey, HasMetadata> objects = existing(c);
    Service master = desired(c).masterService();
    Service live = ManifestMapper.convert(master, Service.class);
    live.getSpec().setType("NodePort");
    live.getSpec().setClusterIP("10.0.0.7");
    live.getMetadata().getLabels().put("team-tag", "kept");
    objects.put(ObjectKey.of(master), live);
    ObjectStep step = plan(c, observed(objects, List.of())).steps().get(0);
    assertThat(step).isInstanceOf(ObjectStep.Update.class);
    Service update = (Service) ((ObjectStep.Update) step).object();
    assertThat(update.getSpec().getType()).isEqualTo(master.getSpec().getType());
    assertThat(update.getSpec().getClusterIP()).isEqualTo("10.0.0.7");
    assertThat(update.getMetadata().getLabels()).containsEntry("team-tag", "kept");
  }

  @Test
  void aStoredPasswordIsNeverRewrittenOnlyTheLabelsAreAligned() {
    Cluster c = cluster(Fixtures.MINIMAL, Map.of());
    Map<ObjectKey, HasMetadata> objects = existing(c);
    Secret secret = desired(c).credentialSecrets().get(0);
    Secret live = ManifestMapper.convert(secret, Secret.class);
    live.getData().put("password", encode("what-the-user-set"));
    objects.put(ObjectKey.of(secret), live);
    assertThat(plan(c, observed(objects, List.of())).steps()).isEmpty();
    live.getMetadata().getLabels().remove("team");
    assertThat(plan(c, observed(objects, List.of())).steps())
        .singleElement()
        .isInstanceOf(ObjectStep.PatchMetadata.class);
  }

  @Test
  void volumesGrowWhereTheirClassAllowsAndNeverShrink() {
    Cluster c = cluster(Fixtures.MINIMAL.replace("size: 1Gi", "size: 5Gi"), Map.of());
    List<PersistentVolumeClaim> claims =
        List.of(
            claim("pgdata-acid-test-0", "1Gi", "rbd"),
            claim("pgdata-acid-test-1", "1Gi", "local"),
            claim("pgdata-acid-test-2", "10Gi", "rbd"));
    Map<String, StorageClass> classes =
        Map.of("rbd", storageClass("rbd", true), "local", storageClass("local", false));
    ObservedCluster observed =
        new ObservedCluster(existing(c), Set.of(), List.of(), Set.of(), claims, classes);
    List<ObjectStep> steps =
        plan(c, observed).steps().stream().filter(s -> !(s instanceof ObjectStep.Create)).toList();
    assertThat(steps).hasSize(3);
    assertThat(steps.get(0))
        .isEqualTo(
            new ObjectStep.Resize(
                claims.get(0),
                "5Gi",
                "Volume",
                "resized volume pgdata-acid-test-0 from 1Gi to 5Gi"));
    assertThat(steps.get(1).message()).contains("its storage class local does not allow expansion");
    assertThat(steps.get(2).message()).contains("volumes do not shrink");
    assertThat(steps.subList(1, 3)).allMatch(s -> s instanceof ObjectStep.Note);
  }

  @Test
  void aDueRotationWritesTheNewPasswordAndAnInPlaceSystemUserRollsThePods() {
    Cluster c = cluster(minimalWith("usersWithInPlaceSecretRotation: [standby]"), Map.of());
    Map<ObjectKey, HasMetadata> objects = existing(c);
    Secret standby =
        desired(c).credentialSecrets().stream()
            .filter(s -> s.getMetadata().getName().startsWith("standby."))
            .findFirst()
            .orElseThrow();
    Secret live = ManifestMapper.convert(standby, Secret.class);
    live.getData().put(PasswordRotation.NEXT_ROTATION, encode("2026-11-01T00:00:00Z"));
    objects.put(ObjectKey.of(standby), live);
    ObjectPlanner.Request request =
        new ObjectPlanner.Request(
            c,
            desired(c),
            List.of(),
            Optional.empty(),
            Optional.of(
                new ObjectPlanner.Rotation(Instant.parse("2026-12-02T10:00:00Z"), () -> "new")));
    List<ObjectStep> steps =
        ObjectPlanner.plan(request, observed(objects, List.of(pod("acid-test-0", image(c), false))))
            .steps();
    List<String> messages = new ArrayList<>(steps.stream().map(ObjectStep::message).toList());
    assertThat(messages)
        .contains(
            "rotated the password of standby (in place)",
            "marked pod acid-test-0 for a rolling update: password of system user standby rotated");
    ObjectStep.SetSecretData write =
        steps.stream()
            .filter(s -> s instanceof ObjectStep.SetSecretData d && d.event() != null)
            .map(ObjectStep.SetSecretData.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(write.put()).containsEntry("password", encode("new"));
  }

  static PersistentVolumeClaim claim(String name, String size, String storageClass) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("default")
        .endMetadata()
        .withNewSpec()
        .withStorageClassName(storageClass)
        .withNewResources()
        .addToRequests("storage", new Quantity(size))
        .endResources()
        .endSpec()
        .build();
  }

  static StorageClass storageClass(String name, boolean expandable) {
    return new StorageClassBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withAllowVolumeExpansion(expandable)
        .build();
  }

  static String encode(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
