package dev.cornac.operator.switchover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class SwitchoverRequestTest {
  @Test
  void readsEveryFormAndKeepsTheWholeValueAsIdentity() {
    assertThat(SwitchoverRequest.parse("now").candidate()).isEmpty();
    assertThat(SwitchoverRequest.parse("acid-x-1").candidate()).contains("acid-x-1");
    SwitchoverRequest timed = SwitchoverRequest.parse("acid-x-1 at 2026-12-01T02:00:00Z");
    assertThat(timed.candidate()).contains("acid-x-1");
    assertThat(timed.at()).contains(OffsetDateTime.parse("2026-12-01T02:00:00Z"));
    assertThat(SwitchoverRequest.parse("at 2026-12-01T02:00:00+01:00").candidate()).isEmpty();
    SwitchoverRequest tagged = SwitchoverRequest.parse(" now #2 ");
    assertThat(tagged.candidate()).isEmpty();
    assertThat(tagged.raw()).isEqualTo("now #2");
  }

  @Test
  void badValuesSayWhatToWrite() {
    assertThatThrownBy(() -> SwitchoverRequest.parse("acid-x-1 at tomorrow"))
        .hasMessageContaining("\"tomorrow\" is not a time")
        .hasMessageContaining("<pod> at <time>");
    assertThatThrownBy(() -> SwitchoverRequest.parse("to acid-x-1"))
        .hasMessageContaining("cannot read");
  }
}
