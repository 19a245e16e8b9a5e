package dev.cornac.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Nullable;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import java.util.List;
import java.util.Map;

/**
 * {@code spec} of a {@code postgresql} resource (upstream:
 * pkg/apis/acid.zalan.do/v1/postgresql_type.go, PostgresSpec). Boxed types keep "absent" apart from
 * false/0: an absent flag falls back to the operator configuration.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder(alphabetic = true)
public class PostgresqlSpec extends Extensible {
  @Required public String teamId;

  @Required
  @Min(0)
  public Integer numberOfInstances;

  public String dockerImage;
  @Required public PostgresqlParam postgresql;
  @Required public Volume volume;
  public Patroni patroni;
  public Resources resources;

  public Boolean enableConnectionPooler;
  public Boolean enableReplicaConnectionPooler;
  public ConnectionPooler connectionPooler;

  public Long spiloRunAsUser;
  public Long spiloRunAsGroup;

  @JsonProperty("spiloFSGroup")
  public Long spiloFSGroup;

  public Boolean enableMasterLoadBalancer;
  public Boolean enableReplicaLoadBalancer;
  public Boolean enableMasterPoolerLoadBalancer;
  public Boolean enableReplicaPoolerLoadBalancer;
  public Boolean enableMasterNodePort;
  public Integer masterNodePort;
  public Boolean enableReplicaNodePort;
  public Integer replicaNodePort;
  public Boolean enableMasterPoolerNodePort;
  public Integer masterPoolerNodePort;
  public Boolean enableReplicaPoolerNodePort;
  public Integer replicaPoolerNodePort;
  @Nullable public List<@Pattern(Patterns.CIDR) String> allowedSourceRanges;

  public Map<String, List<@Pattern(Patterns.USER_FLAG) String>> users;
  @Nullable public List<String> usersWithSecretRotation;
  @Nullable public List<String> usersWithInPlaceSecretRotation;
  @Nullable public List<String> usersIgnoringSecretRotation;
  public Map<String, String> databases;
  public Map<String, PreparedDatabase> preparedDatabases;

  public List<@Pattern(Patterns.MAINTENANCE_WINDOW) String> maintenanceWindows;
  public Clone clone;
  public Standby standby;

  public String schedulerName;
  public NodeAffinity nodeAffinity;
  public List<TopologySpreadConstraint> topologySpreadConstraints;
  public List<Toleration> tolerations;
  public Probe livenessProbe;
  public List<Sidecar> sidecars;
  public List<Container> initContainers;
  public String podPriorityClassName;
  public Boolean enableShmVolume;

  public Boolean enableLogicalBackup;
  public String logicalBackupRetention;

  @Pattern(Patterns.CRON)
  public String logicalBackupSchedule;

  public Map<String, String> podAnnotations;
  public Map<String, String> serviceAnnotations;
  public Map<String, String> masterServiceAnnotations;
  public Map<String, String> replicaServiceAnnotations;

  public Tls tls;
  public List<AdditionalVolume> additionalVolumes;
  public List<Stream> streams;
  public List<EnvVar> env;
  public List<EnvFromSource> envFrom;
}
