package dev.cornac.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The review APIs, answered from the same RBAC rules and tokens that guard every request: JOSDK's
 * start-up check of its Lease rights (SelfSubjectRulesReview), and the UI's token mode
 * (TokenReview, SubjectAccessReview).
 */
final class Reviews {
  private final RbacAuthorizer rbac;
  private final Function<String, Identity> tokens;

  Reviews(RbacAuthorizer rbac, Function<String, Identity> tokens) {
    this.rbac = rbac;
    this.tokens = tokens;
  }

  static boolean handles(RequestAttributes a) {
    return (a.group().equals("authorization.k8s.io")
            && List.of(
                    "selfsubjectrulesreviews", "selfsubjectaccessreviews", "subjectaccessreviews")
                .contains(a.resource()))
        || (a.group().equals("authentication.k8s.io") && a.resource().equals("tokenreviews"));
  }

  MockResponse answer(Identity who, RequestAttributes a, JsonNode request) {
    ObjectNode review =
        request.isObject()
            ? (ObjectNode) request.deepCopy()
            : JsonNodeFactory.instance.objectNode();
    ObjectNode status = review.putObject("status");
    JsonNode spec = review.path("spec");
    switch (a.resource()) {
      case "selfsubjectrulesreviews" -> rulesOf(who, spec.path("namespace").asText(""), status);
      case "selfsubjectaccessreviews" ->
          status.put("allowed", allowed(who, spec.path("resourceAttributes")));
      case "subjectaccessreviews" -> {
        List<String> groups = new ArrayList<>();
        spec.path("groups").forEach(g -> groups.add(g.asText()));
        status.put(
            "allowed",
            allowed(
                new Identity(spec.path("user").asText(), groups), spec.path("resourceAttributes")));
      }
      default -> {
        Identity reviewed = tokens.apply(spec.path("token").asText(""));
        status.put("authenticated", reviewed != null);
        if (reviewed != null) {
          ObjectNode user = status.putObject("user").put("username", reviewed.user());
          ArrayNode groups = user.putArray("groups");
          reviewed.groups().forEach(groups::add);
        }
      }
    }
    return new MockResponse().setResponseCode(201).setBody(review.toString());
  }

  private boolean allowed(Identity who, JsonNode attributes) {
    RequestAttributes a =
        new RequestAttributes(
            attributes.path("verb").asText(),
            true,
            attributes.path("group").asText(""),
            attributes.path("version").asText(""),
            attributes.path("namespace").asText(""),
            attributes.path("resource").asText(),
            attributes.path("subresource").asText(""),
            attributes.path("name").asText(""),
            "",
            Map.of(),
            "");
    return rbac.allows(who, a);
  }

  private void rulesOf(Identity who, String namespace, ObjectNode status) {
    ArrayNode resourceRules = status.putArray("resourceRules");
    ArrayNode nonResourceRules = status.putArray("nonResourceRules");
    if (who.isAdmin()) {
      ObjectNode all = resourceRules.addObject();
      all.putArray("verbs").add("*");
      all.putArray("apiGroups").add("*");
      all.putArray("resources").add("*");
    }
    for (RbacAuthorizer.Rule rule : rbac.rules(who, namespace)) {
      ObjectNode out =
          rule.nonResourceUrls().isEmpty()
              ? resourceRules.addObject()
              : nonResourceRules.addObject();
      out.set("verbs", array(out, rule.verbs()));
      if (rule.nonResourceUrls().isEmpty()) {
        out.set("apiGroups", array(out, rule.apiGroups()));
        out.set("resources", array(out, rule.resources()));
        if (!rule.resourceNames().isEmpty()) {
          out.set("resourceNames", array(out, rule.resourceNames()));
        }
      } else {
        out.set("nonResourceURLs", array(out, rule.nonResourceUrls()));
      }
    }
    status.put("incomplete", false);
  }

  private static ArrayNode array(ObjectNode factory, Iterable<String> values) {
    ArrayNode a = factory.arrayNode();
    values.forEach(a::add);
    return a;
  }
}
