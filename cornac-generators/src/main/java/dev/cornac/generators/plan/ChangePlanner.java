package dev.cornac.generators.plan;

import dev.cornac.api.cluster.MaintenanceWindows;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.api.model.PostgresqlSpec;
import dev.cornac.generators.Cluster;
import dev.cornac.generators.DesiredState;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

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
  }

  private ChangePlanner() {}

  public static ChangePlan plan(
      Cluster cluster, DesiredState desired, Current current, Instant now) {
    String id = cluster.namespace() + "/" + cluster.name();
    List<ChangePlan.ObjectChange> objects = new ArrayList<>();
    Set<String> wanted = new LinkedHashSet<>();
    StatefulSetChange sts =
        StatefulSetChange.of(
            desired.statefulSet(),
            find(current.objects(), desired.statefulSet()).map(StatefulSet.class::cast),
            cluster.config().bool("enable_lazy_spilo_upgrade"));
    for (HasMetadata d : desired.inCreationOrder()) {
      if (d instanceof ServiceAccount
          || d instanceof RoleBinding
          || !current.observed(d.getKind())) {
        continue; // shared by the namespace's clusters, or not read
      }
      wanted.add(key(d));
      Optional<HasMetadata> live = find(current.objects(), d);
      if (d instanceof StatefulSet) {
        if (sts.action() != StatefulSetChange.Action.NONE) {
          objects.add(
              new ChangePlan.ObjectChange(
                  d.getKind(),
                  name(d),
                  ChangePlan.Action.valueOf(sts.action().name()),
                  sts.fields()));
        }
      } else if (live.isEmpty()) {
        objects.add(
            new ChangePlan.ObjectChange(d.getKind(), name(d), ChangePlan.Action.CREATE, List.of()));
      } else if (!(d instanceof Secret) && !ObjectMatcher.covers(d, live.get())) {
        // Secrets keep their stored passwords: only a missing one is news.
        objects.add(
            new ChangePlan.ObjectChange(
                d.getKind(),
                name(d),
                ChangePlan.Action.UPDATE,
                ObjectMatcher.differences(d, live.get())));
      }
    }
    for (HasMetadata o : current.objects()) {
      // Secrets and volumes are never removed by a change of the manifest.
      if (!wanted.contains(key(o))
          && !(o instanceof Secret)
          && !(o instanceof PersistentVolumeClaim)
          && !(o instanceof Pod)
          && !(o instanceof ServiceAccount)
          && !(o instanceof RoleBinding)) {
        objects.add(
            new ChangePlan.ObjectChange(o.getKind(), name(o), ChangePlan.Action.DELETE, List.of()));
      }
    }
    List<String> restarts = podRestarts(cluster, desired, current, sts);
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
   * Replicas first by ordinal, the primary last (upstream's order); offline, ordinal 0 stands for
   * the primary.
   */
  private static List<String> podRestarts(
      Cluster cluster, DesiredState desired, Current current, StatefulSetChange sts) {
    Set<String> marked = new TreeSet<>(Comparator.comparingInt(ChangePlanner::ordinal));
    String image =
        desired.statefulSet().getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    boolean lazy = cluster.config().bool("enable_lazy_spilo_upgrade");
    if (current.pods().isEmpty()) {
      if (sts.rollsPods()) {
        int running = sts.replicasFrom().orElse(0);
        for (int i = 0; i < running; i++) {
          marked.add(cluster.name() + "-" + i);
        }
      }
    } else {
      for (Pod p : current.pods()) {
        boolean outdated =
            !lazy
                && p.getSpec() != null
                && p.getSpec().getContainers() != null
                && p.getSpec().getContainers().stream()
                    .anyMatch(
                        c ->
                            "postgres".equals(c.getName()) && !Objects.equals(image, c.getImage()));
        Map<String, String> annotations = p.getMetadata().getAnnotations();
        boolean alreadyMarked =
            annotations != null
                && "true"
                    .equalsIgnoreCase(
                        annotations.get("zalando-postgres-operator-rolling-update-required"));
        if (sts.rollsPods() || outdated || alreadyMarked) {
          marked.add(p.getMetadata().getName());
        }
      }
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

  private static Optional<HasMetadata> find(List<HasMetadata> objects, HasMetadata wanted) {
    return objects.stream().filter(o -> key(o).equals(key(wanted))).findFirst();
  }

  private static String key(HasMetadata o) {
    return o.getKind() + "/" + name(o);
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
