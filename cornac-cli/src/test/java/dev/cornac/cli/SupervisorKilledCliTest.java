package dev.cornac.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A local cluster whose supervisor was SIGKILLed still stops completely with {@code cornac local
 * down}.
 */
class SupervisorKilledCliTest {
  Path home;

  @AfterEach
  void cleanUp() throws Exception {
    if (home != null) {
      living().forEach(p -> p.destroyForcibly());
      CliRunner.deleteTree(home);
    }
  }

  /**
   * Every process whose command line mentions the test's home: etcd, Patroni, PostgreSQL,
   * exporters.
   */
  private List<ProcessHandle> living() {
    return ProcessHandle.allProcesses()
        .filter(ProcessHandle::isAlive)
        .filter(p -> commandLine(p.pid()).contains(home.toString()))
        .toList();
  }

  private static String commandLine(long pid) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")))
          .replace('\0', ' ');
    } catch (Exception e) {
      return "";
    }
  }

  @Test
  void downStopsWhatAKilledSupervisorLeftRunning() throws Exception {
    home = Files.createTempDirectory("cornac-killed-supervisor-");
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path manifest = home.resolve("cluster.yaml");
    Files.writeString(
        manifest,
        """
        apiVersion: "acid.zalan.do/v1"
        kind: postgresql
        metadata: {name: acid-orphans}
        spec: {teamId: acid, numberOfInstances: 1, postgresql: {version: "15"}, volume: {size: 1Gi}}
        """);
    CliRunner.Result up = CliRunner.local(home, "up", "-f", manifest.toString());
    assertThat(up.exit()).as(up.err()).isZero();
    long supervisor =
        Long.parseLong(
            Files.readString(home.resolve("acid-orphans").resolve("supervisor.pid")).strip());
    ProcessHandle.of(supervisor).orElseThrow().destroyForcibly();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                ProcessHandle.of(supervisor).isEmpty()
                    || !ProcessHandle.of(supervisor).get().isAlive());
    assertThat(living())
        .as("etcd, Patroni and PostgreSQL outlive a killed supervisor")
        .isNotEmpty();

    CliRunner.Result down = CliRunner.local(home, "down", "acid-orphans");
    assertThat(down.exit()).as(down.err()).isZero();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(living().stream().map(p -> commandLine(p.pid())).toList())
                    .as("nothing of the cluster keeps running")
                    .isEmpty());
    assertThat(
            home.resolve("acid-orphans")
                .resolve("members")
                .resolve("acid-orphans-0")
                .resolve("data"))
        .as("data kept")
        .isDirectory();
  }
}
