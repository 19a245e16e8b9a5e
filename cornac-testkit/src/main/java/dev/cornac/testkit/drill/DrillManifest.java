package dev.cornac.testkit.drill;

/**
 * The cluster the drills run on: two members (a primary and the replica that takes over), minimal
 * otherwise, with the given {@code patroni} section (DCS timings, synchronous mode).
 */
public final class DrillManifest {
  private DrillManifest() {}

  /**
   * The manifest's YAML; {@code patroni} is the inside of a flow mapping, e.g. {@code
   * synchronous_mode: true}, or empty.
   */
  public static String twoMembers(String name, String team, String version, String patroni) {
    return """
        apiVersion: "acid.zalan.do/v1"
        kind: postgresql
        metadata: {name: %s}
        spec:
          teamId: %s
          numberOfInstances: 2
          postgresql: {version: "%s"}
          volume: {size: 1Gi}
          patroni: {%s}
        """
        .formatted(name, team, version, patroni);
  }
}
