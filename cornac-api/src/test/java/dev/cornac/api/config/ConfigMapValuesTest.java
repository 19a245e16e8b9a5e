package dev.cornac.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigMapValuesTest {
  @Test
  void parsesBooleansTheWayGoDoes() {
    for (String t : List.of("1", "t", "T", "TRUE", "true", "True")) {
      assertThat(ConfigMapValues.parseBool("k", t)).as(t).isTrue();
    }
    for (String f : List.of("0", "f", "F", "FALSE", "false", "False")) {
      assertThat(ConfigMapValues.parseBool("k", f)).as(f).isFalse();
    }
    assertThatThrownBy(() -> ConfigMapValues.parseBool("enable_sidecars", "yes"))
        .hasMessageContaining("enable_sidecars")
        .hasMessageContaining("\"yes\"")
        .hasMessageContaining("true or false");
  }

  @Test
  void parsesIntegersWithBaseZeroLikeGo() {
    assertThat(ConfigMapValues.parseInt("k", "42")).isEqualTo(42);
    assertThat(ConfigMapValues.parseInt("k", "-1")).isEqualTo(-1);
    assertThat(ConfigMapValues.parseInt("k", "010")).as("leading zero is octal").isEqualTo(8);
    assertThat(ConfigMapValues.parseInt("k", "0x10")).isEqualTo(16);
    assertThat(ConfigMapValues.parseInt("k", "0")).isZero();
    assertThatThrownBy(() -> ConfigMapValues.parseInt("workers", "eight"))
        .hasMessageContaining("workers");
  }

  @Test
  void parsesGoDurations() {
    assertThat(ConfigMapValues.parseDuration("k", "3s")).isEqualTo(Duration.ofSeconds(3));
    assertThat(ConfigMapValues.parseDuration("k", "1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(ConfigMapValues.parseDuration("k", "1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(ConfigMapValues.parseDuration("k", "250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(ConfigMapValues.parseDuration("k", "0")).isEqualTo(Duration.ZERO);
    assertThatThrownBy(() -> ConfigMapValues.parseDuration("resync_period", "30"))
        .hasMessageContaining("resync_period")
        .hasMessageContaining("10m");
  }

  @Test
  void splitsListsOnEveryCommaWithoutTrimming() {
    assertThat(ConfigMapValues.parseList("a, b")).containsExactly("a", " b");
    assertThat(ConfigMapValues.parseList("admin,cron_admin"))
        .containsExactly("admin", "cron_admin");
    assertThat(ConfigMapValues.parseList("")).isEmpty();
  }

  @Test
  void parsesMapsWithQuotesKeptAndPairsTrimmed() {
    assertThat(ConfigMapValues.parseMap("k", "application:spilo"))
        .isEqualTo(Map.of("application", "spilo"));
    assertThat(ConfigMapValues.parseMap("k", " a:b , c:d"))
        .containsExactly(Map.entry("a", "b"), Map.entry("c", "d"));
    assertThat(ConfigMapValues.parseMap("k", "work_mem:'4GB'")).containsEntry("work_mem", "'4GB'");
    assertThat(ConfigMapValues.parseMap("k", "x:'a,b'")).containsEntry("x", "'a,b'");
  }

  @Test
  void rejectsMapPairsThatDoNotSplitIntoExactlyTwo() {
    assertThatThrownBy(() -> ConfigMapValues.parseMap("sidecar_docker_images", "name:repo:tag"))
        .hasMessageContaining("sidecar_docker_images")
        .hasMessageContaining("exactly one key:value");
    assertThatThrownBy(() -> ConfigMapValues.parseMap("cluster_labels", "a:b,"))
        .hasMessageContaining("cluster_labels");
    assertThatThrownBy(() -> ConfigMapValues.parseMap("k", "a:'b"))
        .hasMessageContaining("unmatched quote starting at position 3");
  }
}
