package dev.cornac.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cornac.api.config.OperatorConfig;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.api.model.Postgresql;
import dev.cornac.api.validation.ManifestValidator;
import dev.cornac.api.validation.ValidationResult;
import dev.cornac.api.validation.Violation;
import dev.cornac.generators.Cluster;
import dev.cornac.generators.DesiredStateGenerator;
import dev.cornac.generators.plan.ChangePlan;
import dev.cornac.generators.plan.ChangePlanJson;
import dev.cornac.generators.plan.ChangePlanner;
import dev.cornac.generators.secrets.Credentials;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * Creating, editing and deleting clusters: the live preview (YAML, every problem the operator would
 * find, and for an edit what it would do), then the write itself, each checked by {@link
 * AccessControl} and by the operator's own validation first.
 */
final class ClusterChanges {
  private static final ObjectMapper JSON = ManifestMapper.json();
  static final Pattern NAME = Pattern.compile("^[a-z0-9]+[a-z0-9\\-]+[a-z0-9]+$");
  static final int MAX_NAME = 53;

  private final UiSettings settings;
  private final KubernetesClient client;
  private final AccessControl access;
  private final ClusterViews views;
  private final OperatorProxy operator;
  private final AuditLog audit;
  private final ManifestValidator validator;
  private final OperatorConfig planConfig;

  ClusterChanges(
      UiSettings settings,
      KubernetesClient client,
      AccessControl access,
      ClusterViews views,
      OperatorProxy operator,
      AuditLog audit) {
    this.settings = settings;
    this.client = client;
    this.access = access;
    this.views = views;
    this.operator = operator;
    this.audit = audit;
    // The operator's own rules, with upstream UI's name rule: <team>-<name>.
    this.validator =
        new ManifestValidator(
            OperatorConfig.defaults().with("enable_team_id_clustername_prefix", true));
    this.planConfig = settings.operatorConfig();
  }

  /** The YAML a form or a YAML text becomes, with every problem the operator would find in it. */
  ObjectNode preview(JsonNode body) {
    Optional<GenericKubernetesResource> edited = Optional.empty();
    if (body.has("edit")) {
      String ns = body.path("edit").path("namespace").asText("");
      String name = body.path("edit").path("name").asText("");
      access.guardNamespace(ns);
      GenericKubernetesResource g = views.postgresqls().inNamespace(ns).withName(name).get();
      if (g == null) {
        throw new HttpError(404, "there is no cluster " + name + " in namespace " + ns);
      }
      edited = Optional.of(g);
    }
    ObjectNode manifest;
    if (body.has("yaml")) {
      try {
        JsonNode parsed = ManifestMapper.yaml().readTree(body.path("yaml").asText(""));
        if (parsed == null || !parsed.isObject()) {
          throw new HttpError(
              400, "the YAML is not a postgresql manifest (an object with metadata and spec)");
        }
        manifest = (ObjectNode) parsed;
      } catch (JsonProcessingException e) {
        ObjectNode out = JSON.createObjectNode();
        out.put("yaml", body.path("yaml").asText(""));
        out.putArray("errors").add("YAML: " + e.getOriginalMessage());
        out.putArray("warnings");
        return out;
      }
    } else if (edited.isPresent()) {
      manifest =
          JSON.convertValue(body.path("form"), ClusterForm.class)
              .applyTo(ClusterViews.userManifest(edited.get()));
    } else {
      manifest = JSON.convertValue(body.path("form"), ClusterForm.class).toManifest();
    }
    ObjectNode out = JSON.createObjectNode();
    out.put("yaml", ManifestMapper.toYaml(manifest));
    out.set("manifest", manifest);
    ArrayNode errors = out.putArray("errors");
    ArrayNode warnings = out.putArray("warnings");
    problems(manifest).forEach(v -> (v.isError() ? errors : warnings).add(v.message()));
    if (edited.isEmpty()) {
      nameTaken(manifest).ifPresent(v -> errors.add(v.message()));
    }
    if (manifest.path("spec").path("clone").has("timestamp")) {
      try {
        requireRestorable(
            manifest.path("metadata").path("namespace").asText("default"),
            manifest.path("spec").path("clone"));
      } catch (HttpError | IllegalStateException e) {
        errors.add(e.getMessage());
      }
    }
    if (edited.isPresent() && errors.isEmpty()) {
      out.set("plan", plan(edited.get(), manifest));
    }
    return out;
  }

  /**
   * A new cluster's name must be free in its namespace: said while the user types, not by Create's
   * 409.
   */
  private Optional<Violation> nameTaken(ObjectNode manifest) {
    String ns = manifest.path("metadata").path("namespace").asText("");
    String name = manifest.path("metadata").path("name").asText("");
    String confined = settings.confinedNamespace();
    if (ns.isEmpty()
        || !NAME.matcher(name).matches()
        || (confined != null && !confined.equals(ns))
        || views.postgresqls().inNamespace(ns).withName(name).get() == null) {
      return Optional.empty();
    }
    return Optional.of(
        Violation.error(
            "metadata.name", name, "already exists in namespace " + ns, "choose another name"));
  }

  /**
   * What applying the edit would do (the same plan as {@code cornac diff}): the stored cluster's
   * objects against the edited manifest's, under the configuration the UI validates with, and the
   * running pods for the roll order.
   */
  private ObjectNode plan(GenericKubernetesResource stored, ObjectNode manifest) {
    String ns = stored.getMetadata().getNamespace();
    Postgresql before = ManifestMapper.convert(stored, Postgresql.class);
    Postgresql after = ManifestMapper.convert(manifest, Postgresql.class);
    after.getMetadata().setNamespace(ns);
    after.getMetadata().setUid(stored.getMetadata().getUid());
    Cluster was = new Cluster(before, planConfig);
    Cluster now = new Cluster(after, planConfig);
    List<Pod> pods =
        client
            .pods()
            .inNamespace(ns)
            .withLabel(settings.clusterNameLabel(), stored.getMetadata().getName())
            .list()
            .getItems();
    ChangePlan plan =
        ChangePlanner.plan(
            now,
            DesiredStateGenerator.generate(now, Credentials.placeholder()),
            new ChangePlanner.Current(
                Optional.of(was.spec()),
                DesiredStateGenerator.generate(was, Credentials.placeholder()).inCreationOrder(),
                pods,
                Set.of()),
            Instant.now());
    return ChangePlanJson.of(plan, "the cluster as stored");
  }

  private List<Violation> problems(ObjectNode manifest) {
    List<Violation> out = new ArrayList<>();
    String name = manifest.path("metadata").path("name").asText("");
    if (name.isEmpty()) {
      out.add(Violation.error("metadata.name", null, "is required", "give the cluster a name"));
    } else if (name.length() > MAX_NAME) {
      out.add(
          Violation.error(
              "metadata.name",
              name,
              "is longer than " + MAX_NAME + " characters",
              "use a shorter name"));
    } else if (!NAME.matcher(name).matches()) {
      out.add(
          Violation.error(
              "metadata.name",
              name,
              "may only contain lower-case letters, digits and dashes, "
                  + "starting and ending with a letter or digit",
              "for example acid-orders"));
    }
    if (manifest.path("metadata").path("namespace").asText("").isEmpty()) {
      out.add(Violation.error("metadata.namespace", null, "is required", "choose a namespace"));
    }
    ValidationResult result = validator.validate(manifest);
    out.addAll(result.violations());
    return out;
  }

  /** A new cluster from a form, a YAML text or a manifest; answers its namespace and name. */
  ObjectNode create(Context ctx) throws Exception {
    JsonNode body = JSON.readTree(ctx.body());
    ObjectNode manifest =
        body.has("yaml") || body.has("form")
            ? (ObjectNode) preview(body).get("manifest")
            : (ObjectNode) body;
    String ns = manifest.path("metadata").path("namespace").asText("default");
    AuditLog.Write write =
        access.writer(
            ctx,
            "create",
            ns,
            manifest.path("metadata").path("name").asText(""),
            manifest.path("spec").path("teamId").asText(""));
    return audited(
        write,
        () -> {
          requireValid(manifest);
          requireRestorable(ns, manifest.path("spec").path("clone"));
          GenericKubernetesResource g =
              JSON.convertValue(manifest, GenericKubernetesResource.class);
          GenericKubernetesResource created =
              views.postgresqls().inNamespace(ns).resource(g).create();
          return JSON.createObjectNode()
              .put("namespace", ns)
              .put("name", created.getMetadata().getName());
        });
  }

  /** Runs a write the checks allowed, and records in the audit trail how it ended. */
  private ObjectNode audited(AuditLog.Write write, Callable<ObjectNode> change) throws Exception {
    ObjectNode answer = failureAudited(write, change);
    audit.done(write);
    return answer;
  }

  /** A step of a write the checks allowed; a failure goes to the audit trail. */
  private <T> T failureAudited(AuditLog.Write write, Callable<T> step) throws Exception {
    try {
      return step.call();
    } catch (Exception e) {
      audit.failed(write, HttpError.statusOf(e));
      throw e;
    }
  }

  /**
   * A point-in-time clone must ask for a time inside the source's recoverable range, as the archive
   * says.
   */
  private void requireRestorable(String ns, JsonNode clone) {
    String timestamp = clone.path("timestamp").asText("");
    if (timestamp.isEmpty()) {
      return;
    }
    Instant at;
    try {
      at = OffsetDateTime.parse(timestamp).toInstant();
    } catch (DateTimeParseException e) {
      throw new HttpError(
          400,
          "spec.clone.timestamp "
              + timestamp
              + " is not a time with an offset, like "
              + "2026-11-28T07:30:00+00:00");
    }
    String source = clone.path("cluster").asText("");
    JsonNode backups = operator.get("/clusters/" + ns + "/" + source + "/backups/");
    String earliest = backups.path("Earliest").asText(null);
    String latest = backups.path("Latest").asText(null);
    if (earliest == null || latest == null) {
      throw new HttpError(
          400, source + " has no base backup in its archive yet; a point-in-time clone needs one");
    }
    if (at.isBefore(Instant.parse(earliest)) || at.isAfter(Instant.parse(latest))) {
      throw new HttpError(
          400,
          "spec.clone.timestamp "
              + timestamp
              + " is outside the recoverable range of "
              + source
              + " ("
              + earliest
              + " to "
              + latest
              + "); choose a time inside it");
    }
  }

  private void requireValid(ObjectNode manifest) {
    List<String> errors =
        problems(manifest).stream().filter(Violation::isError).map(Violation::message).toList();
    if (!errors.isEmpty()) {
      throw new HttpError(400, String.join("; ", errors));
    }
  }

  /** Edit by form (only the form's fields change) or by YAML (the whole manifest, as written). */
  ObjectNode edit(Context ctx, GenericKubernetesResource current) throws Exception {
    String ns = current.getMetadata().getNamespace();
    String name = current.getMetadata().getName();
    JsonNode body = JSON.readTree(ctx.body());
    ObjectNode currentTree = JSON.valueToTree(current);
    String team = currentTree.path("spec").path("teamId").asText("");
    AuditLog.Write write = access.writer(ctx, "update", ns, name, team);
    ObjectNode updated = failureAudited(write, () -> edited(current, currentTree, body));
    String newTeam = updated.path("spec").path("teamId").asText("");
    if (!newTeam.equals(team)) {
      access.writer(ctx, "update", ns, name, newTeam);
    }
    return audited(
        write,
        () -> {
          requireValid(updated);
          GenericKubernetesResource g = JSON.convertValue(updated, GenericKubernetesResource.class);
          try {
            views.postgresqls().inNamespace(ns).resource(g).update();
          } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
              throw new HttpError(
                  409, "the cluster changed while you edited it; reload the page and apply again");
            }
            throw e;
          }
          return JSON.createObjectNode().put("namespace", ns).put("name", name);
        });
  }

  /**
   * The manifest an edit asks for: the form's fields written into the stored one, or the YAML as
   * written.
   */
  private static ObjectNode edited(
      GenericKubernetesResource current, ObjectNode currentTree, JsonNode body)
      throws JsonProcessingException {
    String ns = current.getMetadata().getNamespace();
    ObjectNode updated;
    if (body.has("yaml")) {
      JsonNode parsed = ManifestMapper.yaml().readTree(body.path("yaml").asText(""));
      if (parsed == null || !parsed.isObject()) {
        throw new HttpError(400, "the YAML is not a postgresql manifest");
      }
      updated = (ObjectNode) parsed;
      if (!current.getMetadata().getName().equals(updated.path("metadata").path("name").asText())
          || !ns.equals(updated.path("metadata").path("namespace").asText(ns))) {
        throw new HttpError(
            400,
            "metadata.name and metadata.namespace cannot change; create a new cluster (or a "
                + "clone) instead");
      }
      ((ObjectNode) updated.path("metadata")).put("namespace", ns);
      ((ObjectNode) updated.path("metadata"))
          .put("resourceVersion", current.getMetadata().getResourceVersion());
    } else {
      updated =
          JSON.convertValue(body.path("form"), ClusterForm.class).applyTo(currentTree.deepCopy());
    }
    // The status is the operator's, written through the status subresource: the API server ignores
    // it in an update
    // of the resource, so the UI sends none rather than pretend to keep it.
    updated.remove("status");
    return updated;
  }

  /** Deletion, once the user has typed namespace/name (the page's confirmation). */
  ObjectNode delete(Context ctx, GenericKubernetesResource current) throws Exception {
    String ns = current.getMetadata().getNamespace();
    String name = current.getMetadata().getName();
    JsonNode tree = JSON.valueToTree(current);
    AuditLog.Write write =
        access.writer(ctx, "delete", ns, name, tree.path("spec").path("teamId").asText(""));
    return audited(
        write,
        () -> {
          String confirm = ctx.queryParam("confirm");
          if (!(ns + "/" + name).equals(confirm)) {
            throw new HttpError(400, "type " + ns + "/" + name + " to confirm the deletion");
          }
          views.postgresqls().inNamespace(ns).withName(name).delete();
          return JSON.createObjectNode()
              .put("namespace", ns)
              .put("name", name)
              .put("deleted", true);
        });
  }
}
