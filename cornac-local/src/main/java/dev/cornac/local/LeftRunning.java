package dev.cornac.local;

import dev.cornac.dataplane.patroni.ClusterMember;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What an {@code up} that failed after its supervisor started leaves behind, said with the error:
 * what runs, on which ports, and what to do next. The cluster is left running rather than rolled
 * back: its data may be a restore's or an earlier run's, and the usual cause, the S3 settings, is
 * corrected in place with {@code apply}.
 */
final class LeftRunning {
  private LeftRunning() {}

  /**
   * The error once the cluster came up but its backups could not be set up: archiving fails from
   * then on.
   */
  static LocalRuntimeException withoutBackups(
      LocalRuntimeException cause, LocalLayout layout, LocalState state, Path manifest) {
    String name = state.name();
    return new LocalRuntimeException(
        cause.getMessage()
            + "\n  "
            + name
            + " is left running, without working backups: "
            + running(layout, state)
            + "\n  PostgreSQL archives WAL with these settings (archive_mode=on), so archiving fails and WAL piles up in "
            + "pg_wal until it works; `cornac local status "
            + name
            + "` shows archiving."
            + "\n  Next: correct the S3 settings and run `cornac local apply -f "
            + manifest
            + " --env-file FILE` (the data "
            + "is kept, backups are set up), or stop and remove the cluster with `cornac local down "
            + name
            + " --purge`.",
        cause);
  }

  /**
   * The error when the cluster did not become ready: what was started is still up, the supervisor
   * retrying.
   */
  static LocalRuntimeException notReady(
      LocalRuntimeException cause, LocalLayout layout, LocalState state, Path manifest) {
    String name = state.name();
    return new LocalRuntimeException(
        cause.getMessage()
            + "\n  "
            + name
            + " is left running as far as it got: "
            + running(layout, state)
            + "\n  Next: see `cornac local status "
            + name
            + "` and `cornac local logs "
            + name
            + " [MEMBER]`; once "
            + "corrected, `cornac local apply -f "
            + manifest
            + "`; or stop it with `cornac local down "
            + name
            + "` (--purge also removes its data).",
        cause);
  }

  private static String running(LocalLayout layout, LocalState state) {
    List<String> parts = new ArrayList<>();
    SupervisorProcess.running(layout).ifPresent(p -> parts.add("supervisor pid " + p.pid()));
    parts.add("etcd on 127.0.0.1:" + state.etcdClientPort());
    List<ClusterMember> view = LocalPatroni.clusterView(state).orElse(List.of());
    for (LocalState.Member m : state.membersByOrdinal()) {
      Optional<ClusterMember> seen =
          view.stream().filter(v -> v.name().equals(m.name())).findFirst();
      parts.add(
          m.name()
              + " on 127.0.0.1:"
              + m.pgPort()
              + seen.map(v -> v.role().isLeader() ? " (primary)" : " (replica)").orElse("")
              + " with metrics on 127.0.0.1:"
              + m.exporterPort());
    }
    if (state.masterPooler().enabled()) {
      parts.add("pooler (primary) on 127.0.0.1:" + state.masterPooler().port());
    }
    if (state.replicaPooler().enabled()) {
      parts.add("pooler (replicas) on 127.0.0.1:" + state.replicaPooler().port());
    }
    return String.join(", ", parts) + ".";
  }
}
