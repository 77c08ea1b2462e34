package io.pgsnow.common.retry;

import java.time.Duration;
import java.util.Objects;

/**
 * How a sequence of failures is retried: exponential backoff from {@code initialBackoff}, doubling
 * up to {@code maxBackoff}, spread by a random {@code jitter} (a fraction: 0.2 waits between 80%
 * and 120% of the backoff) so that tasks failing together do not retry together; at most {@code
 * maxRetries} retries, and none once {@code deadline} has passed since the first failure.
 */
public record RetryPolicy(
    Duration initialBackoff,
    Duration maxBackoff,
    int maxRetries,
    Duration deadline,
    double jitter) {

  /** The jitter the plugins use. */
  public static final double DEFAULT_JITTER = 0.2;

  public RetryPolicy {
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(deadline, "deadline");
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "backoff must be at least 0 and at most the maximum backoff: "
              + initialBackoff
              + " > "
              + maxBackoff);
    }
    if (maxRetries < 0 || deadline.isNegative() || jitter < 0 || jitter >= 1) {
      throw new IllegalArgumentException(
          "retries, deadline and jitter must not be negative (jitter below 1)");
    }
  }

  /**
   * Whether failure number {@code failures} (1 for the first), {@code elapsed} after the first, is
   * retried.
   */
  public boolean allows(int failures, Duration elapsed) {
    return failures <= maxRetries && elapsed.compareTo(deadline) < 0;
  }

  /** The wait before retry number {@code retry} (1 for the first), without jitter. */
  public Duration backoff(int retry) {
    Duration wait = initialBackoff;
    for (int i = 1; i < retry && wait.compareTo(maxBackoff) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
  }

  /**
   * The wait before retry number {@code retry}, spread by the jitter: {@code random} (in [0, 1))
   * picks a point between {@code 1 - jitter} and {@code 1 + jitter} times the backoff.
   */
  public Duration backoff(int retry, double random) {
    Duration base = backoff(retry);
    double factor = 1 - jitter + 2 * jitter * random;
    return Duration.ofNanos(Math.round(base.toNanos() * factor));
  }
}
