package dev.cornac.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cornac.api.model.ManifestMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code cornac ui}: the web UI's pages (static, under {@code /}) and its JSON backend, with
 * upstream's paths where upstream has them: the routes, each read or write checked by {@link
 * AccessControl} (reads need a login unless anonymous reads are configured; writes a login, the
 * page's CSRF token, the owning team and, in token mode, Kubernetes RBAC), changes made by {@link
 * ClusterChanges}, pages read by {@link ClusterViews}. Kubernetes' refusals reach the user as
 * errors, never as success.
 */
public final class UiServer implements AutoCloseable {
  private static final ObjectMapper JSON = ManifestMapper.json();

  private final UiSettings settings;
  private final KubernetesClient client;
  private final AccessControl access;
  private final ClusterViews views;
  private final OperatorProxy operator;
  private final ClusterChanges changes;
  private final Javalin app;

  public UiServer(UiSettings settings, KubernetesClient client, String host) {
    this.settings = settings;
    this.client = client;
    AuditLog audit = new AuditLog();
    this.access = new AccessControl(settings, new Authenticator(settings, client), audit);
    this.views = new ClusterViews(client, settings);
    this.operator = new OperatorProxy(settings.operatorApiUrl());
    this.changes = new ClusterChanges(settings, client, access, views, operator, audit);
    this.app =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.router.ignoreTrailingSlashes = true;
              config.staticFiles.add(
                  s -> {
                    s.hostedPath = "/";
                    s.directory = "/dev/cornac/ui/static";
                    s.location = Location.CLASSPATH;
                    s.headers =
                        Map.of(
                            "Cache-Control",
                            "no-cache",
                            "X-Frame-Options",
                            "DENY",
                            "Content-Security-Policy",
                            "default-src 'self'; frame-ancestors 'none'");
                  });
              routes(config.routes);
            });
    app.start(host, settings.port());
  }

  public int port() {
    return app.port();
  }

  private void routes(RoutesConfig r) {
    r.get("/health", ctx -> ctx.result("OK"));
    r.post("/login", ctx -> json(ctx, access.login(ctx)));
    r.post(
        "/logout",
        ctx -> {
          access.logout(ctx);
          json(ctx, JSON.createObjectNode());
        });
    r.get(
        "/session",
        ctx -> {
          Optional<AccessControl.Principal> p = access.principal(ctx);
          if (p.isEmpty() && !settings.anonymousRead()) {
            throw new HttpError(401, "log in first");
          }
          ObjectNode out = JSON.createObjectNode();
          out.put("user", p.map(principal -> principal.user().name()).orElse(""));
          out.put(
              "csrf",
              p.flatMap(AccessControl.Principal::session).map(Sessions.Session::csrf).orElse(""));
          out.put("authMode", settings.auth().name().toLowerCase(Locale.ROOT));
          out.put("readOnly", settings.readOnly() || p.isEmpty());
          json(ctx, out);
        });
    r.get(
        "/config",
        ctx -> {
          access.reader(ctx);
          ObjectNode out = settings.uiConfig().deepCopy();
          out.put("target_namespace", settings.targetNamespace());
          out.put("read_only_mode", settings.readOnly());
          out.put("superuser_team", settings.superuserTeam());
          ArrayNode namespaces = out.putArray("namespaces");
          if (settings.confinedNamespace() != null) {
            namespaces.add(settings.confinedNamespace());
          } else {
            client.namespaces().list().getItems().stream()
                .map(n -> n.getMetadata().getName())
                .filter(n -> !n.equals("kube-public") && !n.equals("kube-system"))
                .sorted()
                .forEach(namespaces::add);
          }
          json(ctx, out);
        });
    r.get(
        "/teams",
        ctx -> {
          access.reader(ctx);
          json(ctx, JSON.valueToTree(settings.teams()));
        });
    r.get(
        "/postgresqls",
        ctx -> {
          access.reader(ctx);
          json(ctx, views.list());
        });
    r.get(
        "/postgresqls/{namespace}/{name}",
        ctx -> {
          access.reader(ctx);
          GenericKubernetesResource g = existing(ctx);
          ObjectNode out = JSON.createObjectNode();
          ObjectNode manifest = ClusterViews.userManifest(g);
          out.set("manifest", manifest);
          out.put("yaml", ManifestMapper.toYaml(manifest));
          out.set("form", JSON.valueToTree(ClusterForm.of(manifest)));
          json(ctx, out);
        });
    r.get(
        "/postgresqls/{namespace}/{name}/details",
        ctx -> {
          access.reader(ctx);
          json(ctx, views.details(existing(ctx)));
        });
    r.get(
        "/postgresqls/{namespace}/{name}/backups",
        ctx -> {
          access.reader(ctx);
          json(
              ctx,
              operator.get("/clusters/" + namespace(ctx) + "/" + clusterName(ctx) + "/backups/"));
        });
    r.post(
        "/preview",
        ctx -> {
          access.reader(ctx);
          json(ctx, changes.preview(JSON.readTree(ctx.body())));
        });
    r.post("/create-cluster", ctx -> json(ctx, changes.create(ctx)));
    r.post("/postgresqls/{namespace}/{name}", ctx -> json(ctx, changes.edit(ctx, existing(ctx))));
    r.delete(
        "/postgresqls/{namespace}/{name}", ctx -> json(ctx, changes.delete(ctx, existing(ctx))));
    r.get(
        "/operator/status",
        ctx -> {
          access.reader(ctx);
          ObjectNode out = JSON.createObjectNode();
          out.set("status", operator.get("/status/"));
          out.set("workers", operator.get("/workers/all/status/"));
          json(ctx, out);
        });
    r.get(
        "/operator/workers/{id}/logs",
        ctx -> {
          access.reader(ctx);
          json(ctx, operator.get("/workers/" + Integer.parseInt(ctx.pathParam("id")) + "/logs/"));
        });
    r.get(
        "/operator/workers/{id}/queue",
        ctx -> {
          access.reader(ctx);
          json(ctx, operator.get("/workers/" + Integer.parseInt(ctx.pathParam("id")) + "/queue/"));
        });
    r.get(
        "/operator/clusters/{namespace}/{name}/logs",
        ctx -> {
          access.reader(ctx);
          String ns = namespace(ctx);
          json(ctx, operator.get("/clusters/" + ns + "/" + clusterName(ctx) + "/logs/"));
        });
    r.exception(HttpError.class, (e, ctx) -> error(ctx, e, e.getMessage()));
    r.exception(KubernetesClientException.class, (e, ctx) -> error(ctx, e, kubernetesMessage(e)));
    r.exception(IllegalStateException.class, (e, ctx) -> error(ctx, e, e.getMessage()));
    r.exception(
        JsonProcessingException.class,
        (e, ctx) -> error(ctx, e, "the request body is not valid JSON: " + e.getOriginalMessage()));
    r.exception(
        NumberFormatException.class, (e, ctx) -> error(ctx, e, "not a number: " + e.getMessage()));
  }

  // clusters
  // ---------------------------------------------------------------------------------------------------------

  private String namespace(Context ctx) {
    String ns = ctx.pathParam("namespace");
    access.guardNamespace(ns);
    return ns;
  }

  private static String clusterName(Context ctx) {
    String name = ctx.pathParam("name");
    if (!ClusterChanges.NAME.matcher(name).matches()) {
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

  // answers
  // ----------------------------------------------------------------------------------------------------------

  private static void json(Context ctx, JsonNode body) throws Exception {
    ctx.contentType("application/json").result(JSON.writeValueAsString(body));
  }

  private static void error(Context ctx, Exception e, String message) {
    ctx.status(HttpError.statusOf(e))
        .contentType("application/json")
        .result(JSON.createObjectNode().put("error", message).toString());
  }

  /** Kubernetes' own explanation (its Status message), never a stack trace. */
  private static String kubernetesMessage(KubernetesClientException e) {
    String message =
        e.getStatus() != null && e.getStatus().getMessage() != null
            ? e.getStatus().getMessage()
            : e.getMessage();
    return "Kubernetes refused the request: " + message;
  }

  @Override
  public void close() {
    app.stop();
  }
}
