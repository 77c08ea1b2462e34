package io.pgsnow.common.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RetriesTest {

  private static final RetryPolicy POLICY =
      new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(10), 5, Duration.ofMinutes(1), 0.2);

  private final AtomicLong nanos = new AtomicLong();

  private Retries retries(double random) {
    return new Retries(POLICY, e -> e instanceof IOException, nanos::get, () -> random);
  }

  @Test
  void theBackoffDoublesUpToTheMaximum() {
    assertThat(POLICY.backoff(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(POLICY.backoff(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(POLICY.backoff(4)).isEqualTo(Duration.ofSeconds(8));
    assertThat(POLICY.backoff(5)).isEqualTo(Duration.ofSeconds(10));
    assertThat(POLICY.backoff(1_000)).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void theJitterSpreadsTheBackoffByItsFraction() {
    assertThat(POLICY.backoff(2, 0.0)).isEqualTo(Duration.ofMillis(1_600));
    assertThat(POLICY.backoff(2, 0.5)).isEqualTo(Duration.ofSeconds(2));
    assertThat(POLICY.backoff(2, 0.999_999))
        .isBetween(Duration.ofMillis(2_399), Duration.ofMillis(2_400));
  }

  @Test
  void retriesRetriableFailuresUntilTheRetriesAreUsedUpAndStartsAgainAfterASuccess() {
    Retries retries = retries(0.5);
    for (int i = 1; i <= 5; i++) {
      assertThat(retries.failed(new IOException("down"))).hasValue(POLICY.backoff(i));
    }
    assertThat(retries.failed(new IOException("down"))).isEmpty();
    assertThat(retries.failures()).isEqualTo(6);
    retries.succeeded();
    assertThat(retries.failed(new IOException("down"))).hasValue(Duration.ofSeconds(1));
  }

  @Test
  void aFailureTheClassifierRejectsIsNotRetried() {
    assertThat(retries(0.5).failed(new IllegalStateException("bug"))).isEmpty();
  }

  @Test
  void noRetryOnceTheDeadlineHasPassedSinceTheFirstFailure() {
    Retries retries = retries(0.5);
    assertThat(retries.failed(new IOException("down"))).isPresent();
    nanos.addAndGet(Duration.ofSeconds(59).toNanos());
    assertThat(retries.failed(new IOException("down"))).isPresent();
    nanos.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(retries.failed(new IOException("down"))).isEmpty();
  }

  @Test
  void rejectsPoliciesThatCannotWork() {
    assertThatThrownBy(
            () ->
                new RetryPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), 1, Duration.ZERO, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetryPolicy(Duration.ZERO, Duration.ZERO, -1, Duration.ZERO, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetryPolicy(Duration.ZERO, Duration.ZERO, 1, Duration.ZERO, 1.0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
