package dev.cornac.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Kubernetes' garbage collector over the test store: when an object is gone, its dependents
 * (objects whose {@code ownerReferences} name its uid) are deleted in the background, after the
 * owner, as the real collector does; a dependent that another live owner still holds only loses the
 * reference. {@code propagationPolicy: Orphan} strips the references instead, and {@code
 * Foreground} deletes the dependents before the owner (the real server keeps the owner with a
 * {@code foregroundDeletion} finalizer until then; here the owner simply goes last).
 */
final class GarbageCollector {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesCrudDispatcher store;
  private final Function<String, ObjectNode> stored;
  private final Map<String, String> pathByUid = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> dependentsByOwner = new ConcurrentHashMap<>();
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "test-api-garbage-collector");
            t.setDaemon(true);
            return t;
          });

  GarbageCollector(KubernetesCrudDispatcher store, Function<String, ObjectNode> stored) {
    this.store = store;
    this.stored = stored;
  }

  /**
   * Indexes what a create or update left, or collects after an update that removed the last
   * finalizer.
   */
  void afterWrite(ObjectNode before, String objectPath) {
    ObjectNode now = stored.apply(objectPath);
    if (now == null) {
      if (before != null) {
        collectLater(uid(before), "Background");
      }
      return;
    }
    index(now, objectPath);
  }

  MockResponse delete(RequestAttributes a, RecordedRequest request, String body) {
    String policy = policy(a, body);
    List<String> candidates = new ArrayList<>();
    if (a.verb().equals("delete")) {
      ObjectNode before = stored.apply(a.path());
      if (before != null) {
        candidates.add(uid(before));
        index(before, a.path());
      }
    } else {
      pathByUid.forEach(
          (uid, path) -> {
            if (path.startsWith(a.path() + "/")) {
              candidates.add(uid);
            }
          });
    }
    if (policy.equals("Foreground") || policy.equals("Orphan")) {
      candidates.forEach(uid -> collect(uid, policy));
    }
    MockResponse response = store.dispatch(request);
    for (String uid : candidates) {
      String path = pathByUid.get(uid);
      ObjectNode now = path == null ? null : stored.apply(path);
      if (now == null || !uid.equals(uid(now))) {
        collectLater(uid, "Background");
      }
    }
    return response;
  }

  private void collectLater(String uid, String policy) {
    worker.execute(() -> collect(uid, policy));
  }

  private void collect(String ownerUid, String policy) {
    Set<String> dependents = dependentsByOwner.remove(ownerUid);
    if (!policy.equals("Orphan")) {
      pathByUid.remove(ownerUid);
    }
    if (dependents == null) {
      return;
    }
    for (String dependentUid : dependents) {
      String path = pathByUid.get(dependentUid);
      ObjectNode dependent = path == null ? null : stored.apply(path);
      if (dependent == null || !dependentUid.equals(uid(dependent))) {
        continue;
      }
      boolean otherLiveOwner = false;
      for (JsonNode ref : dependent.path("metadata").path("ownerReferences")) {
        String other = ref.path("uid").asText();
        if (!other.equals(ownerUid)
            && pathByUid.containsKey(other)
            && stored.apply(pathByUid.get(other)) != null) {
          otherLiveOwner = true;
        }
      }
      if (policy.equals("Orphan") || otherLiveOwner) {
        dropReference(dependent, path, ownerUid);
      } else {
        store.handleDelete(path);
        if (stored.apply(path) == null) {
          collect(dependentUid, "Background");
        }
      }
    }
  }

  private void dropReference(ObjectNode dependent, String path, String ownerUid) {
    ObjectNode copy = dependent.deepCopy();
    ArrayNode kept = JSON.createArrayNode();
    copy.path("metadata")
        .path("ownerReferences")
        .forEach(
            ref -> {
              if (!ref.path("uid").asText().equals(ownerUid)) {
                kept.add(ref);
              }
            });
    ObjectNode metadata = (ObjectNode) copy.get("metadata");
    if (kept.isEmpty()) {
      metadata.remove("ownerReferences");
    } else {
      metadata.set("ownerReferences", kept);
    }
    store.dispatch(
        new RecordedRequest(
            "HTTP/1.1",
            HttpMethod.PUT,
            path,
            Headers.builder().add("Content-Type", "application/json").build(),
            new Buffer().writeUtf8(copy.toString())));
  }

  private void index(ObjectNode object, String path) {
    String uid = uid(object);
    if (uid.isEmpty()) {
      return;
    }
    pathByUid.put(uid, path);
    for (JsonNode ref : object.path("metadata").path("ownerReferences")) {
      dependentsByOwner
          .computeIfAbsent(ref.path("uid").asText(), k -> ConcurrentHashMap.newKeySet())
          .add(uid);
    }
  }

  private static String policy(RequestAttributes a, String body) {
    String fromQuery = a.query().get("propagationPolicy");
    if (fromQuery != null) {
      return fromQuery;
    }
    try {
      JsonNode options = body == null || body.isBlank() ? null : JSON.readTree(body);
      if (options != null && options.has("propagationPolicy")) {
        return options.get("propagationPolicy").asText();
      }
      if (options != null
          && options.has("orphanDependents")
          && options.get("orphanDependents").asBoolean()) {
        return "Orphan";
      }
    } catch (IOException e) {
      // not DeleteOptions: the default applies
    }
    return "Background";
  }

  private static String uid(JsonNode object) {
    return object.path("metadata").path("uid").asText();
  }

  /**
   * Waits until every collection already scheduled has run: for tests that assert what the
   * collector did.
   */
  void drain() throws Exception {
    worker.submit(() -> {}).get(10, TimeUnit.SECONDS);
  }

  void close() {
    worker.shutdownNow();
  }
}
