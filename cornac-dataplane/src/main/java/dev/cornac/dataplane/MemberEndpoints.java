package dev.cornac.dataplane;

import dev.cornac.dataplane.patroni.PatroniClient;

/**
 * How to reach a member's Patroni and PostgreSQL: by pod IP inside the cluster (upstream's way), through a
 * port-forward from outside, or at 127.0.0.1 and a port for local processes — behind one interface so that the
 * same orchestration runs everywhere.
 */
public interface MemberEndpoints {
  int PATRONI_PORT = 8008;
  int POSTGRES_PORT = 5432;

  PatroniClient patroni(String member, String address);

  String jdbcUrl(String member, String address, String database);

  /** In the cluster: the pod IP and the fixed Spilo ports, TLS required as upstream connects (reference e.1). */
  static MemberEndpoints podIp() {
    return new MemberEndpoints() {
      @Override
      public PatroniClient patroni(String member, String address) {
        return PatroniClient.of(address, PATRONI_PORT);
      }

      @Override
      public String jdbcUrl(String member, String address, String database) {
        String host = address.contains(":") ? "[" + address + "]" : address;
        return "jdbc:postgresql://" + host + ":" + POSTGRES_PORT + "/" + database + "?sslmode=require&connectTimeout=15";
      }
    };
  }
}
