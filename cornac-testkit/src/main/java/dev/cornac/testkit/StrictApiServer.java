package dev.cornac.testkit;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntBiFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A test API server strict where our bugs would show on a real cluster: every request carries a
 * bearer token and is authorized by the RBAC objects stored in it (the shipped files, applied as an
 * administrator), custom resources pass their CRD's schema, status moves only through the status
 * subresource, stale writes conflict, finalizers hold deletions and the garbage collector follows
 * owner references. The namespaces {@code default} and {@code kube-system} exist from the start, as
 * on any cluster.
 *
 * <p>The tests act as {@link Identity#ADMIN}; the components under test get a client for the
 * identity they have in production ({@link #client(Identity)}), typically the shipped
 * ServiceAccount.
 */
public final class StrictApiServer implements AutoCloseable {
  /** The operator as {@code manifests/operator-service-account-rbac.yaml} installs it. */
  public static final Identity OPERATOR = Identity.serviceAccount("default", "postgres-operator");

  /**
   * One INFO line per request drowns the test output; held here because the JDK keeps loggers
   * weakly.
   */
  private static final Logger QUIET = Logger.getLogger("io.fabric8.mockwebserver");

  private final Map<String, Identity> tokens = new ConcurrentHashMap<>();
  private final RbacUsage usage = new RbacUsage();
  private final PodConnections pods = new PodConnections();
  private final StrictDispatcher dispatcher;
  private final KubernetesMockServer server;
  private final List<KubernetesClient> clients = new ArrayList<>();
  private final KubernetesClient admin;

  public StrictApiServer() {
    QUIET.setLevel(Level.WARNING);
    Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
    dispatcher = new StrictDispatcher(expectations, tokens::get, usage);
    dispatcher.onConnect(pods::answer);
    // TLS, as every real API server: kubectl sends no bearer token over plain HTTP.
    server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), expectations, dispatcher, true);
    server.init();
    admin = client(Identity.ADMIN);
    for (String ns : List.of("default", "kube-system")) {
      admin.namespaces().resource(namespace(ns)).create();
    }
  }

  private static Namespace namespace(String name) {
    return new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build();
  }

  /**
   * The underlying fabric8 server: recorded requests, and expectations for paths the store does not
   * serve.
   */
  public KubernetesMockServer mockServer() {
    return server;
  }

  /** The tests' own view: a cluster administrator. */
  public KubernetesClient adminClient() {
    return admin;
  }

  /** A kubeconfig-like configuration that authenticates as {@code who}, with its own token. */
  public Config config(Identity who) {
    String token = "test-token-" + UUID.randomUUID();
    tokens.put(token, who);
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(server.url("/"))
        .withTrustCerts(true)
        .withNamespace("default")
        .withHttp2Disable(true)
        .withOauthToken(token)
        .withRequestRetryBackoffLimit(0)
        .build();
  }

  /** A client authenticated as {@code who}; closed with the server. */
  public KubernetesClient client(Identity who) {
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config(who)).build();
    synchronized (clients) {
      clients.add(client);
    }
    return client;
  }

  /**
   * A kubeconfig file for {@code who}, as a person or a process outside the cluster would have one:
   * the server's address (its certificate is self-signed, so not verified) and a token of their
   * own.
   */
  public Path kubeconfig(Path file, Identity who, String namespace) {
    try {
      Files.writeString(
          file,
          """
          apiVersion: v1
          kind: Config
          clusters:
          - name: strict
            cluster: {server: "%s", insecure-skip-tls-verify: true}
          users:
          - name: user
            user: {token: "%s"}
          contexts:
          - name: strict
            context: {cluster: strict, user: user, namespace: %s}
          current-context: strict
          """
              .formatted(server.url("/"), token(who), namespace));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** A token for {@code who}, for components that take one (the UI's token login). */
  public String token(Identity who) {
    return config(who).getOauthToken();
  }

  /**
   * Creates every object of a YAML file as the administrator, as {@code kubectl create -f} would:
   * namespaced objects without a namespace land in {@code namespace}.
   */
  public List<HasMetadata> apply(Path file, String namespace) {
    try (InputStream in = Files.newInputStream(file)) {
      List<HasMetadata> created = new ArrayList<>();
      for (HasMetadata item : admin.load(in).items()) {
        if (item instanceof Namespace ns
            && admin.namespaces().withName(ns.getMetadata().getName()).get() != null) {
          continue;
        }
        created.add(
            admin
                .resource(item)
                .inNamespace(
                    item.getMetadata().getNamespace() != null
                        ? item.getMetadata().getNamespace()
                        : namespace)
                .create());
      }
      return created;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Makes sure a namespace exists (the real server refuses objects in a missing one). */
  public void ensureNamespace(String name) {
    if (admin.namespaces().withName(name).get() == null) {
      admin.namespaces().resource(namespace(name)).create();
    }
  }

  /** Where a pod's port leads: a local port, or -1 for "no such pod". */
  public void forwardTo(ToIntBiFunction<String, Integer> target) {
    pods.forwardTo(target);
  }

  public void onExec(PodConnections.ExecHandler handler) {
    pods.onExec(handler);
  }

  /** How many port-forward connections were opened. */
  public int forwardedConnections() {
    return pods.forwardedConnections();
  }

  /** What each non-administrator identity was allowed to do so far. */
  public RbacUsage usage() {
    return usage;
  }

  /** Waits until the garbage collector has handled every deletion made so far. */
  public void awaitGarbageCollection() throws Exception {
    dispatcher.drainGarbageCollector();
  }

  @Override
  public void close() {
    usage.write();
    synchronized (clients) {
      clients.forEach(KubernetesClient::close);
    }
    dispatcher.close();
    server.destroy();
  }
}
