package dev.cornac.operator.reconcile;

import dev.cornac.api.model.PostgresTeam;
import dev.cornac.api.model.PostgresTeamSpec;
import dev.cornac.api.model.Postgresql;
import dev.cornac.generators.monitoring.PodMonitor;
import dev.cornac.generators.plan.RollingUpdateMark;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The informer caches the reconciler reads from: every object kind a cluster owns, selected by the
 * cluster-name label, plus the per-namespace pod ServiceAccount and RoleBinding. Changes to owned
 * objects re-trigger the owning cluster; Patroni's frequent writes (pod annotations, leader
 * endpoints) are filtered out.
 */
public final class ClusterInformers {
  private final Map<Class<?>, InformerEventSource<?, Postgresql>> sources = new LinkedHashMap<>();
  private final RecentPodWrites recentPodWrites = new RecentPodWrites();
  private final String clusterNameLabel;
  private final String podRoleLabel;
  private final IndexerResourceCache<Postgresql> clusters;

  public ClusterInformers(
      EventSourceContext<Postgresql> context, String clusterNameLabel, String podRoleLabel) {
    this(context, clusterNameLabel, podRoleLabel, false);
  }

  /**
   * @param postgresTeams watch PostgresTeam resources too ({@code enable_postgres_team_crd})
   */
  public ClusterInformers(
      EventSourceContext<Postgresql> context,
      String clusterNameLabel,
      String podRoleLabel,
      boolean postgresTeams) {
    this(context, clusterNameLabel, podRoleLabel, postgresTeams, PodEnvironmentNames.NONE);
  }

  /**
   * The objects named by {@code pod_environment_configmap} and {@code pod_environment_secret}:
   * watched by name only (a field selector), so that no other ConfigMap or Secret is cached; a
   * change re-syncs the namespace's clusters.
   */
  public record PodEnvironmentNames(
      String configMapNamespace, String configMapName, String secretName, String backupSecretName) {
    public static final PodEnvironmentNames NONE = new PodEnvironmentNames("", "", "", "");
  }

  public ClusterInformers(
      EventSourceContext<Postgresql> context,
      String clusterNameLabel,
      String podRoleLabel,
      boolean postgresTeams,
      PodEnvironmentNames podEnvironment) {
    this.clusterNameLabel = clusterNameLabel;
    this.podRoleLabel = podRoleLabel;
    this.clusters = context.getPrimaryCache();
    owned(context, StatefulSet.class, null);
    owned(context, Service.class, null);
    owned(context, Secret.class, null);
    owned(context, PodDisruptionBudget.class, null);
    owned(context, Deployment.class, null);
    owned(context, CronJob.class, null);
    owned(context, PersistentVolumeClaim.class, (o, n) -> false);
    owned(context, Pod.class, this::podChangeMatters);
    perNamespace(context, ServiceAccount.class);
    perNamespace(context, RoleBinding.class);
    if (postgresTeams) {
      // Team changes reach the clusters at their next sync, as upstream's in-memory team map does.
      perNamespace(context, PostgresTeam.class);
    }
    nodes(context);
    storageClasses(context);
    if (!podEnvironment.configMapName().isEmpty()) {
      named(
          context,
          ConfigMap.class,
          podEnvironment.configMapName(),
          podEnvironment.configMapNamespace(),
          ConfigMap.class);
    }
    if (!podEnvironment.secretName().isEmpty()) {
      named(context, Secret.class, podEnvironment.secretName(), "", PodEnvironmentSecret.class);
    }
    if (!podEnvironment.backupSecretName().isEmpty()) {
      named(
          context,
          Secret.class,
          podEnvironment.backupSecretName(),
          "",
          BackupEnvironmentSecret.class);
    }
  }

  private <R extends HasMetadata> void named(
      EventSourceContext<Postgresql> context,
      Class<R> type,
      String name,
      String extraNamespace,
      Class<?> slot) {
    var builder =
        InformerEventSourceConfiguration.from(type, Postgresql.class)
            .withName("named-" + slot.getSimpleName())
            .withFieldSelector(new FieldSelector(new FieldSelector.Field("metadata.name", name)))
            .withItemStore(new LeanItemStore<>())
            .withSecondaryToPrimaryMapper(
                o ->
                    clusters
                        .list(o.getMetadata().getNamespace())
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()));
    Set<String> watched = context.getControllerConfiguration().getInformerConfig().getNamespaces();
    boolean all = watched.contains(Constants.WATCH_ALL_NAMESPACES);
    if (all || extraNamespace.isEmpty() || watched.contains(extraNamespace)) {
      builder.withNamespacesInheritedFromController();
    } else {
      Set<String> namespaces = new HashSet<>(watched);
      namespaces.add(extraNamespace);
      builder.withNamespaces(namespaces);
    }
    sources.put(slot, new InformerEventSource<>(builder.build(), context));
  }

  /**
   * Nodes, for moving primaries off cordoned ones: a change of schedulability or labels re-triggers
   * the clusters whose primary runs there.
   */
  private void nodes(EventSourceContext<Postgresql> context) {
    var config =
        InformerEventSourceConfiguration.from(Node.class, Postgresql.class)
            .withName("Node")
            .withWatchAllNamespaces()
            .withOnUpdateFilter(
                (before, after) ->
                    !Objects.equals(
                            before.getSpec() == null ? null : before.getSpec().getUnschedulable(),
                            after.getSpec() == null ? null : after.getSpec().getUnschedulable())
                        || !Objects.equals(
                            before.getMetadata().getLabels(), after.getMetadata().getLabels()))
            .withSecondaryToPrimaryMapper(node -> primariesOn(node.getMetadata().getName()))
            .build();
    sources.put(Node.class, new InformerEventSource<>(config, context));
  }

  /** Storage classes, to know whether a volume may grow (allowVolumeExpansion). */
  private void storageClasses(EventSourceContext<Postgresql> context) {
    var config =
        InformerEventSourceConfiguration.from(StorageClass.class, Postgresql.class)
            .withName("StorageClass")
            .withWatchAllNamespaces()
            .withSecondaryToPrimaryMapper(o -> Set.of())
            .build();
    sources.put(StorageClass.class, new InformerEventSource<>(config, context));
  }

  /**
   * The clusters' Endpoints, in endpoints-DCS mode only: in ConfigMap mode nothing of Cornac's is
   * an Endpoints object, and the OpenShift RBAC grants no access to them.
   */
  public void watchEndpoints(EventSourceContext<Postgresql> context) {
    owned(context, Endpoints.class, (o, n) -> false);
  }

  /**
   * The clusters' PodMonitors too ({@code enable_postgres_exporter_pod_monitor}, when the CRD is
   * installed).
   */
  public void watchPodMonitors(EventSourceContext<Postgresql> context) {
    owned(context, PodMonitor.class, null);
  }

  /** Whether objects of a kind are watched (PodMonitors, PostgresTeams are optional). */
  public boolean watches(Class<?> type) {
    return sources.containsKey(type);
  }

  /** A storage class by name, or the cluster's default class for a PVC without one. */
  public Optional<StorageClass> storageClass(String name) {
    var source = source(StorageClass.class);
    if (source == null) {
      return Optional.empty();
    }
    if (name != null && !name.isEmpty()) {
      return source.get(new ResourceID(name));
    }
    return source
        .list(
            sc ->
                sc.getMetadata().getAnnotations() != null
                    && "true"
                        .equals(
                            sc.getMetadata()
                                .getAnnotations()
                                .get("storageclass.kubernetes.io/is-default-class")))
        .findFirst();
  }

  private Set<ResourceID> primariesOn(String node) {
    var pods = source(Pod.class);
    if (pods == null) {
      return Set.of();
    }
    return pods.list(
            p ->
                p.getSpec() != null
                    && node.equals(p.getSpec().getNodeName())
                    && "master".equals(label(p, podRoleLabel))
                    && label(p, clusterNameLabel) != null)
        .map(p -> new ResourceID(label(p, clusterNameLabel), p.getMetadata().getNamespace()))
        .collect(Collectors.toSet());
  }

  /** A node from the cache (nodes are cluster-scoped). */
  public Optional<Node> node(String name) {
    var source = source(Node.class);
    return source == null ? Optional.empty() : source.get(new ResourceID(name));
  }

  /**
   * Slot of the pod-environment Secret's informer (Secrets are also watched by label for the
   * clusters' own).
   */
  private static final class PodEnvironmentSecret {}

  /** Slot of the logical-backup environment Secret's informer. */
  private static final class BackupEnvironmentSecret {}

  /**
   * The pod-environment ConfigMap or Secret named so in a namespace, from its name-selected
   * informer.
   */
  public <R extends HasMetadata> Optional<R> podEnvironmentObject(
      Class<R> type, String namespace, String name) {
    return namedObject(type == Secret.class ? PodEnvironmentSecret.class : type, namespace, name);
  }

  /**
   * The logical-backup environment Secret ({@code logical_backup_cronjob_environment_secret}) of a
   * namespace.
   */
  public Optional<Secret> backupEnvironmentSecret(String namespace, String name) {
    return namedObject(BackupEnvironmentSecret.class, namespace, name);
  }

  @SuppressWarnings("unchecked")
  private <R extends HasMetadata> Optional<R> namedObject(
      Class<?> slot, String namespace, String name) {
    InformerEventSource<R, Postgresql> source =
        (InformerEventSource<R, Postgresql>) sources.get(slot);
    return source == null ? Optional.empty() : source.get(new ResourceID(name, namespace));
  }

  /** Every PostgresTeam in the cache (all of them count, whatever their namespace, as upstream). */
  public List<PostgresTeamSpec> postgresTeams() {
    var source = sources.get(PostgresTeam.class);
    if (source == null) {
      return List.of();
    }
    return ((InformerEventSource<PostgresTeam, Postgresql>) source)
        .list()
        .map(PostgresTeam::getSpec)
        .filter(Objects::nonNull)
        .toList();
  }

  private <R extends HasMetadata> void owned(
      EventSourceContext<Postgresql> context, Class<R> type, OnUpdateFilter<R> updateFilter) {
    var builder =
        InformerEventSourceConfiguration.from(type, Postgresql.class)
            .withName(type.getSimpleName())
            .withLabelSelector(clusterNameLabel)
            .withItemStore(new LeanItemStore<>())
            .withSecondaryToPrimaryMapper(
                o -> {
                  String cluster =
                      o.getMetadata().getLabels() == null
                          ? null
                          : o.getMetadata().getLabels().get(clusterNameLabel);
                  return cluster == null
                      ? Set.of()
                      : Set.of(new ResourceID(cluster, o.getMetadata().getNamespace()));
                });
    if (updateFilter != null) {
      builder.withOnUpdateFilter(updateFilter);
    }
    sources.put(type, new InformerEventSource<>(builder.build(), context));
  }

  private <R extends HasMetadata> void perNamespace(
      EventSourceContext<Postgresql> context, Class<R> type) {
    var config =
        InformerEventSourceConfiguration.from(type, Postgresql.class)
            .withName(type.getSimpleName())
            .withSecondaryToPrimaryMapper(o -> Set.of())
            .build();
    sources.put(type, new InformerEventSource<>(config, context));
  }

  /**
   * Patroni rewrites pod annotations on every change of its state; only role, phase, address,
   * deletion and the rolling-update mark (which a user may also set by hand to have a pod
   * recreated) matter here.
   */
  private boolean podChangeMatters(Pod before, Pod after) {
    return !Objects.equals(label(before, podRoleLabel), label(after, podRoleLabel))
        || !Objects.equals(phase(before), phase(after))
        || !Objects.equals(podIp(before), podIp(after))
        || RollingUpdateMark.isMarked(before) != RollingUpdateMark.isMarked(after)
        || !Objects.equals(
            before.getMetadata().getDeletionTimestamp(),
            after.getMetadata().getDeletionTimestamp());
  }

  private static String label(HasMetadata o, String key) {
    return o.getMetadata().getLabels() == null ? null : o.getMetadata().getLabels().get(key);
  }

  private static String podIp(Pod p) {
    return p.getStatus() == null ? null : p.getStatus().getPodIP();
  }

  private static String phase(Pod p) {
    return p.getStatus() == null ? null : p.getStatus().getPhase();
  }

  public List<EventSource<?, Postgresql>> all() {
    return new ArrayList<>(sources.values());
  }

  @SuppressWarnings("unchecked")
  public <R extends HasMetadata> InformerEventSource<R, Postgresql> source(Class<R> type) {
    return (InformerEventSource<R, Postgresql>) sources.get(type);
  }

  /**
   * An object from the cache; empty for a kind that is not watched (Endpoints in ConfigMap mode,
   * PodMonitors).
   */
  public <R extends HasMetadata> Optional<R> get(Class<R> type, String namespace, String name) {
    InformerEventSource<R, Postgresql> source = source(type);
    return source == null ? Optional.empty() : source.get(new ResourceID(name, namespace));
  }

  /** Objects of a kind labelled for one cluster. */
  public <R extends HasMetadata> List<R> ofCluster(
      Class<R> type, String namespace, String cluster) {
    InformerEventSource<R, Postgresql> source = source(type);
    if (source == null) {
      return List.of();
    }
    return source
        .list(
            namespace,
            o ->
                o.getMetadata().getLabels() != null
                    && cluster.equals(o.getMetadata().getLabels().get(clusterNameLabel)))
        .toList();
  }

  /** Every postgresql resource the operator watches, from JOSDK's primary cache. */
  public List<Postgresql> clusters() {
    return clusters.list().toList();
  }

  public Optional<Postgresql> cluster(String namespace, String name) {
    return clusters.get(new ResourceID(name, namespace));
  }

  /** Our own pod writes the cache may not show yet. */
  public RecentPodWrites recentPodWrites() {
    return recentPodWrites;
  }

  public String clusterNameLabel() {
    return clusterNameLabel;
  }
}
