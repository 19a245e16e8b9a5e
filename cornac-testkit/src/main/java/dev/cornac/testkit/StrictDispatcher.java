package dev.cornac.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.internal.MockDispatcher;
import io.fabric8.mockwebserver.internal.SimpleRequest;
import io.fabric8.zjsonpatch.JsonPatch;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.function.Function;

/**
 * The request pipeline of the strict test API server, in the order kube-apiserver runs it:
 * authentication (bearer tokens), RBAC authorization, then admission — the namespace must exist, a
 * role may be bound only by who holds its rights, a custom resource must pass its CRD's schema
 * (pruned and defaulted), status travels only through the status subresource — before fabric8's
 * CRUD store persists the object. Deletions feed the garbage collector.
 */
final class StrictDispatcher extends Dispatcher {
  /**
   * Built-in kinds whose status only the status subresource writes (the real server's strategy for
   * each).
   */
  private static final Set<String> BUILT_IN_STATUS =
      Set.of(
          "/pods",
          "/services",
          "/persistentvolumeclaims",
          "/persistentvolumes",
          "/nodes",
          "/namespaces",
          "apps/statefulsets",
          "apps/deployments",
          "apps/replicasets",
          "apps/daemonsets",
          "batch/jobs",
          "batch/cronjobs",
          "policy/poddisruptionbudgets",
          "apiextensions.k8s.io/customresourcedefinitions",
          "networking.k8s.io/ingresses",
          "autoscaling/horizontalpodautoscalers");

  private final ObjectMapper json = new ObjectMapper();
  private final KubernetesCrudDispatcher store = new KubernetesCrudDispatcher();
  private final Map<ServerRequest, Queue<ServerResponse>> expectations;
  private final MockDispatcher expected;
  private final Function<String, Identity> tokens;
  private final RbacAuthorizer rbac;
  private final RbacUsage usage;
  private final GarbageCollector gc;
  private final Reviews reviews;
  private final Discovery discovery;
  private volatile Function<RequestAttributes, MockResponse> connect = a -> null;

  StrictDispatcher(
      Map<ServerRequest, Queue<ServerResponse>> expectations,
      Function<String, Identity> tokens,
      RbacUsage usage) {
    this.expectations = expectations;
    this.expected = new MockDispatcher(expectations);
    this.tokens = tokens;
    this.usage = usage;
    this.rbac = new RbacAuthorizer(this::list);
    this.gc = new GarbageCollector(store, this::stored);
    this.reviews = new Reviews(rbac, tokens);
    this.discovery =
        new Discovery(() -> list("/apis/apiextensions.k8s.io/v1/customresourcedefinitions"));
  }

  void drainGarbageCollector() throws Exception {
    gc.drain();
  }

  void close() {
    gc.close();
  }

  /** Who answers exec and port-forward requests once they are authorized. */
  void onConnect(Function<RequestAttributes, MockResponse> handler) {
    this.connect = handler;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    Identity who = authenticate(request.getHeader("Authorization"));
    if (who == null) {
      return StatusBodies.unauthorized();
    }
    RequestAttributes a = RequestAttributes.of(request.getMethod(), request.getPath());
    if (!rbac.allows(who, a)) {
      return StatusBodies.forbidden(who, a);
    }
    usage.record(who, a);
    Queue<ServerResponse> queued =
        expectations.get(
            new SimpleRequest(HttpMethod.valueOf(request.getMethod()), request.getPath()));
    if (queued != null && !queued.isEmpty()) {
      return expected.dispatch(request);
    }
    if (!a.resourceRequest()) {
      MockResponse document = a.verb().equals("get") ? discovery.answer(a.path()) : null;
      return document != null ? document : store.dispatch(request);
    }
    MockResponse connected = connect.apply(a);
    if (connected != null) {
      return connected;
    }
    String body = request.getBody() == null ? "" : request.getBody().readUtf8();
    try {
      if (a.verb().equals("create") && Reviews.handles(a)) {
        return reviews.answer(who, a, read(body));
      }
      return switch (a.verb()) {
        case "create", "update", "patch" -> write(who, a, request, body);
        case "delete", "deletecollection" -> gc.delete(a, request, body);
        default -> store.dispatch(request);
      };
    } catch (Rejected r) {
      return r.response;
    }
  }

  private Identity authenticate(String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return null;
    }
    return tokens.apply(authorization.substring("Bearer ".length()).trim());
  }

  private MockResponse write(
      Identity who, RequestAttributes a, RecordedRequest request, String body) {
    boolean status = a.subresource().equals("status");
    String objectPath =
        status ? a.path().substring(0, a.path().length() - "/status".length()) : a.path();
    ObjectNode current = null;
    if (!a.verb().equals("create")) {
      current = stored(objectPath);
      if (current == null) {
        return StatusBodies.notFound(a);
      }
    }
    ObjectNode desired =
        a.verb().equals("patch")
            ? patched(current, request.getHeader("Content-Type"), body)
            : (ObjectNode) read(body);
    if (a.verb().equals("create")) {
      requireNamespace(a);
    }
    if (a.group().equals("rbac.authorization.k8s.io") && a.resource().endsWith("bindings")) {
      checkEscalation(who, a, desired);
    }
    boolean hasStatusSubresource = statusSubresource(a);
    if (hasStatusSubresource && !status) {
      if (current == null) {
        desired.remove("status");
      } else if (current.has("status")) {
        desired.set("status", current.get("status"));
      } else {
        desired.remove("status");
      }
    }
    JsonNode schema = schema(a);
    if (schema != null) {
      ObjectNode admitted = desired;
      if (status) {
        // A status write is checked against the status schema alone: the stored spec may predate a
        // stricter CRD.
        admitted = current.deepCopy();
        ObjectNode statusOnly = admitted.objectNode();
        if (desired.has("status")) {
          statusOnly.set("status", desired.get("status"));
        }
        ObjectNode statusSchema = admitted.objectNode().put("type", "object");
        statusSchema
            .putObject("properties")
            .set("status", schema.path("properties").path("status"));
        List<StructuralSchema.FieldError> errors =
            new StructuralSchema(statusSchema).admit(statusOnly);
        if (!errors.isEmpty()) {
          return StatusBodies.invalid(a.resource(), a.group(), a.name(), errors);
        }
        if (statusOnly.has("status")) {
          admitted.set("status", statusOnly.get("status"));
        } else {
          admitted.remove("status");
        }
      } else {
        List<StructuralSchema.FieldError> errors = new StructuralSchema(schema).admit(admitted);
        if (!errors.isEmpty()) {
          String name = desired.path("metadata").path("name").asText(a.name());
          return StatusBodies.invalid(a.resource(), a.group(), name, errors);
        }
      }
      desired = admitted;
    }
    String method = a.verb().equals("create") ? "POST" : "PUT";
    MockResponse response =
        store.dispatch(
            new RecordedRequest(
                "HTTP/1.1",
                HttpMethod.valueOf(method),
                a.path() + query(request.getPath()),
                Headers.builder().add("Content-Type", "application/json").build(),
                new Buffer().writeUtf8(desired.toString())));
    String written =
        a.verb().equals("create")
            ? a.path() + "/" + desired.path("metadata").path("name").asText()
            : objectPath;
    gc.afterWrite(current, written);
    if (a.resource().equals("customresourcedefinitions") && !status && response.code() < 300) {
      establish(written);
    }
    return response;
  }

  /**
   * The CRD controller's part: names accepted and the CRD Established, as clients wait for before
   * using it.
   */
  private void establish(String crdPath) {
    ObjectNode crd = stored(crdPath);
    if (crd == null) {
      return;
    }
    ObjectNode status = crd.putObject("status");
    status.set("acceptedNames", crd.path("spec").path("names").deepCopy());
    ArrayNode conditions = status.putArray("conditions");
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    for (String type : List.of("NamesAccepted", "Established")) {
      conditions
          .addObject()
          .put("type", type)
          .put("status", "True")
          .put("lastTransitionTime", now)
          .put("reason", type.equals("Established") ? "InitialNamesAccepted" : "NoConflicts")
          .put(
              "message",
              type.equals("Established")
                  ? "the initial names have been accepted"
                  : "no conflicts found");
    }
    ArrayNode stored = status.putArray("storedVersions");
    crd.path("spec")
        .path("versions")
        .forEach(
            v -> {
              if (v.path("storage").asBoolean()) {
                stored.add(v.path("name").asText());
              }
            });
    store.dispatch(
        new RecordedRequest(
            "HTTP/1.1",
            HttpMethod.PUT,
            crdPath + "/status",
            Headers.builder().add("Content-Type", "application/json").build(),
            new Buffer().writeUtf8(crd.toString())));
  }

  private ObjectNode patched(ObjectNode current, String contentType, String body) {
    String type = contentType == null ? "" : contentType.split(";")[0].trim();
    JsonNode patch = read(body);
    return switch (type) {
      case "application/json-patch+json" -> (ObjectNode) JsonPatch.apply(patch, current);
      case "application/merge-patch+json" -> (ObjectNode) MergePatch.apply(current, patch);
      default -> throw new Rejected(StatusBodies.unsupportedMediaType(type));
    };
  }

  private void requireNamespace(RequestAttributes a) {
    if (a.namespace().isEmpty() || a.resource().equals("namespaces")) {
      return;
    }
    if (stored("/api/v1/namespaces/" + a.namespace()) == null) {
      throw new Rejected(StatusBodies.namespaceNotFound(a.namespace()));
    }
  }

  private void checkEscalation(Identity who, RequestAttributes a, ObjectNode binding) {
    JsonNode roleRef = binding.path("roleRef");
    List<String> missing = rbac.missingToBind(who, roleRef, a.namespace());
    if (!missing.isEmpty()) {
      String name = binding.path("metadata").path("name").asText(a.name());
      throw new Rejected(
          StatusBodies.forbiddenEscalation(
              who,
              new RequestAttributes(
                  a.verb(),
                  true,
                  a.group(),
                  a.version(),
                  a.namespace(),
                  a.resource(),
                  "",
                  name,
                  a.path(),
                  Map.of(),
                  ""),
              missing));
    }
    for (RbacAuthorizer.Rule rule : rbac.roleRules(roleRef, a.namespace())) {
      rule.verbs()
          .forEach(
              verb ->
                  rule.apiGroups()
                      .forEach(
                          group ->
                              rule.resources()
                                  .forEach(
                                      resource ->
                                          usage.recordHeldForBinding(who, verb, group, resource))));
    }
  }

  private boolean statusSubresource(RequestAttributes a) {
    if (BUILT_IN_STATUS.contains(a.group() + "/" + a.resource())) {
      return true;
    }
    JsonNode version = crdVersion(a);
    return version != null && version.path("subresources").has("status");
  }

  private JsonNode schema(RequestAttributes a) {
    JsonNode version = crdVersion(a);
    return version == null ? null : version.path("schema").path("openAPIV3Schema");
  }

  private JsonNode crdVersion(RequestAttributes a) {
    if (a.group().isEmpty() || !a.group().contains(".")) {
      return null;
    }
    ObjectNode crd =
        stored(
            "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/"
                + a.resource()
                + "."
                + a.group());
    if (crd == null) {
      return null;
    }
    for (JsonNode version : crd.path("spec").path("versions")) {
      if (version.path("name").asText().equals(a.version())) {
        return version;
      }
    }
    return null;
  }

  ObjectNode stored(String path) {
    MockResponse r = store.handleGet(path);
    if (r.code() != 200) {
      return null;
    }
    JsonNode node = read(r.getBody().readUtf8());
    return node instanceof ObjectNode o && o.has("metadata") && !o.has("items") ? o : null;
  }

  private List<JsonNode> list(String path) {
    MockResponse r = store.handleGet(path);
    List<JsonNode> out = new ArrayList<>();
    if (r.code() == 200) {
      read(r.getBody().readUtf8()).path("items").forEach(out::add);
    }
    return out;
  }

  JsonNode read(String body) {
    try {
      return body == null || body.isBlank() ? json.createObjectNode() : json.readTree(body);
    } catch (IOException e) {
      throw new Rejected(
          new MockResponse()
              .setResponseCode(400)
              .setBody(
                  "{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                      + "\"status\":\"Failure\",\"reason\":\"BadRequest\",\"code\":400,\"message\":\"the body is not JSON\"}"));
    }
  }

  private static String query(String rawPath) {
    int q = rawPath.indexOf('?');
    return q < 0 ? "" : rawPath.substring(q);
  }

  /** A request refused during admission, with the response to send. */
  static final class Rejected extends RuntimeException {
    final transient MockResponse response;

    Rejected(MockResponse response) {
      super(null, null, false, false);
      this.response = response;
    }
  }

  /** RFC 7386 JSON merge patch. */
  static final class MergePatch {
    private MergePatch() {}

    static JsonNode apply(JsonNode target, JsonNode patch) {
      if (!patch.isObject()) {
        return patch.deepCopy();
      }
      ObjectNode result =
          target != null && target.isObject()
              ? ((ObjectNode) target).deepCopy()
              : ((ObjectNode) patch).objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue().isNull()) {
          result.remove(e.getKey());
        } else {
          result.set(e.getKey(), apply(result.get(e.getKey()), e.getValue()));
        }
      }
      return result;
    }
  }
}
