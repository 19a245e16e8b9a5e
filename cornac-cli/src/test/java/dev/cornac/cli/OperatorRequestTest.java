package dev.cornac.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cornac.operator.switchover.SwitchoverRequest;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OperatorRequestTest {

  @Test
  void requestsAskedWithinOneSecondAreEachARequestOfTheirOwn() {
    // Given a hundred requests asked one after the other (a few milliseconds in all)
    Set<String> values =
        IntStream.range(0, 100)
            .mapToObj(i -> OperatorRequest.tagged("now"))
            .collect(Collectors.toSet());

    // Then each has its own value: the operator acts on each, and each CLI waits for its outcome
    assertThat(values).hasSize(100);
    assertThat(values).allSatisfy(v -> assertThat(v).matches("now #\\d{8}T\\d{6}-[0-9a-f]{8}"));
  }

  @Test
  void theTagLeavesTheRequestItself() {
    SwitchoverRequest request =
        SwitchoverRequest.parse(OperatorRequest.tagged("acid-x-1 at 2026-12-01T02:00:00Z"));

    assertThat(request.candidate()).contains("acid-x-1");
    assertThat(request.at()).isPresent();
  }
}
