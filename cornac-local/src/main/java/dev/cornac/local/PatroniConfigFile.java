package dev.cornac.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cornac.api.model.ManifestMapper;
import dev.cornac.generators.Cluster;
import dev.cornac.generators.statefulset.SpiloConfiguration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A member's {@code patroni.yml}: the same bootstrap, DCS settings and parameters the generators
 * give a Spilo pod ({@link SpiloConfiguration}), plus what Spilo itself would add, made local:
 * 127.0.0.1 and the remembered ports, the cluster's own etcd, directories under the cluster's
 * directory.
 *
 * <p>Where the manifest is silent, the DCS timings are tighter than Spilo's (ttl 7, loop_wait 1,
 * retry_timeout 3: Patroni's rule ttl ≥ loop_wait + 2·retry_timeout holds): on one machine there is
 * no network to be patient with, and a hung primary is replaced within ten seconds (ttl 10 and
 * loop_wait 2 took 11.3 s). The cost: each member writes to etcd every second, and a primary that
 * cannot reach etcd for 3 s demotes itself (docs/local.md "Failover and its timings").
 */
public final class PatroniConfigFile {
  static final Map<String, Object> DCS_DEFAULTS =
      Map.of("ttl", 7, "loop_wait", 1, "retry_timeout", 3, "maximum_lag_on_failover", 33554432);

  /**
   * What Spilo sets for replication and rewinds; a replica joins in about a second with the retry
   * interval.
   */
  static final Map<String, String> PARAMETER_DEFAULTS =
      Map.of(
          "wal_level",
          "replica",
          "hot_standby",
          "on",
          "max_wal_senders",
          "10",
          "max_replication_slots",
          "10",
          "wal_log_hints",
          "on",
          "wal_retrieve_retry_interval",
          "500ms");

  static final List<String> DEFAULT_PG_HBA =
      List.of(
          // The socket directory is inside the cluster's 0700 directory: only the runtime user
          // reaches it.
          "local all all trust",
          "host all all 127.0.0.1/32 scram-sha-256",
          "host all all ::1/128 scram-sha-256");

  /**
   * archive_timeout with backups: the archive, hence the latest restorable time, trails by at most
   * a minute.
   */
  static final String ARCHIVE_TIMEOUT = "60s";

  /*
   * "+00:00", never "Z": PostgreSQL 15.18 refuses "2026-12-03T13:57:33Z" for recovery_target_time at start-up
   * ("invalid value for parameter"), as time zone abbreviations are not known yet when the file is read.
   */
  private static final DateTimeFormatter RECOVERY_TARGET_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSxxx", Locale.ROOT);

  /**
   * WAL archiving to the cluster's pgBackRest stanza, and, for a cluster restored from another's
   * backups, the bootstrap that restores them and recovers to a point in time.
   */
  public record Archiving(PgBackRest pgbackrest, java.util.Optional<RestoreTarget> restore) {}

  /**
   * A new cluster made from {@code stanza}'s backup {@code set} and archive, recovered up to {@code
   * time}.
   */
  public record RestoreTarget(String stanza, String set, java.time.Instant time) {}

  private PatroniConfigFile() {}

  public static String render(
      Cluster c,
      LocalState state,
      LocalState.Member member,
      LocalLayout layout,
      LocalCredentials credentials) {
    return render(c, state, member, layout, credentials, null);
  }

  public static String render(
      Cluster c,
      LocalState state,
      LocalState.Member member,
      LocalLayout layout,
      LocalCredentials credentials,
      Archiving archiving) {
    ObjectNode spilo = SpiloConfiguration.tree(c);
    ObjectNode root = ManifestMapper.json().createObjectNode();
    root.put("scope", state.name());
    root.put("namespace", "/service/");
    root.put("name", member.name());
    root.putObject("log").put("level", "INFO");
    String rest = "127.0.0.1:" + member.restPort();
    root.putObject("restapi").put("listen", rest).put("connect_address", rest);
    // etcd's v2 API, not etcd3: Patroni 3.0.2 (Debian 12) renews the leader key through etcd3 with
    // an unconditional put, so a primary that was frozen past the TTL takes the key back from the
    // replica promoted meanwhile, which then demotes itself and loses what it committed (fixed
    // upstream in 3.0.3, patroni/patroni pull 2689). The v2 renewal compares the key's value with
    // the member's name first.
    root.putObject("etcd").put("host", "127.0.0.1:" + state.etcdClientPort());

    ObjectNode bootstrap = root.putObject("bootstrap");
    ObjectNode dcs = (ObjectNode) spilo.path("bootstrap").path("dcs").deepCopy();
    DCS_DEFAULTS.forEach(
        (k, v) -> {
          if (!dcs.has(k)) {
            dcs.put(k, ((Number) v).longValue());
          }
        });
    ObjectNode dcsPostgres =
        dcs.has("postgresql") ? (ObjectNode) dcs.get("postgresql") : dcs.putObject("postgresql");
    dcsPostgres.put("use_pg_rewind", true);
    dcsPostgres.put("use_slots", true);
    ObjectNode dcsParameters =
        dcsPostgres.has("parameters")
            ? (ObjectNode) dcsPostgres.get("parameters")
            : dcsPostgres.putObject("parameters");
    PARAMETER_DEFAULTS.forEach(
        (k, v) -> {
          if (!dcsParameters.has(k)) {
            dcsParameters.put(k, v);
          }
        });
    bootstrap.set("dcs", dcs);
    ArrayNode initdb = (ArrayNode) spilo.path("bootstrap").path("initdb").deepCopy();
    if (!mentions(initdb, "encoding")) {
      initdb.addObject().put("encoding", "UTF8");
    }
    if (!mentions(initdb, "locale")) {
      initdb.addObject().put("locale", "C.UTF-8");
    }
    if (!mentions(initdb, "data-checksums")) {
      initdb.add("data-checksums");
    }
    bootstrap.set("initdb", initdb);
    if (archiving != null && archiving.restore().isPresent()) {
      RestoreTarget target = archiving.restore().get();
      PgBackRest pb = archiving.pgbackrest();
      bootstrap.put("method", "pgbackrest_restore");
      ObjectNode method = bootstrap.putObject("pgbackrest_restore");
      // pgBackRest restores into an existing, empty directory; Patroni then recovers to the target
      // and promotes.
      method.put(
          "command",
          "/bin/sh -c 'mkdir -p -m 0700 "
              + layout.dataDir(member.name())
              + " && exec "
              + pb.restoreFilesCommand(target.stanza(), target.set(), member.name())
              + "'");
      method.put("no_params", true);
      ObjectNode recovery = method.putObject("recovery_conf");
      recovery.put("restore_command", pb.restoreCommand(target.stanza(), member.name()));
      recovery.put(
          "recovery_target_time",
          RECOVERY_TARGET_TIME.format(target.time().atOffset(ZoneOffset.UTC)));
      recovery.put("recovery_target_action", "promote");
      recovery.put("recovery_target_timeline", "latest");
    }

    ObjectNode pg = root.putObject("postgresql");
    String listen = "127.0.0.1:" + member.pgPort();
    pg.put("listen", listen);
    pg.put("connect_address", listen);
    pg.put("data_dir", layout.dataDir(member.name()).toString());
    pg.put("bin_dir", state.binDir());
    pg.put("pgpass", layout.memberDir(member.name()).resolve("pgpass.patroni").toString());
    pg.putArray("basebackup").addObject().put("checkpoint", "fast");
    // An old primary that comes back diverged is rewound (use_pg_rewind); if the rewind fails, it
    // copies the new primary afresh instead of waiting for someone to remove its data by hand: what
    // it had beyond the new primary was never on the new timeline anyway.
    pg.put("remove_data_directory_on_rewind_failure", true);
    JsonNode hba = spilo.path("postgresql").path("pg_hba");
    ArrayNode pgHba = pg.putArray("pg_hba");
    if (hba.isArray() && !hba.isEmpty()) {
      hba.forEach(pgHba::add);
    } else {
      String replication = c.config().replicationUsername();
      pgHba.add("host replication " + replication + " 127.0.0.1/32 scram-sha-256");
      DEFAULT_PG_HBA.forEach(pgHba::add);
    }
    ObjectNode auth = pg.putObject("authentication");
    String superuser = c.config().superUsername();
    String replication = c.config().replicationUsername();
    auth.putObject("superuser")
        .put("username", superuser)
        .put("password", credentials.passwordOf(superuser));
    auth.putObject("replication")
        .put("username", replication)
        .put("password", credentials.passwordOf(replication));
    auth.putObject("rewind")
        .put("username", superuser)
        .put("password", credentials.passwordOf(superuser));
    ObjectNode parameters = pg.putObject("parameters");
    spilo
        .path("postgresql")
        .path("parameters")
        .fields()
        .forEachRemaining(e -> parameters.set(e.getKey(), e.getValue()));
    parameters.put("unix_socket_directories", layout.memberDir(member.name()).toString());
    if (archiving != null) {
      parameters.put("archive_mode", "on");
      parameters.put(
          "archive_command", archiving.pgbackrest().archiveCommand(state.name(), member.name()));
      parameters.put("archive_timeout", ARCHIVE_TIMEOUT);
    }
    try {
      return ManifestMapper.yaml().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean mentions(ArrayNode initdb, String option) {
    for (JsonNode n : initdb) {
      if (n.isTextual() ? n.textValue().equals(option) : n.has(option)) {
        return true;
      }
    }
    return false;
  }
}
