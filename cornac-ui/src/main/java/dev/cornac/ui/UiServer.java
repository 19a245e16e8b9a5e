package dev.cornac.ui;

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
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import io.javalin.http.staticfiles.Location;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code cornac ui}: the web UI's pages (static, under {@code /}) and its JSON backend, with upstream's paths where
 * upstream has them. Reads need a login unless anonymous reads are configured; writes need a login, the page's CSRF
 * token, the owning team (or the superuser team) and, in token mode, Kubernetes RBAC. Kubernetes' refusals reach the
 * user as errors, never as success.
 */
public final class UiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UiServer.class);
  private static final ObjectMapper JSON = ManifestMapper.json();
  private static final Pattern NAME = Pattern.compile("^[a-z0-9]+[a-z0-9\\-]+[a-z0-9]+$");
  private static final int MAX_NAME = 53;

  private final UiSettings settings;
  private final KubernetesClient client;
  private final Authenticator auth;
  private final Sessions sessions;
  private final ClusterViews views;
  private final OperatorConfig planConfig;
  private final OperatorProxy operator;
  private final ManifestValidator validator;
  private final Javalin app;

  /** What a request may do, once authenticated. */
  record Principal(Authenticator.User user, Optional<Sessions.Session> session, String bearer) {}

  static final class HttpError extends RuntimeException {
    final int status;

    HttpError(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  public UiServer(UiSettings settings, KubernetesClient client, String host) {
    this.settings = settings;
    this.client = client;
    this.auth = new Authenticator(settings, client);
    this.sessions = new Sessions(Clock.systemUTC());
    this.views = new ClusterViews(client, settings);
    this.operator = new OperatorProxy(settings.operatorApiUrl());
    // The operator's own rules, with upstream UI's name rule: <team>-<name>.
    this.validator = new ManifestValidator(OperatorConfig.defaults().with("enable_team_id_clustername_prefix", true));
    this.planConfig = OperatorConfig.defaults().with("cluster_name_label", settings.clusterNameLabel())
        .with("pod_role_label", settings.podRoleLabel());
    this.app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.router.ignoreTrailingSlashes = true;
      config.staticFiles.add(s -> {
        s.hostedPath = "/";
        s.directory = "/dev/cornac/ui/static";
        s.location = Location.CLASSPATH;
        s.headers = java.util.Map.of("Cache-Control", "no-cache", "X-Frame-Options", "DENY",
            "Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
      });
      routes(config.routes);
    });
    app.start(host, settings.port());
  }

  public int port() {
    return app.port();
  }

  private void routes(io.javalin.config.RoutesConfig r) {
    r.get("/health", ctx -> ctx.result("OK"));
    r.post("/login", this::login);
    r.post("/logout", ctx -> {
      sessions.close(ctx.cookie(Sessions.COOKIE));
      ctx.removeCookie(Sessions.COOKIE, "/");
      json(ctx, JSON.createObjectNode());
    });
    r.get("/session", ctx -> {
      Optional<Principal> p = principal(ctx);
      if (p.isEmpty() && !settings.anonymousRead()) {
        throw new HttpError(401, "log in first");
      }
      ObjectNode out = JSON.createObjectNode();
      out.put("user", p.map(principal -> principal.user().name()).orElse(""));
      out.put("csrf", p.flatMap(Principal::session).map(Sessions.Session::csrf).orElse(""));
      out.put("authMode", settings.auth().name().toLowerCase(java.util.Locale.ROOT));
      out.put("readOnly", settings.readOnly() || p.isEmpty());
      json(ctx, out);
    });
    r.get("/config", ctx -> {
      reader(ctx);
      ObjectNode out = settings.uiConfig().deepCopy();
      out.put("target_namespace", settings.targetNamespace());
      out.put("read_only_mode", settings.readOnly());
      out.put("superuser_team", settings.superuserTeam());
      ArrayNode namespaces = out.putArray("namespaces");
      if (settings.confinedNamespace() != null) {
        namespaces.add(settings.confinedNamespace());
      } else {
        client.namespaces().list().getItems().stream().map(n -> n.getMetadata().getName())
            .filter(n -> !n.equals("kube-public") && !n.equals("kube-system")).sorted().forEach(namespaces::add);
      }
      json(ctx, out);
    });
    r.get("/teams", ctx -> {
      reader(ctx);
      json(ctx, JSON.valueToTree(settings.teams()));
    });
    r.get("/postgresqls", ctx -> {
      reader(ctx);
      json(ctx, views.list());
    });
    r.get("/postgresqls/{namespace}/{name}", ctx -> {
      reader(ctx);
      GenericKubernetesResource g = existing(ctx);
      ObjectNode out = JSON.createObjectNode();
      ObjectNode manifest = ClusterViews.userManifest(g);
      out.set("manifest", manifest);
      out.put("yaml", ManifestMapper.toYaml(manifest));
      out.set("form", JSON.valueToTree(ClusterForm.of(manifest)));
      json(ctx, out);
    });
    r.get("/postgresqls/{namespace}/{name}/details", ctx -> {
      reader(ctx);
      json(ctx, views.details(existing(ctx)));
    });
    r.get("/postgresqls/{namespace}/{name}/backups", ctx -> {
      reader(ctx);
      json(ctx, operator.get("/clusters/" + namespace(ctx) + "/" + clusterName(ctx) + "/backups/"));
    });
    r.post("/preview", ctx -> {
      reader(ctx);
      json(ctx, preview(JSON.readTree(ctx.body())));
    });
    r.post("/create-cluster", this::create);
    r.post("/postgresqls/{namespace}/{name}", this::edit);
    r.delete("/postgresqls/{namespace}/{name}", this::delete);
    r.get("/operator/status", ctx -> {
      reader(ctx);
      ObjectNode out = JSON.createObjectNode();
      out.set("status", operator.get("/status/"));
      out.set("workers", operator.get("/workers/all/status/"));
      json(ctx, out);
    });
    r.get("/operator/workers/{id}/logs", ctx -> {
      reader(ctx);
      json(ctx, operator.get("/workers/" + Integer.parseInt(ctx.pathParam("id")) + "/logs/"));
    });
    r.get("/operator/workers/{id}/queue", ctx -> {
      reader(ctx);
      json(ctx, operator.get("/workers/" + Integer.parseInt(ctx.pathParam("id")) + "/queue/"));
    });
    r.get("/operator/clusters/{namespace}/{name}/logs", ctx -> {
      reader(ctx);
      String ns = namespace(ctx);
      json(ctx, operator.get("/clusters/" + ns + "/" + clusterName(ctx) + "/logs/"));
    });
    r.exception(HttpError.class, (e, ctx) -> error(ctx, e.status, e.getMessage()));
    r.exception(KubernetesClientException.class, (e, ctx) -> error(ctx, kubernetesStatus(e), kubernetesMessage(e)));
    r.exception(IllegalStateException.class, (e, ctx) -> error(ctx, 502, e.getMessage()));
    r.exception(com.fasterxml.jackson.core.JsonProcessingException.class, (e, ctx) ->
        error(ctx, 400, "the request body is not valid JSON: " + e.getOriginalMessage()));
    r.exception(NumberFormatException.class, (e, ctx) -> error(ctx, 400, "not a number: " + e.getMessage()));
  }

  // authentication ---------------------------------------------------------------------------------------------------

  private void login(Context ctx) throws Exception {
    JsonNode body = JSON.readTree(ctx.body());
    Optional<Authenticator.User> user;
    String bearer = null;
    if (settings.auth() == UiSettings.AuthMode.BASIC) {
      user = auth.password(body.path("username").asText(null), body.path("password").asText(null));
    } else {
      bearer = body.path("token").asText(null);
      user = auth.token(bearer);
    }
    if (user.isEmpty()) {
      throw new HttpError(401, settings.auth() == UiSettings.AuthMode.BASIC ? "wrong user name or password"
          : "the token was not accepted by Kubernetes (TokenReview)");
    }
    Sessions.Session s = sessions.open(user.get().name(), bearer);
    Cookie cookie = new Cookie(Sessions.COOKIE, s.id());
    cookie.setHttpOnly(true);
    cookie.setPath("/");
    cookie.setSameSite(SameSite.STRICT);
    ctx.cookie(cookie);
    json(ctx, JSON.createObjectNode().put("user", s.user()).put("csrf", s.csrf()));
  }

  /** The caller: a browser session, or an Authorization header (Basic or Bearer, for API clients). */
  private Optional<Principal> principal(Context ctx) {
    Optional<Sessions.Session> session = sessions.find(ctx.cookie(Sessions.COOKIE));
    if (session.isPresent()) {
      return Optional.of(new Principal(Authenticator.User.named(session.get().user()), session,
          session.get().bearer()));
    }
    String header = ctx.header("Authorization");
    if (header == null) {
      return Optional.empty();
    }
    if (header.startsWith("Basic ")) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()),
            java.nio.charset.StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
      int colon = decoded.indexOf(':');
      return colon < 0 ? Optional.empty() : auth.password(decoded.substring(0, colon), decoded.substring(colon + 1))
          .map(u -> new Principal(u, Optional.empty(), null));
    }
    if (header.startsWith("Bearer ")) {
      String token = header.substring(7).strip();
      return auth.token(token).map(u -> new Principal(u, Optional.empty(), token));
    }
    return Optional.empty();
  }

  private Optional<Principal> reader(Context ctx) {
    Optional<Principal> p = principal(ctx);
    if (p.isEmpty() && !settings.anonymousRead()) {
      throw new HttpError(401, "log in first");
    }
    return p;
  }

  /** A write: logged in, CSRF token for browser sessions, not read-only, owning team, RBAC in token mode. */
  private Principal writer(Context ctx, String namespace, String team, String verb) {
    Principal p = principal(ctx).orElseThrow(() -> new HttpError(401, "log in to make changes"));
    if (p.session().isPresent()) {
      String sent = ctx.header(Sessions.CSRF_HEADER);
      if (sent == null || !java.security.MessageDigest.isEqual(sent.getBytes(java.nio.charset.StandardCharsets.UTF_8),
          p.session().get().csrf().getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
        throw new HttpError(403, "missing or wrong " + Sessions.CSRF_HEADER + " header; reload the page");
      }
    }
    if (settings.readOnly()) {
      throw new HttpError(403, "UI is in read-only mode for production");
    }
    guardNamespace(namespace);
    String owner = team == null ? "" : team.toLowerCase(java.util.Locale.ROOT);
    boolean member = settings.teams().stream().map(t -> t.toLowerCase(java.util.Locale.ROOT))
        .anyMatch(t -> t.equals(settings.superuserTeam().toLowerCase(java.util.Locale.ROOT)) || t.equals(owner));
    if (!member) {
      throw new HttpError(401, "Not a member of the owning team");
    }
    Authenticator.User who = p.user();
    if (settings.auth() == UiSettings.AuthMode.TOKEN && p.session().isPresent()) {
      // A session keeps the token, not what it stood for: reviewed again, the check sees the user's groups (which
      // RBAC bindings name) as they are now, and a revoked token writes nothing.
      who = auth.token(p.bearer()).orElseThrow(() -> new HttpError(401, "Kubernetes no longer accepts the token "
          + "of this session (TokenReview); log in again"));
    }
    if (!auth.allowed(who, verb, namespace)) {
      throw new HttpError(403, who.name() + " may not " + verb + " postgresqls in namespace " + namespace
          + " (Kubernetes RBAC)");
    }
    return p;
  }

  private void guardNamespace(String namespace) {
    String confined = settings.confinedNamespace();
    if (confined != null && !confined.equals(namespace)) {
      throw new HttpError(403, "The Kubernetes namespace must be " + confined);
    }
  }

  // clusters ---------------------------------------------------------------------------------------------------------

  private String namespace(Context ctx) {
    String ns = ctx.pathParam("namespace");
    guardNamespace(ns);
    return ns;
  }

  private static String clusterName(Context ctx) {
    String name = ctx.pathParam("name");
    if (!NAME.matcher(name).matches()) {
      throw new HttpError(400, "\"" + name + "\" is not a cluster name");
    }
    return name;
  }

  private GenericKubernetesResource existing(Context ctx) {
    String ns = namespace(ctx);
    String name = clusterName(ctx);
    GenericKubernetesResource g = views.postgresqls().inNamespace(ns).withName(name).get();
    if (g == null) {
      throw new HttpError(404, "there is no cluster " + name + " in namespace " + ns);
    }
    return g;
  }

  /** The YAML a form or a YAML text becomes, with every problem the operator would find in it. */
  ObjectNode preview(JsonNode body) {
    Optional<GenericKubernetesResource> edited = Optional.empty();
    if (body.has("edit")) {
      String ns = body.path("edit").path("namespace").asText("");
      String name = body.path("edit").path("name").asText("");
      guardNamespace(ns);
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
          throw new HttpError(400, "the YAML is not a postgresql manifest (an object with metadata and spec)");
        }
        manifest = (ObjectNode) parsed;
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        ObjectNode out = JSON.createObjectNode();
        out.put("yaml", body.path("yaml").asText(""));
        out.putArray("errors").add("YAML: " + e.getOriginalMessage());
        out.putArray("warnings");
        return out;
      }
    } else if (edited.isPresent()) {
      manifest = JSON.convertValue(body.path("form"), ClusterForm.class).applyTo(ClusterViews.userManifest(
          edited.get()));
    } else {
      manifest = JSON.convertValue(body.path("form"), ClusterForm.class).toManifest();
    }
    ObjectNode out = JSON.createObjectNode();
    out.put("yaml", ManifestMapper.toYaml(manifest));
    out.set("manifest", manifest);
    ArrayNode errors = out.putArray("errors");
    ArrayNode warnings = out.putArray("warnings");
    problems(manifest).forEach(v -> (v.isError() ? errors : warnings).add(v.message()));
    if (manifest.path("spec").path("clone").has("timestamp")) {
      try {
        requireRestorable(manifest.path("metadata").path("namespace").asText("default"),
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
   * What applying the edit would do (the same plan as {@code cornac diff}): the stored cluster's objects against
   * the edited manifest's, under the configuration the UI validates with, and the running pods for the roll order.
   */
  private ObjectNode plan(GenericKubernetesResource stored, ObjectNode manifest) {
    String ns = stored.getMetadata().getNamespace();
    Postgresql before = ManifestMapper.convert(stored, Postgresql.class);
    Postgresql after = ManifestMapper.convert(manifest, Postgresql.class);
    after.getMetadata().setNamespace(ns);
    after.getMetadata().setUid(stored.getMetadata().getUid());
    Cluster was = new Cluster(before, planConfig);
    Cluster now = new Cluster(after, planConfig);
    List<Pod> pods = client.pods().inNamespace(ns).withLabel(settings.clusterNameLabel(),
        stored.getMetadata().getName()).list().getItems();
    ChangePlan plan = ChangePlanner.plan(now, DesiredStateGenerator.generate(now, Credentials.placeholder()),
        new ChangePlanner.Current(Optional.of(was.spec()), DesiredStateGenerator.generate(was,
            Credentials.placeholder()).inCreationOrder(), pods, Set.of()), Instant.now());
    return ChangePlanJson.of(plan, "the cluster as stored");
  }

  private java.util.List<Violation> problems(ObjectNode manifest) {
    java.util.List<Violation> out = new java.util.ArrayList<>();
    String name = manifest.path("metadata").path("name").asText("");
    if (name.isEmpty()) {
      out.add(Violation.error("metadata.name", null, "is required", "give the cluster a name"));
    } else if (name.length() > MAX_NAME) {
      out.add(Violation.error("metadata.name", name, "is longer than " + MAX_NAME + " characters",
          "use a shorter name"));
    } else if (!NAME.matcher(name).matches()) {
      out.add(Violation.error("metadata.name", name, "may only contain lower-case letters, digits and dashes, "
          + "starting and ending with a letter or digit", "for example acid-orders"));
    }
    if (manifest.path("metadata").path("namespace").asText("").isEmpty()) {
      out.add(Violation.error("metadata.namespace", null, "is required", "choose a namespace"));
    }
    ValidationResult result = validator.validate(manifest);
    out.addAll(result.violations());
    return out;
  }

  private void create(Context ctx) throws Exception {
    JsonNode body = JSON.readTree(ctx.body());
    ObjectNode manifest = body.has("yaml") || body.has("form") ? (ObjectNode) preview(body).get("manifest")
        : (ObjectNode) body;
    String ns = manifest.path("metadata").path("namespace").asText("default");
    writer(ctx, ns, manifest.path("spec").path("teamId").asText(""), "create");
    requireValid(manifest);
    requireRestorable(ns, manifest.path("spec").path("clone"));
    GenericKubernetesResource g = JSON.convertValue(manifest, GenericKubernetesResource.class);
    GenericKubernetesResource created = views.postgresqls().inNamespace(ns).resource(g).create();
    LOG.info("created postgresql {}/{}", ns, created.getMetadata().getName());
    json(ctx, JSON.createObjectNode().put("namespace", ns).put("name", created.getMetadata().getName()));
  }

  /** A point-in-time clone must ask for a time inside the source's recoverable range, as the archive says. */
  private void requireRestorable(String ns, JsonNode clone) {
    String timestamp = clone.path("timestamp").asText("");
    if (timestamp.isEmpty()) {
      return;
    }
    java.time.Instant at;
    try {
      at = java.time.OffsetDateTime.parse(timestamp).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      throw new HttpError(400, "spec.clone.timestamp " + timestamp + " is not a time with an offset, like "
          + "2026-11-28T07:30:00+00:00");
    }
    String source = clone.path("cluster").asText("");
    JsonNode backups = operator.get("/clusters/" + ns + "/" + source + "/backups/");
    String earliest = backups.path("Earliest").asText(null);
    String latest = backups.path("Latest").asText(null);
    if (earliest == null || latest == null) {
      throw new HttpError(400, source + " has no base backup in its archive yet; a point-in-time clone needs one");
    }
    if (at.isBefore(java.time.Instant.parse(earliest)) || at.isAfter(java.time.Instant.parse(latest))) {
      throw new HttpError(400, "spec.clone.timestamp " + timestamp + " is outside the recoverable range of " + source
          + " (" + earliest + " to " + latest + "); choose a time inside it");
    }
  }

  private void requireValid(ObjectNode manifest) {
    java.util.List<String> errors = problems(manifest).stream().filter(Violation::isError).map(Violation::message)
        .toList();
    if (!errors.isEmpty()) {
      throw new HttpError(400, String.join("; ", errors));
    }
  }

  /** Edit by form (only the form's fields change) or by YAML (the whole manifest, as written). */
  private void edit(Context ctx) throws Exception {
    GenericKubernetesResource current = existing(ctx);
    String ns = current.getMetadata().getNamespace();
    String name = current.getMetadata().getName();
    JsonNode body = JSON.readTree(ctx.body());
    ObjectNode currentTree = JSON.valueToTree(current);
    writer(ctx, ns, currentTree.path("spec").path("teamId").asText(""), "update");
    ObjectNode updated;
    if (body.has("yaml")) {
      JsonNode parsed = ManifestMapper.yaml().readTree(body.path("yaml").asText(""));
      if (parsed == null || !parsed.isObject()) {
        throw new HttpError(400, "the YAML is not a postgresql manifest");
      }
      updated = (ObjectNode) parsed;
      if (!name.equals(updated.path("metadata").path("name").asText())
          || !ns.equals(updated.path("metadata").path("namespace").asText(ns))) {
        throw new HttpError(400, "metadata.name and metadata.namespace cannot change; create a new cluster (or a "
            + "clone) instead");
      }
      ((ObjectNode) updated.path("metadata")).put("namespace", ns);
      if (!updated.path("spec").path("teamId").asText("").equals(currentTree.path("spec").path("teamId").asText(""))) {
        writer(ctx, ns, updated.path("spec").path("teamId").asText(""), "update");
      }
      ((ObjectNode) updated.path("metadata")).put("resourceVersion", current.getMetadata().getResourceVersion());
    } else {
      ClusterForm form = JSON.convertValue(body.path("form"), ClusterForm.class);
      updated = form.applyTo(currentTree.deepCopy());
    }
    // The status is the operator's, written through the status subresource: the API server ignores it in an update
    // of the resource, so the UI sends none rather than pretend to keep it.
    updated.remove("status");
    requireValid(updated);
    GenericKubernetesResource g = JSON.convertValue(updated, GenericKubernetesResource.class);
    try {
      views.postgresqls().inNamespace(ns).resource(g).update();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        throw new HttpError(409, "the cluster changed while you edited it; reload the page and apply again");
      }
      throw e;
    }
    LOG.info("updated postgresql {}/{}", ns, name);
    json(ctx, JSON.createObjectNode().put("namespace", ns).put("name", name));
  }

  private void delete(Context ctx) throws Exception {
    GenericKubernetesResource current = existing(ctx);
    String ns = current.getMetadata().getNamespace();
    String name = current.getMetadata().getName();
    JsonNode tree = JSON.valueToTree(current);
    writer(ctx, ns, tree.path("spec").path("teamId").asText(""), "delete");
    String confirm = ctx.queryParam("confirm");
    if (!(ns + "/" + name).equals(confirm)) {
      throw new HttpError(400, "type " + ns + "/" + name + " to confirm the deletion");
    }
    views.postgresqls().inNamespace(ns).withName(name).delete();
    LOG.info("deleted postgresql {}/{}", ns, name);
    json(ctx, JSON.createObjectNode().put("namespace", ns).put("name", name).put("deleted", true));
  }

  // answers ----------------------------------------------------------------------------------------------------------

  private static void json(Context ctx, JsonNode body) throws Exception {
    ctx.contentType("application/json").result(JSON.writeValueAsString(body));
  }

  private static void error(Context ctx, int status, String message) {
    ctx.status(status).contentType("application/json")
        .result(JSON.createObjectNode().put("error", message).toString());
  }

  private static int kubernetesStatus(KubernetesClientException e) {
    return e.getCode() >= 400 && e.getCode() < 600 ? e.getCode() : 502;
  }

  /** Kubernetes' own explanation (its Status message), never a stack trace. */
  private static String kubernetesMessage(KubernetesClientException e) {
    String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
        : e.getMessage();
    return "Kubernetes refused the request: " + message;
  }

  @Override
  public void close() {
    app.stop();
  }
}
