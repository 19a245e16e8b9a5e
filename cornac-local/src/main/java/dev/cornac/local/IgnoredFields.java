package dev.cornac.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Manifest fields that mean nothing on one machine, each with the reason, reported once when they
 * are set.
 */
final class IgnoredFields {
  private static final Map<String, String> REASONS = new LinkedHashMap<>();

  static {
    REASONS.put("dockerImage", "the machine's PostgreSQL and Patroni run instead of an image");
    REASONS.put(
        "volume", "data lives in the cluster's directory; no volume, size or storage class");
    REASONS.put("resources", "no CPU or memory limits are applied to local processes");
    for (String lb :
        List.of(
            "enableMasterLoadBalancer",
            "enableReplicaLoadBalancer",
            "enableMasterPoolerLoadBalancer",
            "enableReplicaPoolerLoadBalancer",
            "enableMasterNodePort",
            "enableReplicaNodePort",
            "enableMasterPoolerNodePort",
            "enableReplicaPoolerNodePort",
            "masterNodePort",
            "replicaNodePort",
            "masterPoolerNodePort",
            "replicaPoolerNodePort",
            "allowedSourceRanges",
            "serviceAnnotations",
            "masterServiceAnnotations",
            "replicaServiceAnnotations")) {
      REASONS.put(lb, "everything listens on 127.0.0.1 only; there are no Kubernetes services");
    }
    for (String pod :
        List.of(
            "spiloRunAsUser",
            "spiloRunAsGroup",
            "spiloFSGroup",
            "schedulerName",
            "nodeAffinity",
            "topologySpreadConstraints",
            "tolerations",
            "podPriorityClassName",
            "podAnnotations",
            "livenessProbe",
            "sidecars",
            "initContainers",
            "enableShmVolume",
            "additionalVolumes",
            "envFrom")) {
      REASONS.put(pod, "there are no pods on one machine");
    }
    REASONS.put("tls", "local clusters listen on 127.0.0.1 without TLS");
    REASONS.put("maintenanceWindows", "local changes apply when you run `cornac local apply`");
    REASONS.put("enableLogicalBackup", "logical backups run on Kubernetes only");
    REASONS.put("logicalBackupSchedule", "logical backups run on Kubernetes only");
    REASONS.put("logicalBackupRetention", "logical backups run on Kubernetes only");
    REASONS.put("usersWithSecretRotation", "local passwords are kept until you change them");
    REASONS.put("usersWithInPlaceSecretRotation", "local passwords are kept until you change them");
    REASONS.put("streams", "event streams need the Kubernetes FabricEventStream resource");
    REASONS.put("connectionPooler.numberOfInstances", "one PgBouncer runs per pooler");
    REASONS.put("connectionPooler.dockerImage", "the machine's PgBouncer runs instead of an image");
    REASONS.put(
        "connectionPooler.resources", "no CPU or memory limits are applied to local processes");
  }

  private IgnoredFields() {}

  /**
   * "spec.volume (data lives ...)" for each field of the spec that is set to something other than
   * its default.
   */
  static List<String> of(JsonNode spec) {
    List<String> ignored = new ArrayList<>();
    REASONS.forEach(
        (path, reason) -> {
          JsonNode node = spec;
          for (String part : path.split("\\.")) {
            node = node.path(part);
          }
          if (isSet(node)) {
            ignored.add("spec." + path + " (" + reason + ")");
          }
        });
    return ignored;
  }

  private static boolean isSet(JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      return false;
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    return !(node.isContainerNode() && node.isEmpty())
        && !(node.isTextual() && node.textValue().isEmpty());
  }
}
