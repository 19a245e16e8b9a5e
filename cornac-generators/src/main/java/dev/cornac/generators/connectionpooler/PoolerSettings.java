package dev.cornac.generators.connectionpooler;

import dev.cornac.api.config.OperatorConfig;
import dev.cornac.api.model.ConnectionPooler;
import dev.cornac.generators.Cluster;

/**
 * PgBouncer's settings for a cluster, from the manifest's {@code connectionPooler} section and the
 * operator configuration (upstream: pkg/cluster/connection_pooler.go, getConnectionPoolerEnvVars):
 * the one computation both the Kubernetes pooler and the local runtime's use.
 *
 * @param envUser the user named in the pooler's environment: upstream takes the manifest's verbatim
 *     even when it rejected it as a role (upstream: pkg/cluster/connection_pooler.go,
 *     generateConnectionPoolerPodTemplate)
 */
public record PoolerSettings(
    String envUser,
    String schema,
    String mode,
    long maxDbConnectionsPerInstance,
    long defaultSize,
    long minSize,
    long reserveSize,
    int maxClientConnections) {
  static final int MAX_CLIENT_CONNECTIONS = 10000;
  static final int DEFAULT_MAX_DB_CONNECTIONS = 60;

  public static PoolerSettings of(Cluster c) {
    OperatorConfig config = c.config();
    ConnectionPooler p =
        c.spec().connectionPooler == null ? new ConnectionPooler() : c.spec().connectionPooler;
    String envUser =
        p.user != null && !p.user.isEmpty() ? p.user : config.string("connection_pooler_user");
    long maxDb =
        p.maxDBConnections != null
            ? p.maxDBConnections
            : config.integerOr("connection_pooler_max_db_connections", DEFAULT_MAX_DB_CONNECTIONS);
    long instances =
        p.numberOfInstances != null
            ? p.numberOfInstances
            : config.integerOr("connection_pooler_number_of_instances", 1);
    long maxDbPerInstance = instances == 0 ? maxDb : maxDb / instances;
    long defaultSize = maxDbPerInstance / 2;
    long minSize = defaultSize / 2;
    String schema =
        p.schema != null && !p.schema.isEmpty()
            ? p.schema
            : config.string("connection_pooler_schema");
    String mode =
        p.mode != null && !p.mode.isEmpty() ? p.mode : config.string("connection_pooler_mode");
    return new PoolerSettings(
        envUser,
        schema,
        mode,
        maxDbPerInstance,
        defaultSize,
        minSize,
        minSize,
        MAX_CLIENT_CONNECTIONS);
  }
}
