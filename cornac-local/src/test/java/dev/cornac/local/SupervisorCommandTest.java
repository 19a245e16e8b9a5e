package dev.cornac.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SupervisorCommandTest {
  @Test
  void aLeftOverProcessIsRecognisedByItsCommandLineScriptsIncluded() {
    List<String> patroni = List.of("/usr/bin/patroni", "/x/members/a-0/patroni.yml");
    assertThat(
            Supervisor.sameCommand(
                List.of("/usr/bin/python3", "/usr/bin/patroni", "/x/members/a-0/patroni.yml"),
                patroni))
        .as("python3 runs the Patroni script")
        .isTrue();
    assertThat(
            Supervisor.sameCommand(
                List.of("/usr/bin/etcd", "--name", "etcd"),
                List.of("/usr/bin/etcd", "--name", "etcd")))
        .isTrue();
    assertThat(
            Supervisor.sameCommand(
                List.of("/usr/bin/python3", "/usr/bin/patroni", "/y/members/b-0/patroni.yml"),
                patroni))
        .as("another cluster's member")
        .isFalse();
    assertThat(
            Supervisor.sameCommand(
                List.of("/usr/bin/python3", "/usr/bin/other", "/x/members/a-0/patroni.yml"),
                patroni))
        .as("another program")
        .isFalse();
    assertThat(Supervisor.sameCommand(List.of(), patroni)).isFalse();
  }
}
