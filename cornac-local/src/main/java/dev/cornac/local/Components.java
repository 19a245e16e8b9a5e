package dev.cornac.local;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The processes a local cluster's state asks for, in start order: etcd, the members, the poolers,
 * the exporter.
 */
public final class Components {
  static final String ETCD = "/usr/bin/etcd";
  static final String PATRONI = "/usr/bin/patroni";
  static final String PGBOUNCER = "/usr/sbin/pgbouncer";
  static final String EXPORTER = "/usr/bin/prometheus-postgres-exporter";
  public static final String EXPORTER_ROLE = "postgres_exporter";

  private Components() {}

  public static String exporterName(String member) {
    return "exporter-" + member;
  }

  public static Map<String, Component> of(
      LocalState state, LocalLayout layout, LocalCredentials credentials) {
    Map<String, Component> all = new LinkedHashMap<>();
    String etcdUrl = "http://127.0.0.1:" + state.etcdClientPort();
    String peerUrl = "http://127.0.0.1:" + state.etcdPeerPort();
    all.put(
        "etcd",
        new Component(
            "etcd",
            Component.Kind.ETCD,
            List.of(
                ETCD,
                "--name",
                "etcd",
                "--data-dir",
                layout.etcdDir().resolve("data").toString(),
                "--listen-client-urls",
                etcdUrl,
                "--advertise-client-urls",
                etcdUrl,
                "--listen-peer-urls",
                peerUrl,
                "--initial-advertise-peer-urls",
                peerUrl,
                "--initial-cluster",
                "etcd=" + peerUrl,
                // Patroni talks to it through the v2 API (PatroniConfigFile says why).
                "--enable-v2=true",
                "--log-level",
                "warn"),
            layout.etcdDir(),
            Map.of(),
            layout.log("etcd")));
    for (LocalState.Member m : state.membersByOrdinal()) {
      all.put(
          m.name(),
          new Component(
              m.name(),
              Component.Kind.MEMBER,
              List.of(PATRONI, layout.patroniConfig(m.name()).toString()),
              layout.memberDir(m.name()),
              Map.of("HOME", layout.memberDir(m.name()).toString()),
              layout.memberLog(m.name())));
    }
    for (PoolerRole role : PoolerRole.values()) {
      if (role.of(state).enabled()) {
        String name = "pooler-" + role.id();
        all.put(
            name,
            new Component(
                name,
                Component.Kind.POOLER,
                List.of(PGBOUNCER, PgBouncerConfig.ini(layout, role).toString()),
                layout.poolerDir(role.id()),
                Map.of(),
                layout.log(name)));
      }
    }
    // One exporter per member, as a sidecar would be: 0.11 cannot serve several servers from one
    // process.
    for (LocalState.Member m : state.membersByOrdinal()) {
      String name = exporterName(m.name());
      String dsn =
          "postgresql://"
              + EXPORTER_ROLE
              + ":"
              + credentials.passwordOf(EXPORTER_ROLE)
              + "@127.0.0.1:"
              + m.pgPort()
              + "/postgres?sslmode=disable";
      // The password travels in the environment, which only the runtime user and root can read, not
      // in argv.
      all.put(
          name,
          new Component(
              name,
              Component.Kind.EXPORTER,
              List.of(EXPORTER, "--web.listen-address=127.0.0.1:" + m.exporterPort()),
              layout.exporterDir(),
              Map.of("DATA_SOURCE_NAME", dsn),
              layout.log(name)));
    }
    return all;
  }
}
