package dev.cornac.dataplane;

import dev.cornac.dataplane.patroni.PatroniClient;

/**
 * How to reach a member's Patroni and PostgreSQL: by pod IP inside the cluster (upstream's way),
 * through a port-forward from outside, or at 127.0.0.1 and a port for local processes — behind one
 * interface so that the same orchestration runs everywhere.
 */
public interface MemberEndpoints {
  int PATRONI_PORT = 8008;
  int POSTGRES_PORT = 5432;

  /**
   * A member as the orchestration knows it: its pod's namespace and name, and the pod IP when it
   * has one.
   */
  record Member(String namespace, String name, String ip) {}

  PatroniClient patroni(Member member);

  String jdbcUrl(Member member, String database);

  /**
   * In the cluster: the pod IP and the fixed Spilo ports, TLS required as upstream connects
   * (upstream: pkg/cluster/database.go, pgConnectionString).
   */
  static MemberEndpoints podIp() {
    return new MemberEndpoints() {
      @Override
      public PatroniClient patroni(Member member) {
        return PatroniClient.of(member.ip(), PATRONI_PORT);
      }

      @Override
      public String jdbcUrl(Member member, String database) {
        String host = member.ip().contains(":") ? "[" + member.ip() + "]" : member.ip();
        return "jdbc:postgresql://"
            + host
            + ":"
            + POSTGRES_PORT
            + "/"
            + database
            + "?sslmode=require&connectTimeout=15";
      }
    };
  }
}
