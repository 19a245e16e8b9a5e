package dev.cornac.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cornac.api.config.OperatorConfig;
import dev.cornac.api.events.EventTimes;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.api.model.Postgresql;
import dev.cornac.generators.Cluster;
import dev.cornac.generators.naming.ClusterNames;
import dev.cornac.generators.secrets.CredentialSecretGenerator;
import dev.cornac.generators.secrets.Credentials;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the pages show, read from the API server: the cluster list and one cluster's page. */
public final class ClusterViews {
  private static final List<String> SERVER_FIELDS =
      List.of(
          "managedFields", "resourceVersion", "uid", "generation", "creationTimestamp", "selfLink");

  private final KubernetesClient client;
  private final UiSettings settings;
  private final OperatorConfig config;

  public ClusterViews(KubernetesClient client, UiSettings settings) {
    this.client = client;
    this.settings = settings;
    this.config = settings.operatorConfig();
  }

  MixedOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      postgresqls() {
    return client.genericKubernetesResources("acid.zalan.do/v1", "postgresql");
  }

  /** One row per cluster: upstream's list columns plus status, pods ready and age. */
  public ArrayNode list() {
    String ns = settings.confinedNamespace();
    List<GenericKubernetesResource> clusters =
        ns == null
            ? postgresqls().inAnyNamespace().list().getItems()
            : postgresqls().inNamespace(ns).list().getItems();
    List<Pod> pods =
        ns == null
            ? client
                .pods()
                .inAnyNamespace()
                .withLabel(settings.clusterNameLabel())
                .list()
                .getItems()
            : client
                .pods()
                .inNamespace(ns)
                .withLabel(settings.clusterNameLabel())
                .list()
                .getItems();
    Map<String, int[]> podCounts = new HashMap<>();
    for (Pod p : pods) {
      String key =
          p.getMetadata().getNamespace()
              + "/"
              + p.getMetadata().getLabels().get(settings.clusterNameLabel());
      int[] c = podCounts.computeIfAbsent(key, k -> new int[2]);
      c[0]++;
      if (ready(p)) {
        c[1]++;
      }
    }
    ArrayNode out = ManifestMapper.json().createArrayNode();
    clusters.stream()
        .sorted(
            Comparator.comparing((GenericKubernetesResource g) -> g.getMetadata().getNamespace())
                .thenComparing(g -> g.getMetadata().getName()))
        .forEach(
            g -> {
              JsonNode m = ManifestMapper.json().valueToTree(g);
              JsonNode spec = m.path("spec");
              String key = g.getMetadata().getNamespace() + "/" + g.getMetadata().getName();
              int[] counts = podCounts.getOrDefault(key, new int[2]);
              out.addObject()
                  .put("namespace", g.getMetadata().getNamespace())
                  .put("name", g.getMetadata().getName())
                  .put("uid", g.getMetadata().getUid())
                  .put("team", spec.path("teamId").asText(""))
                  .put("status", m.path("status").path("PostgresClusterStatus").asText(""))
                  .put("instances", spec.path("numberOfInstances").asInt(0))
                  .put("pods", counts[0])
                  .put("podsReady", counts[1])
                  .put("version", spec.path("postgresql").path("version").asText(""))
                  .put("volume", spec.path("volume").path("size").asText(""))
                  .put(
                      "created",
                      g.getMetadata().getCreationTimestamp() == null
                          ? ""
                          : g.getMetadata().getCreationTimestamp());
            });
    return out;
  }

  static boolean ready(Pod p) {
    return p.getStatus() != null
        && "Running".equals(p.getStatus().getPhase())
        && (p.getStatus().getConditions() == null
            || p.getStatus().getConditions().isEmpty()
            || p.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())));
  }

  /** The manifest without the fields the API server manages (upstream strips them too). */
  static ObjectNode userManifest(GenericKubernetesResource g) {
    ObjectNode m = ManifestMapper.json().valueToTree(g);
    ObjectNode meta = (ObjectNode) m.path("metadata");
    SERVER_FIELDS.forEach(meta::remove);
    m.remove("status");
    return m;
  }

  /**
   * One cluster's page: pods and roles, services and addresses, secret names, events, how to
   * connect.
   */
  public ObjectNode details(GenericKubernetesResource g) {
    String ns = g.getMetadata().getNamespace();
    String name = g.getMetadata().getName();
    JsonNode m = ManifestMapper.json().valueToTree(g);
    ObjectNode out = ManifestMapper.json().createObjectNode();
    out.put("namespace", ns).put("name", name).put("uid", g.getMetadata().getUid());
    out.put("status", m.path("status").path("PostgresClusterStatus").asText(""));
    out.set("conditions", m.path("status").path("conditions"));
    ArrayNode pods = out.putArray("pods");
    client
        .pods()
        .inNamespace(ns)
        .withLabel(settings.clusterNameLabel(), name)
        .list()
        .getItems()
        .stream()
        .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
        .forEach(
            p ->
                pods.addObject()
                    .put("name", p.getMetadata().getName())
                    .put(
                        "role",
                        p.getMetadata().getLabels() == null
                            ? ""
                            : p.getMetadata().getLabels().getOrDefault(settings.podRoleLabel(), ""))
                    .put(
                        "phase",
                        p.getStatus() == null ? "" : String.valueOf(p.getStatus().getPhase()))
                    .put("ready", ready(p))
                    .put(
                        "ip",
                        p.getStatus() == null || p.getStatus().getPodIP() == null
                            ? ""
                            : p.getStatus().getPodIP())
                    .put(
                        "node",
                        p.getSpec() == null || p.getSpec().getNodeName() == null
                            ? ""
                            : p.getSpec().getNodeName()));
    ArrayNode services = out.putArray("services");
    for (Service s :
        client
            .services()
            .inNamespace(ns)
            .withLabel(settings.clusterNameLabel(), name)
            .list()
            .getItems()) {
      ObjectNode svc =
          services
              .addObject()
              .put("name", s.getMetadata().getName())
              .put("type", s.getSpec().getType())
              .put(
                  "clusterIP", s.getSpec().getClusterIP() == null ? "" : s.getSpec().getClusterIP())
              .put("dns", s.getMetadata().getName() + "." + ns + ".svc");
      if (s.getStatus() != null
          && s.getStatus().getLoadBalancer() != null
          && s.getStatus().getLoadBalancer().getIngress() != null) {
        s.getStatus()
            .getLoadBalancer()
            .getIngress()
            .forEach(
                i -> svc.put("external", i.getHostname() != null ? i.getHostname() : i.getIp()));
      }
    }
    ArrayNode secrets = out.putArray("secrets");
    try {
      secretNames(g).forEach(secrets::add);
    } catch (IllegalArgumentException e) {
      out.put(
          "secretsError",
          "the manifest cannot be read as a postgresql resource, so its secrets are not known");
    }
    ArrayNode events = out.putArray("events");
    client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> e.getInvolvedObject() != null && name.equals(e.getInvolvedObject().getName()))
        .sorted(Comparator.comparing(EventTimes::of).reversed())
        .limit(20)
        .forEach(
            e ->
                events
                    .addObject()
                    .put("time", EventTimes.of(e))
                    .put("type", e.getType())
                    .put("reason", e.getReason())
                    .put("message", e.getMessage()));
    ObjectNode connect = out.putObject("connect");
    String host = name + "." + ns + ".svc";
    String owner =
        m.path("spec").path("databases").fields().hasNext()
            ? m.path("spec").path("databases").fields().next().getValue().asText()
            : "postgres";
    String db =
        m.path("spec").path("databases").fieldNames().hasNext()
            ? m.path("spec").path("databases").fieldNames().next()
            : "postgres";
    connect
        .put("host", host)
        .put("port", 5432)
        .put("database", db)
        .put("user", owner)
        .put("secret", secretName(name, owner))
        .put(
            "inCluster",
            "psql \"host="
                + host
                + " port=5432 dbname="
                + db
                + " user="
                + owner
                + " sslmode=require\"")
        .put(
            "password",
            "kubectl get secret "
                + secretName(name, owner)
                + " -n "
                + ns
                + " -o 'jsonpath={.data.password}' | base64 -d")
        .put("cornac", "cornac psql " + name + " -n " + ns + " -U " + owner + " -d " + db);
    out.set("manifest", userManifest(g));
    return out;
  }

  /**
   * The credential Secrets the operator makes for the cluster, as its own generator names them:
   * system users, manifest users, prepared-database roles, the pooler's user when a pooler is on.
   */
  private List<String> secretNames(GenericKubernetesResource g) {
    Postgresql resource = ManifestMapper.convert(g, Postgresql.class);
    if (resource.getSpec() == null) {
      return List.of();
    }
    return CredentialSecretGenerator.generate(
            new Cluster(resource, config), Credentials.placeholder())
        .stream()
        .map(s -> s.getMetadata().getName())
        .toList();
  }

  /** The UI names secrets without reading them, under upstream's default secret_name_template. */
  private String secretName(String cluster, String user) {
    return ClusterNames.credentialSecret(config.string("secret_name_template"), cluster, user);
  }
}
