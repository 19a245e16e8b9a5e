package dev.cornac.testkit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.List;

/**
 * Failure responses worded and shaped as kube-apiserver sends them: a {@code Status} object with a
 * reason.
 */
final class StatusBodies {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private StatusBodies() {}

  static MockResponse unauthorized() {
    return response(401, "Unauthorized", "Unauthorized", null);
  }

  static MockResponse forbidden(Identity who, RequestAttributes a) {
    String scope =
        a.namespace().isEmpty()
                || a.resource().equals("namespaces") && a.name().equals(a.namespace())
            ? "at the cluster scope"
            : "in the namespace \"" + a.namespace() + "\"";
    String subject =
        a.resourceRequest()
            ? a.resourceWithSubresource() + (a.name().isEmpty() ? "" : " \"" + a.name() + "\"")
            : "forbidden: User";
    String message =
        a.resourceRequest()
            ? subject
                + " is forbidden: User \""
                + who.user()
                + "\" cannot "
                + a.verb()
                + " resource \""
                + a.resourceWithSubresource()
                + "\" in API group \""
                + a.group()
                + "\" "
                + scope
            : "forbidden: User \""
                + who.user()
                + "\" cannot "
                + a.verb()
                + " path \""
                + a.path()
                + "\"";
    ObjectNode details = F.objectNode();
    if (!a.name().isEmpty()) {
      details.put("name", a.name());
    }
    details.put("group", a.group()).put("kind", a.resource());
    return response(403, "Forbidden", message, details);
  }

  static MockResponse forbiddenEscalation(Identity who, RequestAttributes a, List<String> missing) {
    String message =
        a.resource()
            + " \""
            + a.name()
            + "\" is forbidden: user \""
            + who.user()
            + "\" is attempting to grant RBAC permissions not currently held: "
            + missing;
    return response(
        403,
        "Forbidden",
        message,
        F.objectNode().put("group", a.group()).put("kind", a.resource()));
  }

  static MockResponse namespaceNotFound(String namespace) {
    return response(
        404,
        "NotFound",
        "namespaces \"" + namespace + "\" not found",
        F.objectNode().put("name", namespace).put("kind", "namespaces"));
  }

  /** 422 for a custom resource that its CRD's schema refuses, one cause per field. */
  static MockResponse invalid(
      String kind, String group, String name, List<StructuralSchema.FieldError> errors) {
    List<String> messages = errors.stream().map(StructuralSchema.FieldError::message).toList();
    String joined =
        messages.size() == 1 ? messages.get(0) : "[" + String.join(", ", messages) + "]";
    ObjectNode details = F.objectNode().put("name", name).put("group", group).put("kind", kind);
    ArrayNode causes = details.putArray("causes");
    for (StructuralSchema.FieldError e : errors) {
      causes
          .addObject()
          .put("reason", e.reason())
          .put("message", e.message())
          .put("field", e.field());
    }
    return response(
        422, "Invalid", kind + "." + group + " \"" + name + "\" is invalid: " + joined, details);
  }

  static MockResponse unsupportedMediaType(String contentType) {
    return response(
        415,
        "UnsupportedMediaType",
        "the body of the request was in an unknown format - accepted "
            + "media types include: application/json-patch+json, application/merge-patch+json (got "
            + contentType
            + "; strategic merge and apply patches are not served by the test API server)",
        null);
  }

  static MockResponse notFound(RequestAttributes a) {
    return response(
        404,
        "NotFound",
        a.qualifiedResource() + " \"" + a.name() + "\" not found",
        F.objectNode().put("name", a.name()).put("group", a.group()).put("kind", a.resource()));
  }

  static MockResponse ok(ObjectNode body) {
    return new MockResponse().setResponseCode(201).setBody(body.toString());
  }

  private static MockResponse response(
      int code, String reason, String message, ObjectNode details) {
    ObjectNode status = F.objectNode().put("kind", "Status").put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Failure").put("message", message).put("reason", reason);
    if (details != null) {
      status.set("details", details);
    }
    status.put("code", code);
    return new MockResponse().setResponseCode(code).setBody(status.toString());
  }
}
