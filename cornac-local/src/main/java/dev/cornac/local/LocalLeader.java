package dev.cornac.local;

import dev.cornac.dataplane.patroni.ClusterMember;
import dev.cornac.dataplane.patroni.PatroniRole;
import java.util.List;

/**
 * The current primary of a running local cluster, as Patroni sees it; a clear error when there is
 * none.
 */
final class LocalLeader {
  private LocalLeader() {}

  static LocalState.Member current(LocalState state) {
    List<ClusterMember> view =
        LocalPatroni.clusterView(state).orElseThrow(() -> notAnswering(state.name()));
    return view.stream()
        .filter(m -> m.role() == PatroniRole.LEADER)
        .findFirst()
        .flatMap(m -> state.member(m.name()))
        .orElseThrow(
            () ->
                new LocalRuntimeException(
                    state.name()
                        + " has no primary right now; see `cornac local "
                        + "status "
                        + state.name()
                        + "` and try again in a few seconds"));
  }

  static LocalRuntimeException notAnswering(String name) {
    return new LocalRuntimeException(
        "no member of "
            + name
            + " answers on its Patroni port; see `cornac local "
            + "status "
            + name
            + "` and `cornac local logs "
            + name
            + "`");
  }
}
