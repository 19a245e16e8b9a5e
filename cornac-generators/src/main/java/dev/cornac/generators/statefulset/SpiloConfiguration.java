package dev.cornac.generators.statefulset;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cornac.api.model.Patroni;
import dev.cornac.generators.Cluster;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code SPILO_CONFIGURATION} JSON upstream writes (upstream: pkg/cluster/k8sres.go,
 * generateSpiloJSONConfiguration), byte for byte: Go's field order, sorted map keys, no spaces,
 * {@code < > &} escaped. Any difference here would change the pod template and restart every pod.
 */
public final class SpiloConfiguration {
  /**
   * Parameters Patroni keeps in its local configuration; every other one goes to the DCS (upstream:
   * pkg/cluster/k8sres.go, isBootstrapOnlyParameter).
   */
  public static final Set<String> LOCAL_PARAMETERS =
      Set.of(
          "archive_command",
          "shared_buffers",
          "logging_collector",
          "log_destination",
          "log_directory",
          "log_filename",
          "log_file_mode",
          "log_rotation_age",
          "log_truncate_on_rotation",
          "ssl",
          "ssl_ca_file",
          "ssl_crl_file",
          "ssl_cert_file",
          "ssl_key_file",
          "shared_preload_libraries",
          "bg_mon.listen_address",
          "bg_mon.history_buckets",
          "pg_stat_statements.track_utility",
          "extwlist.extensions",
          "extwlist.custom_path");

  private static final Set<String> BARE_INITDB_OPTIONS =
      Set.of("data-checksums", "debug", "no-locale", "noclean", "nosync", "sync-only");
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private SpiloConfiguration() {}

  public static String json(Cluster c) {
    return goEscape(tree(c).toString());
  }

  public static ObjectNode tree(Cluster c) {
    Patroni patroni = c.spec().patroni == null ? new Patroni() : c.spec().patroni;
    TreeMap<String, String> local = parameters(c, true);
    TreeMap<String, String> dcsParameters = parameters(c, false);

    ObjectNode root = F.objectNode();
    ObjectNode postgresql = root.putObject("postgresql");
    if (!c.config().bool("enable_pgversion_env_var")) {
      postgresql.put(
          "bin_dir", "/usr/lib/postgresql/" + SpiloEnvironment.desiredMajorVersion(c) + "/bin");
    }
    if (!local.isEmpty()) {
      ObjectNode p = postgresql.putObject("parameters");
      local.forEach(p::put);
    }
    if (patroni.pgHba != null && !patroni.pgHba.isEmpty()) {
      ArrayNode hba = postgresql.putArray("pg_hba");
      patroni.pgHba.forEach(hba::add);
    }
    ObjectNode bootstrap = root.putObject("bootstrap");
    bootstrap.set("initdb", initdb(patroni));
    bootstrap.set("dcs", dcs(c, patroni, dcsParameters));
    return root;
  }

  /** The manifest's {@code postgresql.parameters} that Patroni keeps in the DCS, sorted. */
  public static TreeMap<String, String> dcsParameters(Cluster c) {
    return parameters(c, false);
  }

  /**
   * The manifest's {@code postgresql.parameters} that Patroni keeps in each member's own
   * configuration, sorted.
   */
  public static TreeMap<String, String> localParameters(Cluster c) {
    return parameters(c, true);
  }

  private static TreeMap<String, String> parameters(Cluster c, boolean local) {
    Map<String, String> all =
        c.spec().postgresql == null || c.spec().postgresql.parameters == null
            ? Map.of()
            : c.spec().postgresql.parameters;
    TreeMap<String, String> selected = new TreeMap<>();
    all.forEach(
        (k, v) -> {
          if (LOCAL_PARAMETERS.contains(k) == local) {
            selected.put(k, v);
          }
        });
    return selected;
  }

  private static ArrayNode initdb(Patroni patroni) {
    ArrayNode list = F.arrayNode();
    list.addObject().put("auth-host", "scram-sha-256");
    list.addObject().put("auth-local", "trust");
    if (patroni.initdb == null) {
      return list;
    }
    new TreeMap<>(patroni.initdb)
        .forEach(
            (key, value) -> {
              if (key.equals("auth-host")) {
                ((ObjectNode) list.get(0)).put("auth-host", value);
              } else if (key.equals("auth-local")) {
                ((ObjectNode) list.get(1)).put("auth-local", value);
              } else if (BARE_INITDB_OPTIONS.contains(key) && "true".equals(value)) {
                list.add(key);
              } else {
                list.addObject().put(key, value);
              }
            });
    return list;
  }

  private static ObjectNode dcs(Cluster c, Patroni patroni, TreeMap<String, String> parameters) {
    ObjectNode dcs = F.objectNode();
    putIfPositive(dcs, "ttl", patroni.ttl);
    putIfPositive(dcs, "loop_wait", patroni.loopWait);
    putIfPositive(dcs, "retry_timeout", patroni.retryTimeout);
    if (patroni.maximumLagOnFailover != null && patroni.maximumLagOnFailover != 0) {
      // Upstream holds this as float32: large values lose precision exactly as they do there
      // (upstream: pkg/cluster/k8sres.go, generateSpiloJSONConfiguration).
      dcs.put("maximum_lag_on_failover", (long) (float) (long) patroni.maximumLagOnFailover);
    }
    if (Boolean.TRUE.equals(patroni.synchronousMode)) {
      dcs.put("synchronous_mode", true);
    }
    if (Boolean.TRUE.equals(patroni.synchronousModeStrict)) {
      dcs.put("synchronous_mode_strict", true);
    }
    putIfPositive(dcs, "synchronous_node_count", patroni.synchronousNodeCount);
    if (!parameters.isEmpty()) {
      ObjectNode p = dcs.putObject("postgresql").putObject("parameters");
      parameters.forEach(p::put);
    }
    if (patroni.slots != null && !patroni.slots.isEmpty()) {
      ObjectNode slots = dcs.putObject("slots");
      new TreeMap<>(patroni.slots)
          .forEach(
              (name, slot) -> {
                ObjectNode s = slots.putObject(name);
                if (slot != null) {
                  new TreeMap<>(slot).forEach(s::put);
                }
              });
    }
    // The configuration's failsafe flag is never nil upstream, so false is written by default
    // (upstream: pkg/controller/operator_config.go, importConfigurationFromCRD).
    dcs.put(
        "failsafe_mode",
        patroni.failsafeMode != null
            ? patroni.failsafeMode
            : c.config().bool("enable_patroni_failsafe_mode"));
    return dcs;
  }

  private static void putIfPositive(ObjectNode node, String field, Integer value) {
    if (value != null && value > 0) {
      node.put(field, value);
    }
  }

  /** Go's encoding/json escapes these for HTML safety; so must we, to produce the same string. */
  static String goEscape(String json) {
    return json.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029");
  }
}
