package dev.cornac.local;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SocketPathsTest {
  static LocalState state(String cluster) {
    return new LocalState(
        cluster,
        "15",
        "/usr/lib/postgresql/15/bin",
        "postgres",
        2379,
        2380,
        List.of(new LocalState.Member(LocalState.memberName(cluster, 0), 8008, 54321, 9187)),
        new LocalState.Pooler(false, 6432),
        new LocalState.Pooler(false, 6433));
  }

  @Test
  void aSocketPathWithinTheKernelsLimitIsAccepted() {
    String cluster = "acid-minimal-cluster";
    LocalLayout layout = LocalLayout.of(Path.of("/var/lib/cornac/local"), cluster);
    assertThatCode(() -> SocketPaths.requireShortEnough(layout, state(cluster)))
        .doesNotThrowAnyException();
  }

  @Test
  void aSocketPathPastTheKernelsLimitIsRefusedWithWhatToShorten() {
    String cluster = "drill-default-sync-strict";
    LocalLayout layout =
        LocalLayout.of(Path.of("/tmp/cornac-drills-10420522886438052043"), cluster);
    assertThatThrownBy(() -> SocketPaths.requireShortEnough(layout, state(cluster)))
        .isInstanceOf(LocalRuntimeException.class)
        .hasMessageContaining(".s.PGSQL.54321 would be 116 bytes long, more than the 107")
        .hasMessageContaining("shorter --state-dir");
  }
}
