package dev.cornac.testkit;

import static io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor.NAME;
import static io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor.PLURAL;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesResponseComposer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * fabric8's CRUD dispatcher with its lookups indexed by plural, namespace and name ({@link
 * CrudKeyIndex}). fabric8's own store compares every request with every stored object (and copies
 * its whole map first), so each request costs as much as the objects held: in the scale benchmark
 * the second 1000 clusters took 3.7 times as long as the first.
 *
 * <p>Everything that decides an answer stays fabric8's: its handlers for create, update, patch and
 * delete (resourceVersion, generation, 404 and 409, finalizers, status subresources), its watches,
 * and its {@link AttributeSet#matches} on every candidate the index gives. What changes is which
 * stored objects are compared: {@link #findResource} (the lookup of create, update and patch) and
 * GETs of one object or of a list look only at the objects of the request's plural, narrowed by
 * namespace and name when it names them; label and field selectors then filter those.
 *
 * <p>What subclassing cannot reach stays a scan of every object: fabric8's delete (its {@code
 * handle} and {@code processDelete} are private and run under its private lock, which the replay of
 * a new watch also takes, so a delete done here could change the map under a replay), the first
 * events of a new watch (its listener class is package-private), and queries that name no plural.
 * Writes must come through {@link #dispatch}: the {@code CrudDispatcher} methods that take a body
 * as a string, and {@link #getMap()}, bypass the index.
 */
public class IndexedCrudDispatcher extends KubernetesCrudDispatcher {
  /**
   * fabric8's discovery paths, answered from its CRD contexts when no stored object matches
   * (CustomResourceDefinitionProcessor's pattern, which is private).
   */
  private static final Pattern API_RESOURCES =
      Pattern.compile("/apis(/(?<group>[a-zA-Z0-9-_.]+))?(/(?<version>[a-zA-Z0-9-_]+))");

  /**
   * Taken around every write before fabric8's own lock, and by the reads served here, which do not
   * take fabric8's: a read never sees the map and the index apart.
   */
  private final ReadWriteLock lock = new ReentrantReadWriteLock();

  private final CrudKeyIndex index = new CrudKeyIndex();

  /** fabric8 keeps the current resourceVersion private; a list reports it. */
  private final AtomicLong resourceVersion = new AtomicLong();

  private final AtomicLong comparisons = new AtomicLong();

  public IndexedCrudDispatcher() {}

  public IndexedCrudDispatcher(List<CustomResourceDefinitionContext> crdContexts) {
    super(crdContexts);
  }

  /**
   * How many stored objects lookups have compared with a request so far: what the index saves is
   * seen here rather than in timings.
   */
  public long comparisons() {
    return comparisons.get();
  }

  @Override
  public MockResponse handleCreate(RecordedRequest request) {
    return holding(lock.writeLock(), () -> super.handleCreate(request));
  }

  @Override
  public MockResponse handleUpdate(RecordedRequest request) {
    return holding(lock.writeLock(), () -> super.handleUpdate(request));
  }

  @Override
  public MockResponse handlePatch(RecordedRequest request) {
    return holding(lock.writeLock(), () -> super.handlePatch(request));
  }

  @Override
  public MockResponse handleDelete(String path) {
    return holding(lock.writeLock(), () -> super.handleDelete(path));
  }

  @Override
  public void reset() {
    holding(
        lock.writeLock(),
        () -> {
          super.reset();
          index.clear();
          return null;
        });
  }

  @Override
  public MockResponse handleGet(String path) {
    if (isWatch(path)) {
      return super.handleGet(path);
    }
    return holding(lock.readLock(), () -> get(path));
  }

  /** fabric8's GET of one object or a list ({@code handle} without an event), over candidates. */
  private MockResponse get(String path) {
    AttributeSet query = attributeExtractor.fromPath(path);
    List<String> items = new ArrayList<>();
    for (AttributeSet key : candidates(query)) {
      comparisons.incrementAndGet();
      String value = map.get(key);
      if (value != null && key.matches(query)) {
        items.add(value);
      }
    }
    MockResponse response = new MockResponse();
    if (query.containsKey(NAME)) {
      return items.isEmpty()
          ? response.setResponseCode(HttpURLConnection.HTTP_NOT_FOUND)
          : response.setResponseCode(HttpURLConnection.HTTP_OK).setBody(items.get(0));
    }
    if (items.isEmpty() && API_RESOURCES.matcher(path).matches()) {
      // A discovery request: fabric8 answers it from its private CRD contexts, after a scan that
      // finds nothing here either, as no write can run meanwhile.
      return super.handleGet(path);
    }
    String list =
        ((KubernetesResponseComposer) responseComposer)
            .compose(items, String.valueOf(resourceVersion.get()));
    return response.setResponseCode(HttpURLConnection.HTTP_OK).setBody(list);
  }

  /** Called by fabric8's create, update and patch handlers, under the write locks. */
  @Override
  public Map.Entry<AttributeSet, String> findResource(AttributeSet attributes) {
    for (AttributeSet key : candidates(attributes)) {
      comparisons.incrementAndGet();
      String value = map.get(key);
      if (value != null && key.matches(attributes)) {
        return new SimpleImmutableEntry<>(key, value);
      }
    }
    return null;
  }

  private List<AttributeSet> candidates(AttributeSet query) {
    List<AttributeSet> keys = index.candidates(query);
    return keys != null ? keys : List.copyOf(map.keySet());
  }

  /**
   * fabric8's store change (map, watch events, CRD contexts), then the same change in the index.
   * The new key is computed as fabric8 computes it; the object is parsed once and handed to fabric8
   * so that it does not parse it again.
   */
  @Override
  public void processEvent(
      String path,
      AttributeSet pathAttributes,
      AttributeSet oldAttributes,
      GenericKubernetesResource resource,
      String newState) {
    GenericKubernetesResource parsed = resource;
    if (parsed == null && newState != null) {
      parsed = Serialization.unmarshal(newState, GenericKubernetesResource.class);
    }
    super.processEvent(path, pathAttributes, oldAttributes, parsed, newState);
    if (oldAttributes != null) {
      index.remove(oldAttributes);
    }
    if (newState != null) {
      AttributeSet key = ((KubernetesAttributesExtractor) attributeExtractor).extract(parsed);
      if (!key.containsKey(PLURAL)) {
        key = AttributeSet.merge(pathAttributes, key);
      }
      index.add(key);
    }
  }

  @Override
  public long requestResourceVersion() {
    long version = super.requestResourceVersion();
    resourceVersion.accumulateAndGet(version, Math::max);
    return version;
  }

  /** fabric8's test for a watch request ({@code detectWatchMode}, private). */
  private static boolean isWatch(String path) {
    try {
      String query = new URI(path).getQuery();
      return query != null && query.contains("watch=true");
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static <T> T holding(Lock lock, Supplier<T> action) {
    lock.lock();
    try {
      return action.get();
    } finally {
      lock.unlock();
    }
  }
}
