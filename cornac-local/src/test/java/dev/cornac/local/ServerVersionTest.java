package dev.cornac.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerVersionTest {
  @Test
  void readsTheVersionThatPostgresPrints() {
    assertThat(
            ServerVersion.ofVersionOutput("postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n"))
        .contains(new ServerVersion(150018));
    assertThat(ServerVersion.ofVersionOutput("postgres (PostgreSQL) 18.1"))
        .contains(new ServerVersion(180001));
    assertThat(ServerVersion.ofVersionOutput("postgres (PostgreSQL) 17beta1"))
        .contains(new ServerVersion(170000));
    assertThat(ServerVersion.ofVersionOutput("bash: postgres: not found")).isEmpty();
    assertThat(new ServerVersion(150018)).hasToString("15.18");
  }

  @Test
  void aRestartIsOwedOnlyWhenTheInstalledBinariesAreNewer() {
    Optional<ServerVersion> v1517 = ServerVersion.ofNum(150017);
    Optional<ServerVersion> v1518 = ServerVersion.ofNum(150018);
    assertThat(ServerVersion.restartOwed(v1517, v1518)).as("a minor update installed").isTrue();
    assertThat(ServerVersion.restartOwed(v1518, v1518)).as("up to date").isFalse();
    assertThat(ServerVersion.restartOwed(v1518, v1517))
        .as("a downgrade is not suggested")
        .isFalse();
    assertThat(ServerVersion.restartOwed(ServerVersion.ofNum(0), v1518))
        .as("the member's version is not known yet")
        .isFalse();
    assertThat(ServerVersion.restartOwed(v1517, Optional.empty()))
        .as("the binaries cannot say")
        .isFalse();
  }

  @Test
  void theInstalledBinariesSayTheirVersion() {
    assertThat(ServerVersion.installed(Path.of("/usr/lib/postgresql/15/bin")))
        .hasValueSatisfying(v -> assertThat(v.num() / 10000).isEqualTo(15));
    assertThat(ServerVersion.installed(Path.of("/nonexistent/bin"))).isEmpty();
  }
}
