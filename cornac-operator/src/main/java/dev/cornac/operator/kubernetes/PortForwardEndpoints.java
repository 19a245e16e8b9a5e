package dev.cornac.operator.kubernetes;

import dev.cornac.dataplane.MemberEndpoints;
import dev.cornac.dataplane.patroni.PatroniClient;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.LocalPortForward;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Members reached from outside the cluster (the CLI, the operator in developer mode): a
 * port-forward through the API server to the pod, bound to 127.0.0.1 on a free port, opened on
 * first use and kept until {@link #close()}. A forward is by pod name, so it survives the pod being
 * recreated.
 */
public final class PortForwardEndpoints implements MemberEndpoints, AutoCloseable {
  private final KubernetesClient client;
  private final String defaultNamespace;
  private final Map<String, LocalPortForward> forwards = new ConcurrentHashMap<>();

  /** {@code defaultNamespace} is used for members given without one. */
  public PortForwardEndpoints(KubernetesClient client, String defaultNamespace) {
    this.client = client;
    this.defaultNamespace = defaultNamespace;
  }

  @Override
  public PatroniClient patroni(Member member) {
    return PatroniClient.of("127.0.0.1", localPort(member, PATRONI_PORT));
  }

  /**
   * {@code sslmode=prefer}: the tunnel already runs inside the API server's TLS connection, and
   * Spilo's server still negotiates TLS when it has a certificate.
   */
  @Override
  public String jdbcUrl(Member member, String database) {
    return "jdbc:postgresql://127.0.0.1:"
        + localPort(member, POSTGRES_PORT)
        + "/"
        + database
        + "?sslmode=prefer&connectTimeout=15";
  }

  /** The local port that leads to {@code port} of the member's pod. */
  public int localPort(Member member, int port) {
    String namespace = member.namespace() == null ? defaultNamespace : member.namespace();
    return forwards
        .computeIfAbsent(
            namespace + "/" + member.name() + ":" + port,
            key ->
                client
                    .pods()
                    .inNamespace(namespace)
                    .withName(member.name())
                    .portForward(port, InetAddress.getLoopbackAddress(), 0))
        .getLocalPort();
  }

  @Override
  public void close() {
    List<LocalPortForward> open = new ArrayList<>(forwards.values());
    forwards.clear();
    for (LocalPortForward f : open) {
      try {
        f.close();
      } catch (IOException e) {
        // the listening socket is gone either way
      }
    }
  }
}
