package dev.cornac.local;

/**
 * The two PgBouncers a manifest can ask for: in front of the primary, and in front of a replica.
 */
public enum PoolerRole {
  MASTER("master"),
  REPLICA("replica");

  private final String id;

  PoolerRole(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  public LocalState.Pooler of(LocalState state) {
    return this == MASTER ? state.masterPooler() : state.replicaPooler();
  }
}
