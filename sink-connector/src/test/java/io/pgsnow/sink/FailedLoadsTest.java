package io.pgsnow.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnow.common.retry.RetryPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FailedLoadsTest {

  @Test
  void theBackOffDoublesPerRetryUpToTenMinutes() {
    RetryPolicy policy = FailedLoads.loadRetryPolicy(Duration.ofSeconds(5), 10);
    assertThat(policy.backoff(1)).isEqualTo(Duration.ofSeconds(5));
    assertThat(policy.backoff(2)).isEqualTo(Duration.ofSeconds(10));
    assertThat(policy.backoff(4)).isEqualTo(Duration.ofSeconds(40));
    assertThat(policy.backoff(8)).isEqualTo(Duration.ofMinutes(10));
    assertThat(policy.backoff(1_000)).isEqualTo(Duration.ofMinutes(10));
    assertThat(FailedLoads.loadRetryPolicy(Duration.ZERO, 5).backoff(5)).isEqualTo(Duration.ZERO);
    assertThat(FailedLoads.loadRetryPolicy(Duration.ofHours(1), 5).backoff(1))
        .isEqualTo(Duration.ofMinutes(10));
    long total = 0;
    for (int retry = 1; retry <= 10; retry++) {
      total += policy.backoff(retry).toSeconds();
    }
    assertThat(total).as("the defaults span about 40 minutes").isBetween(2_400L, 2_500L);
  }

  @Test
  void aFileIsRetriedTheConfiguredNumberOfTimesWhateverTheTimeSpent() {
    RetryPolicy policy = FailedLoads.loadRetryPolicy(Duration.ofSeconds(5), 3);
    assertThat(policy.allows(3, Duration.ofDays(30))).isTrue();
    assertThat(policy.allows(4, Duration.ZERO)).isFalse();
  }
}
