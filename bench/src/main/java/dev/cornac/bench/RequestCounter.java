package dev.cornac.bench;

import dev.cornac.operator.kubernetes.ApiPaths;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drains the mock API server's request log into counters: writes, informer reads (collection
 * LIST/WATCH) and reads that bypass the informers (GET of a single named object).
 */
final class RequestCounter implements AutoCloseable {

  final AtomicLong writes = new AtomicLong();
  final AtomicLong informerReads = new AtomicLong();
  final AtomicLong bypassReads = new AtomicLong();
  final AtomicLong startupReads = new AtomicLong();
  private final List<String> writeSamples = new CopyOnWriteArrayList<>();
  private final List<String> bypassSamples = new CopyOnWriteArrayList<>();
  private final Thread drain;
  private volatile boolean running = true;
  private volatile boolean counting = true;

  RequestCounter(KubernetesMockServer server) {
    drain =
        new Thread(
            () -> {
              while (running) {
                try {
                  RecordedRequest r = server.takeRequest(100, TimeUnit.MILLISECONDS);
                  if (r != null && counting) {
                    count(r.getMethod(), r.getPath());
                  }
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "request-drain");
    drain.setDaemon(true);
    drain.start();
  }

  private void count(String method, String pathAndQuery) {
    String path =
        pathAndQuery.contains("?")
            ? pathAndQuery.substring(0, pathAndQuery.indexOf('?'))
            : pathAndQuery;
    if (!"GET".equals(method)) {
      if (writes.incrementAndGet() <= 20) {
        writeSamples.add(method + " " + pathAndQuery);
      }
    } else if ((path.startsWith("/api/v1/namespaces/") && path.split("/").length == 5)
        || path.endsWith("/configmaps/postgres-operator")
        || path.contains("/customresourcedefinitions/")) {
      startupReads.incrementAndGet();
    } else if (ApiPaths.isNamedObject(path) && !pathAndQuery.contains("watch=")) {
      if (bypassReads.incrementAndGet() <= 20) {
        bypassSamples.add(method + " " + pathAndQuery);
      }
    } else {
      informerReads.incrementAndGet();
    }
  }

  List<String> writeSamples() {
    return writeSamples;
  }

  List<String> bypassSamples() {
    return bypassSamples;
  }

  void reset() {
    bypassSamples.clear();
    writeSamples.clear();
    writes.set(0);
    informerReads.set(0);
    bypassReads.set(0);
    startupReads.set(0);
  }

  void pause(boolean paused) {
    counting = !paused;
  }

  @Override
  public void close() {
    running = false;
    drain.interrupt();
  }
}
