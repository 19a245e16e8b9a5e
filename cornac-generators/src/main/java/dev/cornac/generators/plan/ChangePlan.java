package dev.cornac.generators.plan;

import java.util.List;
import java.util.Optional;

/**
 * What applying a manifest would do ({@code cornac diff}, the UI's edit page): the object changes
 * per kind, with the fields that differ, and their consequences for the running cluster.
 *
 * @param refused why the operator would refuse the manifest (then nothing else happens)
 * @param podRestarts the pods recreated by the rolling update, in the order the operator recreates
 *     them
 * @param switchover the switchover the roll (or a scale-down) makes
 * @param waits what waits, for what and until when (maintenance windows)
 * @param inside what changes inside PostgreSQL and Patroni (roles, databases, dynamic
 *     configuration)
 */
public record ChangePlan(
    String cluster,
    List<String> refused,
    List<ObjectChange> objects,
    List<String> podRestarts,
    Optional<String> switchover,
    List<String> scaling,
    List<String> waits,
    List<String> inside) {

  /** One object: its kind and name, what happens to it and which fields differ. */
  public record ObjectChange(String kind, String name, Action action, List<String> fields) {}

  public enum Action {
    CREATE,
    UPDATE,
    REPLACE,
    DELETE
  }

  public static ChangePlan refused(String cluster, List<String> reasons) {
    return new ChangePlan(
        cluster,
        List.copyOf(reasons),
        List.of(),
        List.of(),
        Optional.empty(),
        List.of(),
        List.of(),
        List.of());
  }

  public boolean changesNothing() {
    return refused.isEmpty()
        && objects.isEmpty()
        && podRestarts.isEmpty()
        && scaling.isEmpty()
        && waits.isEmpty()
        && inside.isEmpty();
  }
}
