package dev.cornac.local;

import dev.cornac.generators.Cluster;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntUnaryOperator;
import java.util.stream.Stream;

/**
 * What a cluster is to run as: its PostgreSQL version, its members and the ports of each, clear of
 * other clusters.
 */
final class MemberPlanner {
  private final Path home;
  private final RuntimeUser user;
  private final PrintStream progressOut;

  MemberPlanner(Path home, RuntimeUser user, PrintStream progressOut) {
    this.home = home;
    this.user = user;
    this.progressOut = progressOut;
  }

  String version(LocalRuntime.ApplyOptions options, Cluster c, Optional<LocalState> previous) {
    String requested =
        options.postgresVersion() != null ? options.postgresVersion() : c.postgresVersion();
    if (options.postgresVersion() != null
        && !options.postgresVersion().equals(c.postgresVersion())) {
      progressOut.println(
          "  using PostgreSQL "
              + options.postgresVersion()
              + " instead of spec.postgresql.version "
              + c.postgresVersion()
              + " (--postgres-version)");
    }
    if (previous.isPresent() && !previous.get().postgresVersion().equals(requested)) {
      throw new LocalRuntimeException(
          c.name()
              + "'s data was created by PostgreSQL "
              + previous.get().postgresVersion()
              + "; running it with "
              + requested
              + " would need a major upgrade, "
              + "which the local runtime does not do yet; keep version "
              + previous.get().postgresVersion()
              + " (--postgres-version "
              + previous.get().postgresVersion()
              + "), or start afresh with `cornac local down "
              + c.name()
              + " --purge`");
    }
    return requested;
  }

  /** The members the manifest asks for, keeping every remembered port that is still free. */
  LocalState plan(
      Cluster c, LocalLayout layout, Optional<LocalState> previous, String version, Path bin) {
    FreePorts ports = new FreePorts(portsOfOtherClusters(layout));
    boolean running = SupervisorProcess.running(layout).isPresent();
    // A running cluster holds its own ports: they are kept as they are, not probed.
    IntUnaryOperator keep = p -> running ? p : ports.keepOrReplace(p);
    List<LocalState.Member> members = new ArrayList<>();
    for (int i = 0; i < c.effectiveInstances(); i++) {
      String name = LocalState.memberName(c.name(), i);
      Optional<LocalState.Member> known = previous.flatMap(s -> s.member(name));
      if (known.isPresent()) {
        members.add(
            new LocalState.Member(
                name,
                keep.applyAsInt(known.get().restPort()),
                keep.applyAsInt(known.get().pgPort()),
                keep.applyAsInt(known.get().exporterPort())));
      } else {
        setAsideOldData(layout, name);
        members.add(new LocalState.Member(name, ports.next(), ports.next(), ports.next()));
      }
    }
    if (previous.isEmpty()) {
      return new LocalState(
          c.name(),
          version,
          bin.toString(),
          user.name(),
          ports.next(),
          ports.next(),
          members,
          new LocalState.Pooler(c.masterPoolerEnabled(), ports.next()),
          new LocalState.Pooler(c.replicaPoolerEnabled(), ports.next()));
    }
    LocalState p = previous.get();
    return new LocalState(
        c.name(),
        version,
        bin.toString(),
        user.name(),
        keep.applyAsInt(p.etcdClientPort()),
        keep.applyAsInt(p.etcdPeerPort()),
        members,
        new LocalState.Pooler(c.masterPoolerEnabled(), keep.applyAsInt(p.masterPooler().port())),
        new LocalState.Pooler(c.replicaPoolerEnabled(), keep.applyAsInt(p.replicaPooler().port())));
  }

  /**
   * A member removed by an earlier scale-down left its data behind; coming back, it starts from a
   * fresh copy of the primary instead (its old timeline may be long gone), and the old directory is
   * kept beside it.
   */
  private void setAsideOldData(LocalLayout layout, String member) {
    Path data = layout.dataDir(member);
    if (Files.exists(data)) {
      Path aside =
          data.resolveSibling(
              "data.removed-"
                  + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
      try {
        Files.move(data, aside);
        progressOut.println(
            "  " + member + " rejoins from a fresh copy; its old data is kept in " + aside);
      } catch (IOException e) {
        throw new LocalRuntimeException("cannot move " + data + " aside: " + e.getMessage(), e);
      }
    }
  }

  private Set<Integer> portsOfOtherClusters(LocalLayout self) {
    Set<Integer> ports = new HashSet<>();
    if (!Files.isDirectory(home)) {
      return ports;
    }
    try (Stream<Path> dirs = Files.list(home)) {
      for (Path dir : dirs.filter(d -> !d.equals(self.dir())).toList()) {
        try {
          LocalState.read(new LocalLayout(dir))
              .ifPresent(
                  s -> {
                    ports.addAll(
                        List.of(
                            s.etcdClientPort(),
                            s.etcdPeerPort(),
                            s.masterPooler().port(),
                            s.replicaPooler().port()));
                    s.members()
                        .forEach(
                            m -> ports.addAll(List.of(m.restPort(), m.pgPort(), m.exporterPort())));
                  });
        } catch (LocalRuntimeException e) {
          // an unreadable neighbour does not stop this cluster
        }
      }
    } catch (IOException e) {
      // no neighbours known
    }
    return ports;
  }
}
