package dev.cornac.generators.plan;

import dev.cornac.generators.Cluster;
import dev.cornac.generators.DesiredState;
import dev.cornac.generators.monitoring.PodMonitor;
import dev.cornac.generators.monitoring.PodMonitorGenerator;
import dev.cornac.generators.naming.ClusterNames;
import dev.cornac.generators.naming.Role;
import dev.cornac.generators.rbac.PodServiceAccountGenerator;
import dev.cornac.generators.secrets.DesiredRole;
import dev.cornac.generators.secrets.DesiredRoles;
import dev.cornac.generators.secrets.PasswordRotation;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The object writes of a pass, as data: a pure function from the desired state and one observation
 * to a list of {@link ObjectStep}s in upstream's creation order (upstream: pkg/cluster/sync.go,
 * Sync) — the rules of each kind in one place, for the operator, which carries them out, and for
 * {@code cornac diff}, which shows them. The desired objects handed in belong to the plan: an
 * update carries the live object's allocated fields and foreign labels in them.
 */
public final class ObjectPlanner {
  private static final BigDecimal GIB = BigDecimal.valueOf(1L << 30);

  /**
   * What to plan for.
   *
   * @param infrastructureSecrets the credential Secret of each infrastructure role, with the
   *     infrastructure secret's password
   * @param holdReplicasAt the StatefulSet keeps this size this pass (a scale-down waits for the
   *     primary to hand over)
   * @param rotation due password rotations are planned (the operator); empty: not (a diff)
   */
  public record Request(
      Cluster cluster,
      DesiredState desired,
      List<InfrastructureSecret> infrastructureSecrets,
      Optional<Integer> holdReplicasAt,
      Optional<Rotation> rotation) {
    /** The same request, the StatefulSet held at a size this pass when one is given. */
    public Request holding(Optional<Integer> replicas) {
      return new Request(cluster, desired, infrastructureSecrets, replicas, rotation);
    }

    /** A plan of the manifest's own objects, without rotation or holds (a diff). */
    public static Request of(Cluster cluster, DesiredState desired) {
      return new Request(cluster, desired, List.of(), Optional.empty(), Optional.empty());
    }
  }

  public record InfrastructureSecret(String role, Secret secret) {}

  /** The time rotations are due against, and where new passwords come from. */
  public record Rotation(Instant now, Supplier<String> newPassword) {}

  private ObjectPlanner() {}

  /**
   * Every object a plan for this request looks at: what an observation must read (a missing one is
   * read as absent).
   */
  public static List<ObjectKey> reads(Request request) {
    Cluster c = request.cluster();
    String ns = c.namespace();
    List<ObjectKey> keys = new ArrayList<>();
    request.desired().inCreationOrder().forEach(o -> keys.add(ObjectKey.of(o)));
    request.infrastructureSecrets().forEach(s -> keys.add(ObjectKey.of(s.secret())));
    for (DesiredRole role : DesiredRoles.of(c)) {
      if (role.canLogin()) {
        keys.add(
            new ObjectKey(
                Secret.class,
                role.secretNamespace(),
                ClusterNames.credentialSecret(c, role.name())));
      }
    }
    for (Role role : Role.values()) {
      keys.add(new ObjectKey(Deployment.class, ns, ClusterNames.pooler(c, role)));
      keys.add(new ObjectKey(Service.class, ns, ClusterNames.pooler(c, role)));
      keys.add(new ObjectKey(Secret.class, ns, ClusterNames.poolerAuthSecret(c, role)));
    }
    keys.add(new ObjectKey(CronJob.class, ns, ClusterNames.logicalBackupJob(c)));
    keys.add(new ObjectKey(PodMonitor.class, ns, PodMonitorGenerator.name(c)));
    return keys.stream().distinct().toList();
  }

  public static ObjectPlan plan(Request request, ObservedCluster observed) {
    return new Pass(request, observed).plan();
  }

  /** One plan in the making: the steps so far and the pods marked so far. */
  private static final class Pass {
    private final Request request;
    private final Cluster cluster;
    private final DesiredState desired;
    private final ObservedCluster observed;
    private final List<ObjectStep> steps = new ArrayList<>();
    private final Set<String> marked;

    Pass(Request request, ObservedCluster observed) {
      this.request = request;
      this.cluster = request.cluster();
      this.desired = request.desired();
      this.observed = observed;
      this.marked = new HashSet<>(observed.markedPods());
    }

    ObjectPlan plan() {
      serviceAccount();
      desired.masterEndpoints().ifPresent(this::endpoints);
      service(desired.masterService());
      service(desired.replicaService());
      desired.credentialSecrets().forEach(this::secretMetadata);
      request.infrastructureSecrets().forEach(this::infrastructureSecret);
      if (!cluster.isStandby()) {
        request.rotation().ifPresent(this::rotations);
      }
      podDisruptionBudget(desired.primaryPdb());
      podDisruptionBudget(desired.criticalOpPdb());
      StatefulSetChange sts = statefulSet();
      volumes();
      logicalBackup();
      for (Role role : Role.values()) {
        pooler(role);
      }
      podMonitor();
      // Of a kind that was not read nothing is known: no step is planned on it.
      steps.removeIf(s -> s.subject() != null && !observed.observes(s.subject().getClass()));
      return new ObjectPlan(steps, sts);
    }

    /**
     * The pod ServiceAccount and RoleBinding: created when missing, never updated, except the IRSA
     * annotation (upstream: pkg/controller/postgresql.go, submitRBACCredentials).
     */
    private void serviceAccount() {
      ServiceAccount sa = desired.podServiceAccount();
      Optional<ServiceAccount> live = observed.live(sa);
      if (live.isEmpty()) {
        steps.add(
            new ObjectStep.Create(
                sa,
                true,
                "ServiceAccount",
                "created pod service account " + sa.getMetadata().getName()));
      } else {
        String irsa = annotation(sa, PodServiceAccountGenerator.IRSA_ANNOTATION);
        String liveIrsa = annotation(live.get(), PodServiceAccountGenerator.IRSA_ANNOTATION);
        if (irsa != null && !irsa.equals(liveIrsa)) {
          steps.add(
              new ObjectStep.PatchMetadata(
                  live.get(),
                  null,
                  Map.of(PodServiceAccountGenerator.IRSA_ANNOTATION, irsa),
                  null,
                  "ServiceAccount",
                  "set the IRSA role of service account " + sa.getMetadata().getName()));
        }
      }
      RoleBinding rb = desired.podRoleBinding();
      if (observed.live(rb).isEmpty()) {
        steps.add(
            new ObjectStep.Create(
                rb, true, "RoleBinding", "created pod role binding " + rb.getMetadata().getName()));
      }
    }

    /** Master Endpoints (endpoints mode only): Patroni owns its addresses, we own the labels. */
    private void endpoints(Endpoints endpoints) {
      Optional<Endpoints> live = observed.live(endpoints);
      String name = endpoints.getMetadata().getName();
      if (live.isEmpty()) {
        steps.add(
            new ObjectStep.Create(
                endpoints, false, "Endpoints", "created master endpoints " + name));
      } else if (!ObjectMatcher.covers(endpoints.getMetadata(), live.get().getMetadata())) {
        steps.add(
            new ObjectStep.PatchMetadata(
                live.get(),
                endpoints.getMetadata().getLabels(),
                endpoints.getMetadata().getAnnotations(),
                endpoints.getMetadata().getOwnerReferences(),
                "Endpoints",
                "updated labels of endpoints " + name));
      }
    }

    /**
     * A Service (upstream: pkg/cluster/sync.go, syncService): created when missing, updated when a
     * field we set drifted. The live clusterIP and node ports are kept; leaving LoadBalancer clears
     * the source ranges because the whole spec is replaced.
     */
    private void service(Service service) {
      Optional<Service> live = observed.live(service);
      String name = service.getMetadata().getName();
      if (live.isEmpty()) {
        steps.add(
            new ObjectStep.Create(
                service,
                false,
                "Services",
                "created service " + name + " (" + service.getSpec().getType() + ")"));
        return;
      }
      Service current = live.get();
      if (ObjectMatcher.covers(service, current)) {
        return;
      }
      keepAllocatedFields(service.getSpec(), current.getSpec());
      service.getMetadata().setLabels(merge(current.getMetadata().getLabels(), labels(service)));
      service
          .getMetadata()
          .setAnnotations(
              merge(
                  current.getMetadata().getAnnotations(), service.getMetadata().getAnnotations()));
      steps.add(new ObjectStep.Update(service, current, "Services", "updated service " + name));
    }

    /**
     * A credential Secret (upstream: pkg/cluster/sync.go, syncSecrets and updateSecret): created
     * with a new password when missing; an existing secret's username and password are never
     * rewritten, only its labels, annotations and owner references are aligned.
     */
    private void secretMetadata(Secret secret) {
      Optional<Secret> live = observed.live(secret);
      String name = secret.getMetadata().getName();
      if (live.isEmpty()) {
        steps.add(new ObjectStep.Create(secret, false, "Secrets", "created secret " + name));
        return;
      }
      Secret current = live.get();
      boolean ownersMatch =
          secret.getMetadata().getOwnerReferences() == null
              || ObjectMatcher.covers(
                  secret.getMetadata().getOwnerReferences(),
                  current.getMetadata().getOwnerReferences());
      if (!ownersMatch
          || !ObjectMatcher.covers(labelsAndAnnotations(secret), labelsAndAnnotations(current))) {
        steps.add(
            new ObjectStep.PatchMetadata(
                current,
                secret.getMetadata().getLabels(),
                secret.getMetadata().getAnnotations(),
                secret.getMetadata().getOwnerReferences(),
                "Secrets",
                "updated labels of secret " + name));
      }
    }

    /**
     * An infrastructure role's Secret, as a manifest user's, except that the password is the
     * infrastructure secret's and is written again when it changed there (upstream:
     * pkg/cluster/sync.go, updateSecret).
     */
    private void infrastructureSecret(InfrastructureSecret infrastructure) {
      Secret secret = infrastructure.secret();
      Optional<Secret> live = observed.live(secret);
      String password = secret.getData().get("password");
      if (live.isPresent()
          && !password.equals(
              live.get().getData() == null ? null : live.get().getData().get("password"))) {
        steps.add(
            new ObjectStep.SetSecretData(
                live.get(),
                Map.of("password", password),
                Set.of(),
                "Secrets",
                "updated the password of infrastructure role "
                    + infrastructure.role()
                    + " in secret "
                    + secret.getMetadata().getName()));
        return;
      }
      secretMetadata(secret);
    }

    /**
     * Rotates the passwords of credential secrets that are due (upstream: pkg/cluster/sync.go,
     * rotatePasswordInSecret): username, password and {@code nextRotation} written into the secret;
     * the role sync then creates the dated role or sets the new password. A system user rotated in
     * place marks the pods for recreation, since Spilo sets those passwords at start.
     */
    private void rotations(Rotation rotation) {
      long interval = cluster.config().integerOr("password_rotation_interval", 90);
      for (DesiredRole role : DesiredRoles.of(cluster)) {
        if (!role.canLogin()) {
          continue;
        }
        PasswordRotation.Mode mode = PasswordRotation.mode(cluster, role);
        Optional<Secret> live =
            observed.get(
                Secret.class,
                role.secretNamespace(),
                ClusterNames.credentialSecret(cluster, role.name()));
        if (live.isEmpty() || live.get().getData() == null) {
          continue;
        }
        Map<String, String> data = live.get().getData();
        Optional<PasswordRotation.Decision> decision =
            PasswordRotation.decide(
                mode,
                role.name(),
                new PasswordRotation.SecretState(
                    decode(data.get("username")),
                    decode(data.get("password")),
                    decode(data.get(PasswordRotation.NEXT_ROTATION))),
                rotation.now(),
                interval,
                rotation.newPassword());
        if (decision.isEmpty()) {
          continue;
        }
        PasswordRotation.Decision d = decision.get();
        Map<String, String> put = new LinkedHashMap<>();
        put.put("username", encode(d.username()));
        put.put("password", encode(d.password()));
        Set<String> remove = Set.of();
        if (d.nextRotation().isEmpty()) {
          remove = Set.of(PasswordRotation.NEXT_ROTATION);
        } else {
          put.put(PasswordRotation.NEXT_ROTATION, encode(d.nextRotation()));
        }
        if (!d.rotated()) {
          steps.add(
              new ObjectStep.SetSecretData(
                  live.get(),
                  put,
                  remove,
                  null,
                  "password rotation of " + role.name() + " scheduled for " + d.nextRotation()));
          continue;
        }
        String how =
            mode == PasswordRotation.Mode.NONE
                ? "rotation switched off: secret back to " + role.name()
                : mode == PasswordRotation.Mode.NEW_USER
                    ? "new login role " + d.username()
                    : "in place";
        steps.add(
            new ObjectStep.SetSecretData(
                live.get(),
                put,
                remove,
                "Secrets",
                "rotated the password of " + role.name() + " (" + how + ")"));
        if (mode == PasswordRotation.Mode.IN_PLACE && role.origin() == DesiredRole.Origin.SYSTEM) {
          markAll("password of system user " + role.name() + " rotated");
        }
      }
    }

    /** A drifted PDB is deleted and created again, as upstream does (its RBAC has no update). */
    private void podDisruptionBudget(PodDisruptionBudget pdb) {
      Optional<PodDisruptionBudget> live = observed.live(pdb);
      String name = pdb.getMetadata().getName();
      if (live.isEmpty()) {
        steps.add(
            new ObjectStep.Create(
                pdb, false, "PodDisruptionBudget", "created pod disruption budget " + name));
      } else if (!ObjectMatcher.covers(pdb, live.get())) {
        steps.add(
            new ObjectStep.Recreate(
                live.get(),
                pdb,
                false,
                "PodDisruptionBudget",
                "recreated pod disruption budget " + name));
      }
    }

    /**
     * The StatefulSet (upstream: pkg/cluster/cluster.go, compareStatefulSetWith), decided by {@link
     * StatefulSetChange}. A changed pod template first marks every pod for the rolling update, and
     * so does, without lazy upgrades, a pod running another image (upstream: pkg/cluster/sync.go,
     * syncStatefulSet).
     */
    private StatefulSetChange statefulSet() {
      StatefulSet sts = desired.statefulSet();
      request.holdReplicasAt().ifPresent(n -> sts.getSpec().setReplicas(n));
      Optional<StatefulSet> live = observed.live(sts);
      boolean lazy = cluster.config().bool("enable_lazy_spilo_upgrade");
      StatefulSetChange change = StatefulSetChange.of(sts, live, lazy);
      String name = sts.getMetadata().getName();
      if (change.action() == StatefulSetChange.Action.CREATE) {
        steps.add(
            new ObjectStep.Create(
                sts,
                false,
                "StatefulSet",
                "created statefulset "
                    + name
                    + " with "
                    + sts.getSpec().getReplicas()
                    + " instance(s)"));
        return change;
      }
      if (change.rollsPods()) {
        markAll("pod template changed");
      }
      if (!lazy) {
        String image = sts.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
        for (Pod pod : observed.pods()) {
          String podImage = postgresImage(pod);
          if (podImage != null && !podImage.equals(image)) {
            mark(pod, "runs image " + podImage + " instead of " + image);
          }
        }
      }
      StatefulSet current = live.get();
      switch (change.action()) {
        case REPLACE ->
            steps.add(
                new ObjectStep.Recreate(
                    current,
                    sts,
                    true,
                    "StatefulSet",
                    "replaced statefulset "
                        + name
                        + " (pods kept running; Kubernetes refuses this change in place)"));
        case UPDATE -> {
          sts.getMetadata().setLabels(merge(current.getMetadata().getLabels(), labels(sts)));
          steps.add(
              new ObjectStep.Update(
                  sts,
                  current,
                  "StatefulSet",
                  change.scales()
                      ? "scaled statefulset "
                          + name
                          + " from "
                          + change.replicasFrom().get()
                          + " to "
                          + change.replicasTo()
                          + " instance(s)"
                      : "updated statefulset " + name));
        }
        default -> {
          // in sync
        }
      }
      return change;
    }

    private void markAll(String why) {
      observed.pods().forEach(pod -> mark(pod, why));
    }

    /** A pod is marked once, for the first reason found. */
    private void mark(Pod pod, String why) {
      if (marked.add(pod.getMetadata().getName())) {
        steps.add(
            new ObjectStep.MarkPod(
                pod,
                "Update",
                "marked pod " + pod.getMetadata().getName() + " for a rolling update: " + why));
      }
    }

    /**
     * Grows the data volumes to {@code volume.size} (upstream: pkg/cluster/volumes.go, syncVolumes;
     * {@code storage_resize_mode}): {@code pvc} and {@code mixed} raise each smaller claim's
     * request when its storage class allows expansion; {@code off} leaves sizes alone; {@code ebs},
     * which needs the AWS API, is reported as not done. Volumes never shrink. Sizes are compared in
     * whole GiB, as upstream does.
     */
    private void volumes() {
      String mode = cluster.config().string("storage_resize_mode");
      if ("off".equals(mode)
          || cluster.spec().volume == null
          || cluster.spec().volume.size == null) {
        return;
      }
      if ("ebs".equals(mode)) {
        steps.add(
            new ObjectStep.Note(
                "storage_resize_mode ebs resizes through the AWS API, which Cornac does not call; volumes keep their "
                    + "size (use storage_resize_mode pvc with an expandable storage class)"));
        return;
      }
      Quantity wanted = new Quantity(cluster.spec().volume.size);
      long wantedGib = gib(wanted);
      List<PersistentVolumeClaim> claims =
          observed.volumes().stream()
              .filter(p -> p.getMetadata().getName().startsWith(ClusterNames.PGDATA_VOLUME + "-"))
              .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
              .toList();
      for (PersistentVolumeClaim pvc : claims) {
        Quantity requested =
            pvc.getSpec() == null
                    || pvc.getSpec().getResources() == null
                    || pvc.getSpec().getResources().getRequests() == null
                ? null
                : pvc.getSpec().getResources().getRequests().get("storage");
        if (requested == null || gib(requested) == wantedGib) {
          continue;
        }
        String name = pvc.getMetadata().getName();
        if (gib(requested) > wantedGib) {
          steps.add(
              new ObjectStep.Note(
                  "volume "
                      + name
                      + " is "
                      + requested
                      + "; volumes do not shrink, volume.size "
                      + wanted
                      + " is not applied to it"));
          continue;
        }
        String className = pvc.getSpec().getStorageClassName();
        StorageClass storageClass =
            observed.storageClasses().get(className == null ? "" : className);
        if (storageClass != null && !Boolean.TRUE.equals(storageClass.getAllowVolumeExpansion())) {
          steps.add(
              new ObjectStep.Note(
                  "volume "
                      + name
                      + " stays "
                      + requested
                      + ": its storage class "
                      + storageClass.getMetadata().getName()
                      + " does not allow expansion (allowVolumeExpansion); use an expandable class (Rook Ceph "
                      + "RBD allows it) or keep volume.size at "
                      + requested));
          continue;
        }
        steps.add(
            new ObjectStep.Resize(
                pvc,
                wanted.toString(),
                "Volume",
                "resized volume " + name + " from " + requested + " to " + wanted));
      }
    }

    /**
     * The logical backup CronJob: created, updated or deleted with {@code enableLogicalBackup}
     * (upstream: pkg/cluster/sync.go, syncLogicalBackupJob; pkg/cluster/cluster.go, Update).
     */
    private void logicalBackup() {
      String name = ClusterNames.logicalBackupJob(cluster);
      Optional<CronJob> live = observed.get(CronJob.class, cluster.namespace(), name);
      Optional<CronJob> job = desired.logicalBackup();
      if (job.isEmpty()) {
        live.ifPresent(
            l ->
                steps.add(
                    new ObjectStep.Delete(
                        l, "LogicalBackup", "deleted logical backup cron job " + name)));
        return;
      }
      if (cluster.effectiveInstances() <= 0) {
        return;
      }
      if (live.isEmpty()) {
        steps.add(
            new ObjectStep.Create(
                job.get(),
                false,
                "LogicalBackup",
                "created logical backup cron job "
                    + name
                    + " ("
                    + job.get().getSpec().getSchedule()
                    + ")"));
      } else if (!ObjectMatcher.covers(job.get(), live.get())) {
        steps.add(
            new ObjectStep.Update(
                job.get(), live.get(), "LogicalBackup", "updated logical backup cron job " + name));
      }
    }

    /**
     * The PgBouncer objects of an enabled pooler role; a disabled role's objects are removed
     * (upstream: pkg/cluster/connection_pooler.go, syncConnectionPooler).
     */
    private void pooler(Role role) {
      String name = ClusterNames.pooler(cluster, role);
      Optional<DesiredState.PoolerObjects> wanted =
          desired.poolers().stream()
              .filter(p -> p.deployment().getMetadata().getName().equals(name))
              .findFirst();
      if (wanted.isEmpty()) {
        removePooler(role, name);
        return;
      }
      poolerSecret(wanted.get().authSecret());
      Deployment deployment = wanted.get().deployment();
      Optional<Deployment> live = observed.live(deployment);
      if (live.isEmpty()) {
        steps.add(
            new ObjectStep.Create(
                deployment, false, "ConnectionPooler", "created connection pooler " + name));
      } else if (!ObjectMatcher.covers(deployment, live.get())) {
        steps.add(
            new ObjectStep.Update(
                deployment, live.get(), "ConnectionPooler", "updated connection pooler " + name));
      }
      service(wanted.get().service());
    }

    private void poolerSecret(Secret secret) {
      Optional<Secret> live = observed.live(secret);
      String name = secret.getMetadata().getName();
      if (live.isEmpty()) {
        steps.add(
            new ObjectStep.Create(
                secret, false, "ConnectionPooler", "created pooler secret " + name));
        return;
      }
      Map<String, String> data = live.get().getData() == null ? Map.of() : live.get().getData();
      if (!Objects.equals(data.get("userlist.txt"), secret.getData().get("userlist.txt"))
          || !ObjectMatcher.covers(labels(secret), live.get().getMetadata().getLabels())) {
        steps.add(
            new ObjectStep.Update(
                secret, live.get(), "ConnectionPooler", "updated pooler secret " + name));
      }
    }

    private void removePooler(Role role, String name) {
      String ns = cluster.namespace();
      List<HasMetadata> present = new ArrayList<>();
      observed.get(Deployment.class, ns, name).ifPresent(present::add);
      observed.get(Service.class, ns, name).ifPresent(present::add);
      observed
          .get(Secret.class, ns, ClusterNames.poolerAuthSecret(cluster, role))
          .ifPresent(present::add);
      for (int i = 0; i < present.size(); i++) {
        // One Event for the role's objects, on the last deletion.
        boolean last = i == present.size() - 1;
        steps.add(
            new ObjectStep.Delete(
                present.get(i),
                last ? "ConnectionPooler" : null,
                last ? "removed connection pooler " + name : null));
      }
    }

    /**
     * The cluster's PodMonitor: created, kept as generated, and deleted when the exporter or the
     * PodMonitor option is turned off. Nothing is done without the PodMonitor CRD.
     */
    private void podMonitor() {
      Optional<PodMonitor> wanted = desired.podMonitor();
      if (!observed.observes(PodMonitor.class)) {
        wanted.ifPresent(
            p ->
                steps.add(
                    new ObjectStep.Note(
                        "no PodMonitor: the Prometheus Operator's PodMonitor CRD is not installed")));
        return;
      }
      String name = PodMonitorGenerator.name(cluster);
      Optional<PodMonitor> live = observed.get(PodMonitor.class, cluster.namespace(), name);
      if (wanted.isEmpty()) {
        live.ifPresent(
            l ->
                steps.add(
                    new ObjectStep.Delete(
                        l,
                        "PodMonitor",
                        "deleted PodMonitor "
                            + name
                            + " (the exporter or its PodMonitor is turned off)")));
        return;
      }
      if (live.isEmpty()) {
        steps.add(
            new ObjectStep.Create(wanted.get(), false, "PodMonitor", "created PodMonitor " + name));
      } else if (!ObjectMatcher.covers(wanted.get(), live.get())) {
        steps.add(
            new ObjectStep.Update(
                wanted.get(), live.get(), "PodMonitor", "updated PodMonitor " + name));
      }
    }
  }

  /** The API server allocates these; a PUT without them would be refused or would re-allocate. */
  private static void keepAllocatedFields(ServiceSpec desired, ServiceSpec live) {
    desired.setClusterIP(live.getClusterIP());
    desired.setClusterIPs(live.getClusterIPs());
    desired.setIpFamilies(live.getIpFamilies());
    desired.setIpFamilyPolicy(live.getIpFamilyPolicy());
    if ("NodePort".equals(desired.getType()) || "LoadBalancer".equals(desired.getType())) {
      for (int i = 0; i < desired.getPorts().size() && i < live.getPorts().size(); i++) {
        if (desired.getPorts().get(i).getNodePort() == null) {
          desired.getPorts().get(i).setNodePort(live.getPorts().get(i).getNodePort());
        }
      }
    }
  }

  /** Labels or annotations of somebody else's are kept in a whole-object update; ours win. */
  private static Map<String, String> merge(Map<String, String> live, Map<String, String> ours) {
    if ((live == null || live.isEmpty()) && (ours == null || ours.isEmpty())) {
      return ours;
    }
    Map<String, String> m = new LinkedHashMap<>(live == null ? Map.of() : live);
    if (ours != null) {
      m.putAll(ours);
    }
    return m;
  }

  private static Map<String, String> labels(HasMetadata o) {
    return o.getMetadata().getLabels();
  }

  private static String annotation(HasMetadata o, String key) {
    Map<String, String> a = o.getMetadata().getAnnotations();
    return a == null ? null : a.get(key);
  }

  private static Map<String, Object> labelsAndAnnotations(Secret s) {
    Map<String, Object> m = new HashMap<>();
    m.put("labels", s.getMetadata().getLabels() == null ? Map.of() : s.getMetadata().getLabels());
    m.put(
        "annotations",
        s.getMetadata().getAnnotations() == null ? Map.of() : s.getMetadata().getAnnotations());
    return m;
  }

  private static String postgresImage(Pod pod) {
    return pod.getSpec() == null || pod.getSpec().getContainers() == null
        ? null
        : pod.getSpec().getContainers().stream()
            .filter(c -> "postgres".equals(c.getName()))
            .map(Container::getImage)
            .findFirst()
            .orElse(null);
  }

  static long gib(Quantity q) {
    return Quantity.getAmountInBytes(q).divideToIntegralValue(GIB).longValue();
  }

  private static String decode(String b64) {
    return b64 == null ? null : new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
  }

  private static String encode(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
