package dev.cornac.local;

import java.nio.file.Path;

/** The files of one local cluster, all under its own directory. */
public record LocalLayout(Path dir) {
  public static LocalLayout of(Path home, String cluster) {
    return new LocalLayout(home.resolve(cluster));
  }

  public String cluster() {
    return dir.getFileName().toString();
  }

  /** The manifest as last applied. */
  public Path manifest() {
    return dir.resolve("manifest.yaml");
  }

  /** Ports, members and settings: what the supervisor runs. */
  public Path state() {
    return dir.resolve("state.json");
  }

  public Path credentials() {
    return dir.resolve("credentials.json");
  }

  /** libpq password file with one line per role: {@code export PGPASSFILE=...}. */
  public Path pgpass() {
    return dir.resolve("pgpass");
  }

  public Path supervisorPid() {
    return dir.resolve("supervisor.pid");
  }

  public Path supervisorLog() {
    return dir.resolve("supervisor.log");
  }

  /**
   * Pid files of the processes the supervisor started, so a new supervisor can stop strays of a
   * killed one.
   */
  public Path runDir() {
    return dir.resolve("run");
  }

  public Path etcdDir() {
    return dir.resolve("etcd");
  }

  public Path memberDir(String member) {
    return dir.resolve("members").resolve(member);
  }

  public Path patroniConfig(String member) {
    return memberDir(member).resolve("patroni.yml");
  }

  public Path dataDir(String member) {
    return memberDir(member).resolve("data");
  }

  /** Patroni's log and PostgreSQL's (Patroni passes PostgreSQL's stderr through). */
  public Path memberLog(String member) {
    return memberDir(member).resolve("member.log");
  }

  public Path poolerDir(String role) {
    return dir.resolve("pooler-" + role);
  }

  public Path exporterDir() {
    return dir.resolve("exporter");
  }

  /**
   * The log of a component: a member, etcd, exporter-MEMBER, pooler-master, pooler-replica or
   * supervisor.
   */
  public Path log(String component) {
    if (component.startsWith("exporter-")) {
      return exporterDir().resolve(component + ".log");
    }
    return switch (component) {
      case "supervisor" -> supervisorLog();
      case "etcd" -> etcdDir().resolve("etcd.log");
      case "pooler-master", "pooler-replica" -> dir.resolve(component).resolve("pgbouncer.log");
      default -> memberLog(component);
    };
  }
}
