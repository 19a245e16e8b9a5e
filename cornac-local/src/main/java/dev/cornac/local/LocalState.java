package dev.cornac.local;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What runs for one local cluster: its members and every port, chosen once and remembered so that a
 * cluster comes back on the same addresses. The supervisor runs exactly this; the CLI changes it.
 */
public record LocalState(
    String name,
    String postgresVersion,
    String binDir,
    String user,
    int etcdClientPort,
    int etcdPeerPort,
    List<Member> members,
    Pooler masterPooler,
    Pooler replicaPooler) {

  /**
   * A member: Patroni's REST port, PostgreSQL's port and its postgres_exporter's (one per member,
   * as a sidecar).
   */
  public record Member(String name, int restPort, int pgPort, int exporterPort) {}

  /** A PgBouncer: its port is kept even while it is disabled. */
  public record Pooler(boolean enabled, int port) {
    public Pooler withEnabled(boolean on) {
      return new Pooler(on, port);
    }
  }

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public LocalState {
    members = List.copyOf(members);
  }

  public Optional<Member> member(String memberName) {
    return members.stream().filter(m -> m.name().equals(memberName)).findFirst();
  }

  public LocalState withMembers(List<Member> newMembers) {
    return new LocalState(
        name,
        postgresVersion,
        binDir,
        user,
        etcdClientPort,
        etcdPeerPort,
        newMembers,
        masterPooler,
        replicaPooler);
  }

  public LocalState withPoolers(boolean master, boolean replica) {
    return new LocalState(
        name,
        postgresVersion,
        binDir,
        user,
        etcdClientPort,
        etcdPeerPort,
        members,
        masterPooler.withEnabled(master),
        replicaPooler.withEnabled(replica));
  }

  public LocalState withPostgres(String version, String bin) {
    return new LocalState(
        name,
        version,
        bin,
        user,
        etcdClientPort,
        etcdPeerPort,
        members,
        masterPooler,
        replicaPooler);
  }

  /** Members named as the StatefulSet's pods would be: {@code <cluster>-<ordinal>}. */
  public static String memberName(String cluster, int ordinal) {
    return cluster + "-" + ordinal;
  }

  public static int ordinal(String member) {
    return Integer.parseInt(member.substring(member.lastIndexOf('-') + 1));
  }

  public List<Member> membersByOrdinal() {
    List<Member> sorted = new ArrayList<>(members);
    sorted.sort((a, b) -> Integer.compare(ordinal(a.name()), ordinal(b.name())));
    return sorted;
  }

  public static Optional<LocalState> read(LocalLayout layout) {
    if (!Files.exists(layout.state())) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(layout.state().toFile(), LocalState.class));
    } catch (IOException e) {
      throw new LocalRuntimeException(
          "cannot read "
              + layout.state()
              + ": "
              + e.getMessage()
              + "; restore the file or remove the cluster directory "
              + layout.dir(),
          e);
    }
  }

  public void write(LocalLayout layout) {
    try {
      PrivateFiles.write(layout.state(), JSON.writeValueAsString(this));
    } catch (IOException e) {
      throw new LocalRuntimeException("cannot write " + layout.state() + ": " + e.getMessage(), e);
    }
  }
}
