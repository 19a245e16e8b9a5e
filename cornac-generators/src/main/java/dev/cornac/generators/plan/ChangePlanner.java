package dev.cornac.generators.plan;

import dev.cornac.api.cluster.MaintenanceWindows;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.api.model.PostgresqlSpec;
import dev.cornac.generators.Cluster;
import dev.cornac.generators.DesiredState;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The plan of a change, as data: the desired objects of the new manifest against what exists (the
 * objects read from the cluster, or those of another manifest offline), decided with the operator's
 * own rules ({@link ObjectMatcher}, {@link StatefulSetChange}); then the consequences — which pods
 * are recreated and in which order, the switchover, what waits for a maintenance window and until
 * when, what changes inside PostgreSQL.
 */
public final class ChangePlanner {
  /**
   * What exists now.
   *
   * @param spec the spec the cluster runs with now (the stored resource, or the other manifest);
   *     empty for a new one
   * @param objects the cluster's objects (any kind; pods are read from {@code pods})
   * @param pods its pods, with their role label; empty offline
   * @param observedKinds the kinds that were read (a live read skips some: Endpoints, which Patroni
   *     owns, and PodMonitors); empty: every kind
   */
  public record Current(
      Optional<PostgresqlSpec> spec,
      List<HasMetadata> objects,
      List<Pod> pods,
      Set<String> observedKinds) {
    /** Another manifest's objects, offline: every kind is known. */
    public static Current offline(PostgresqlSpec spec, List<HasMetadata> objects) {
      return new Current(Optional.of(spec), objects, List.of(), Set.of());
    }

    boolean observed(String kind) {
      return observedKinds.isEmpty() || observedKinds.contains(kind);
    }

    /** What exists, as the operator's planner reads it: the kinds not read are unobserved. */
    ObservedCluster observed(ObjectPlanner.Request request) {
      Map<ObjectKey, HasMetadata> byKey = new HashMap<>();
      objects.forEach(o -> byKey.put(ObjectKey.of(o), o));
      Set<Class<? extends HasMetadata>> unobserved = new HashSet<>();
      ObjectPlanner.reads(request).stream()
          .filter(k -> !observed(k.kind()))
          .forEach(k -> unobserved.add(k.type()));
      return new ObservedCluster(
          byKey,
          unobserved,
          pods,
          pods.stream()
              .filter(RollingUpdateMark::isMarked)
              .map(p -> p.getMetadata().getName())
              .collect(Collectors.toSet()),
          objects.stream()
              .filter(PersistentVolumeClaim.class::isInstance)
              .map(PersistentVolumeClaim.class::cast)
              .toList(),
          Map.of());
    }
  }

  private ChangePlanner() {}

  public static ChangePlan plan(
      Cluster cluster, DesiredState desired, Current current, Instant now) {
    String id = cluster.namespace() + "/" + cluster.name();
    ObjectPlanner.Request request = ObjectPlanner.Request.of(cluster, desired);
    ObjectPlan objectPlan = ObjectPlanner.plan(request, current.observed(request));
    StatefulSetChange sts = objectPlan.statefulSet();
    List<ChangePlan.ObjectChange> objects = new ArrayList<>();
    for (ObjectStep step : objectPlan.steps()) {
      objectChange(step, sts).ifPresent(objects::add);
    }
    List<String> restarts = podRestarts(cluster, current, objectPlan);
    boolean primaryRestarts = restarts.stream().anyMatch(p -> p.contains("(the primary"));
    Optional<String> switchover =
        primaryRestarts && Math.max(current.pods().size(), sts.replicasTo()) > 1
            ? Optional.of(
                "one switchover, to a replica already recreated, before the primary is recreated")
            : Optional.empty();
    return new ChangePlan(
        id,
        List.of(),
        objects,
        restarts,
        switchover,
        scaling(cluster, sts),
        waits(cluster, current, now),
        inside(cluster, current));
  }

  /**
   * A step of the operator's plan as the diff shows it: the namespace's shared ServiceAccount and
   * RoleBinding, pod marks (shown as restarts) and notes are left out.
   */
  private static Optional<ChangePlan.ObjectChange> objectChange(
      ObjectStep step, StatefulSetChange sts) {
    HasMetadata subject = step.subject();
    if (subject == null
        || subject instanceof ServiceAccount
        || subject instanceof RoleBinding
        || step instanceof ObjectStep.MarkPod) {
      return Optional.empty();
    }
    ChangePlan.Action action;
    List<String> fields;
    if (step instanceof ObjectStep.Create) {
      action = ChangePlan.Action.CREATE;
      fields = List.of();
    } else if (step instanceof ObjectStep.Delete) {
      action = ChangePlan.Action.DELETE;
      fields = List.of();
    } else if (step instanceof ObjectStep.Recreate recreate) {
      action = ChangePlan.Action.REPLACE;
      fields = fields(recreate.object(), recreate.live(), sts);
    } else {
      action = ChangePlan.Action.UPDATE;
      fields =
          step instanceof ObjectStep.Update update
              ? fields(update.object(), update.live(), sts)
              : step instanceof ObjectStep.PatchMetadata patch
                  ? metadataFields(patch)
                  : step instanceof ObjectStep.Resize
                      ? List.of(".spec.resources.requests.storage")
                      : List.of(".data");
    }
    return Optional.of(
        new ChangePlan.ObjectChange(subject.getKind(), name(subject), action, fields));
  }

  private static List<String> fields(HasMetadata desired, HasMetadata live, StatefulSetChange sts) {
    return desired instanceof StatefulSet ? sts.fields() : ObjectMatcher.differences(desired, live);
  }

  private static List<String> metadataFields(ObjectStep.PatchMetadata patch) {
    List<String> out = new ArrayList<>();
    if (patch.labels() != null) {
      out.add(".metadata.labels");
    }
    if (patch.annotations() != null) {
      out.add(".metadata.annotations");
    }
    if (patch.ownerReferences() != null) {
      out.add(".metadata.ownerReferences");
    }
    return out;
  }

  /**
   * Replicas first by ordinal, the primary last (upstream's order); offline, ordinal 0 stands for
   * the primary.
   */
  private static List<String> podRestarts(Cluster cluster, Current current, ObjectPlan plan) {
    Set<String> marked = new TreeSet<>(Comparator.comparingInt(ChangePlanner::ordinal));
    if (current.pods().isEmpty()) {
      if (plan.statefulSet().rollsPods()) {
        int running = plan.statefulSet().replicasFrom().orElse(0);
        for (int i = 0; i < running; i++) {
          marked.add(cluster.name() + "-" + i);
        }
      }
    } else {
      // The pods the operator's plan marks, and those marked already.
      current.pods().stream()
          .filter(RollingUpdateMark::isMarked)
          .forEach(p -> marked.add(p.getMetadata().getName()));
      plan.steps().stream()
          .filter(ObjectStep.MarkPod.class::isInstance)
          .forEach(m -> marked.add(m.subject().getMetadata().getName()));
    }
    Optional<String> primary =
        current.pods().stream()
            .filter(p -> "master".equals(label(p, cluster.config().podRoleLabel())))
            .map(ChangePlanner::name)
            .findFirst();
    String leader = primary.orElse(cluster.name() + "-0");
    List<String> order = new ArrayList<>(marked.stream().filter(m -> !m.equals(leader)).toList());
    if (marked.contains(leader)) {
      order.add(
          leader + (primary.isPresent() ? " (the primary)" : " (the primary, if it still leads)"));
    }
    return order;
  }

  private static List<String> scaling(Cluster cluster, StatefulSetChange sts) {
    if (!sts.scales()) {
      return List.of();
    }
    int from = sts.replicasFrom().get();
    int to = sts.replicasTo();
    List<String> out = new ArrayList<>();
    if (to > from) {
      for (int i = from; i < to; i++) {
        out.add(
            "pod " + cluster.name() + "-" + i + " added (a new replica, copied from the primary)");
      }
    } else {
      for (int i = to; i < from; i++) {
        out.add(
            "pod "
                + cluster.name()
                + "-"
                + i
                + " removed (its volume stays); a primary among the removed pods "
                + "switches over first");
      }
    }
    return out;
  }

  private static List<String> waits(Cluster cluster, Current current, Instant now) {
    Optional<String> before =
        current.spec().map(s -> s.postgresql == null ? null : s.postgresql.version);
    String after = cluster.postgresVersion();
    if (before.isEmpty() || before.get() == null || before.get().equals(after)) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    List<String> windows = cluster.spec().maintenanceWindows;
    boolean inWindow = MaintenanceWindows.inWindow(windows, cluster.config(), now);
    String change = "PostgreSQL " + before.get() + " → " + after;
    if (!inWindow) {
      out.add(
          change
              + " waits for a maintenance window"
              + MaintenanceWindows.nextOpening(windows, cluster.config(), now)
                  .map(t -> " (next opening " + t + ")")
                  .orElse(""));
    }
    String mode = cluster.config().string("major_version_upgrade_mode");
    out.add(
        change
            + ": the pods roll with the new PGVERSION, then "
            + ("off".equals(mode)
                ? "no in-place upgrade (major_version_upgrade_mode off, unless the team is in the allow list)"
                : "the in-place upgrade runs on the primary (major_version_upgrade_mode "
                    + mode
                    + ")"));
    return out;
  }

  private static List<String> inside(Cluster cluster, Current current) {
    PostgresqlSpec now = cluster.spec();
    PostgresqlSpec before = current.spec().orElse(null);
    List<String> out = new ArrayList<>();
    Map<String, ?> usersBefore = before == null || before.users == null ? Map.of() : before.users;
    Map<String, ?> usersNow = now.users == null ? Map.of() : now.users;
    usersNow.keySet().stream()
        .filter(u -> !usersBefore.containsKey(u))
        .sorted()
        .forEach(u -> out.add("role " + u + " created, with its credentials secret"));
    usersBefore.keySet().stream()
        .filter(u -> !usersNow.containsKey(u))
        .sorted()
        .forEach(
            u ->
                out.add(
                    "role "
                        + u
                        + " kept: Cornac never drops a role (drop it yourself if you mean it)"));
    Map<String, String> dbBefore =
        before == null || before.databases == null ? Map.of() : before.databases;
    Map<String, String> dbNow = now.databases == null ? Map.of() : now.databases;
    dbNow.keySet().stream()
        .filter(d -> !dbBefore.containsKey(d))
        .sorted()
        .forEach(d -> out.add("database " + d + " created, owned by " + dbNow.get(d)));
    dbBefore.keySet().stream()
        .filter(d -> !dbNow.containsKey(d))
        .sorted()
        .forEach(d -> out.add("database " + d + " kept: Cornac never drops a database"));
    if (before != null) {
      Map<String, String> parametersBefore =
          before.postgresql == null || before.postgresql.parameters == null
              ? Map.of()
              : before.postgresql.parameters;
      Map<String, String> parametersNow =
          now.postgresql == null || now.postgresql.parameters == null
              ? Map.of()
              : now.postgresql.parameters;
      Set<String> changed = new TreeSet<>();
      parametersNow.forEach(
          (k, v) -> {
            if (!v.equals(parametersBefore.get(k))) {
              changed.add(k);
            }
          });
      parametersBefore.keySet().stream()
          .filter(k -> !parametersNow.containsKey(k))
          .forEach(changed::add);
      if (!changed.isEmpty()) {
        out.add(
            "PostgreSQL parameters "
                + String.join(", ", changed)
                + " change through Patroni; PostgreSQL restarts "
                + "where Patroni reports a pending restart (replicas first)");
      }
      if (!Objects.equals(ManifestMapper.tree(before.patroni), ManifestMapper.tree(now.patroni))) {
        out.add("Patroni's dynamic configuration is patched (spec.patroni)");
      }
    }
    return out;
  }

  private static String name(HasMetadata o) {
    return o.getMetadata().getName();
  }

  private static String label(HasMetadata o, String key) {
    return o.getMetadata().getLabels() == null ? null : o.getMetadata().getLabels().get(key);
  }

  private static int ordinal(String pod) {
    try {
      return Integer.parseInt(pod.substring(pod.lastIndexOf('-') + 1));
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }
}
