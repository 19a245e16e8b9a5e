package dev.cornac.testkit;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.HashMap;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * fabric8's mock API server in CRUD mode with a given store, and a client for it: the set-up of the
 * tests that compare fabric8's store with the indexed one.
 */
final class CrudMockServer implements AutoCloseable {
  /** The mock logs every request at INFO: thousands of lines in the tests that fill a store. */
  private static final Logger QUIET = Logger.getLogger("io.fabric8.mockwebserver");

  final KubernetesCrudDispatcher store;
  final KubernetesClient client;
  private final KubernetesMockServer server;

  CrudMockServer(Supplier<KubernetesCrudDispatcher> store) {
    QUIET.setLevel(Level.WARNING);
    this.store = store.get();
    // Plain HTTP: TLS would only slow the hundreds of writes some tests make.
    this.server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), this.store, false);
    server.init();
    this.client = server.createClient();
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
