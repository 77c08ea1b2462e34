package io.pgsnow.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FailedLoadsTest {

  @Test
  void theBackOffDoublesPerRetryUpToTenMinutes() {
    Duration base = Duration.ofSeconds(5);
    assertThat(FailedLoads.backoff(base, 1)).isEqualTo(Duration.ofSeconds(5));
    assertThat(FailedLoads.backoff(base, 2)).isEqualTo(Duration.ofSeconds(10));
    assertThat(FailedLoads.backoff(base, 4)).isEqualTo(Duration.ofSeconds(40));
    assertThat(FailedLoads.backoff(base, 8)).isEqualTo(Duration.ofMinutes(10));
    assertThat(FailedLoads.backoff(base, 1_000)).isEqualTo(Duration.ofMinutes(10));
    assertThat(FailedLoads.backoff(Duration.ZERO, 5)).isEqualTo(Duration.ZERO);
    long total = 0;
    for (int retry = 1; retry <= 10; retry++) {
      total += FailedLoads.backoff(base, retry).toSeconds();
    }
    assertThat(total).as("the defaults span about 40 minutes").isBetween(2_400L, 2_500L);
  }
}
