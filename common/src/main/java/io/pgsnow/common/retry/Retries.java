package io.pgsnow.common.retry;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * One sequence of consecutive failures under a {@link RetryPolicy}: each failure the classifier
 * calls retriable gets the wait before the next attempt, until the policy's retries or deadline are
 * used up. A success starts a new sequence. Not thread-safe: one per retrying loop.
 */
public final class Retries {

  private final RetryPolicy policy;
  private final Predicate<Throwable> retriable;
  private final LongSupplier nanoTime;
  private final DoubleSupplier random;
  private int failures;
  private long firstFailureNanos;

  public Retries(
      RetryPolicy policy,
      Predicate<Throwable> retriable,
      LongSupplier nanoTime,
      DoubleSupplier random) {
    this.policy = policy;
    this.retriable = retriable;
    this.nanoTime = nanoTime;
    this.random = random;
  }

  public Retries(RetryPolicy policy, Predicate<Throwable> retriable) {
    this(policy, retriable, System::nanoTime, () -> ThreadLocalRandom.current().nextDouble());
  }

  /**
   * Counts a failure.
   *
   * @return the wait before the next attempt, or empty when the failure must not be retried (not
   *     retriable, or the retries or the deadline are used up)
   */
  public Optional<Duration> failed(Throwable failure) {
    long now = nanoTime.getAsLong();
    if (failures == 0) {
      firstFailureNanos = now;
    }
    failures++;
    if (!retriable.test(failure)
        || !policy.allows(failures, Duration.ofNanos(now - firstFailureNanos))) {
      return Optional.empty();
    }
    return Optional.of(policy.backoff(failures, random.getAsDouble()));
  }

  /** Consecutive failures so far. */
  public int failures() {
    return failures;
  }

  public RetryPolicy policy() {
    return policy;
  }

  /** An attempt succeeded: the next failure starts a new sequence. */
  public void succeeded() {
    failures = 0;
  }
}
