package dev.cornac.operator.status;

/**
 * Upstream's values of {@code status.PostgresClusterStatus} (upstream:
 * pkg/apis/acid.zalan.do/v1/const.go).
 */
public final class ClusterStatus {
  public static final String CREATING = "Creating";
  public static final String RUNNING = "Running";
  public static final String UPDATING = "Updating";
  public static final String CREATE_FAILED = "CreateFailed";
  public static final String UPDATE_FAILED = "UpdateFailed";
  public static final String SYNC_FAILED = "SyncFailed";
  public static final String INVALID = "Invalid";

  private ClusterStatus() {}
}
