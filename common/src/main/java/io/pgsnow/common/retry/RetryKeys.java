package io.pgsnow.common.retry;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/**
 * The config keys of one {@link RetryPolicy}, under a prefix: {@code <prefix>backoff.ms}, {@code
 * <prefix>backoff.max.ms}, {@code <prefix>max.attempts} and {@code <prefix>deadline.ms}. Each
 * plugin declares them in its own config class with its own defaults.
 *
 * @param what the faults these keys retry, for the docs ("transient Snowflake faults")
 */
public record RetryKeys(String prefix, String what, Defaults defaults) {

  /** The default values of the four keys. */
  public record Defaults(
      Duration backoff, Duration maxBackoff, int maxAttempts, Duration deadline) {}

  public String backoff() {
    return prefix + "backoff.ms";
  }

  public String maxBackoff() {
    return prefix + "backoff.max.ms";
  }

  public String maxAttempts() {
    return prefix + "max.attempts";
  }

  public String deadline() {
    return prefix + "deadline.ms";
  }

  /**
   * Declares the keys in {@code group} from {@code order} on.
   *
   * @return the next free order in the group
   */
  public int define(ConfigDef def, String group, int order) {
    def.define(
        backoff(),
        Type.LONG,
        defaults.backoff().toMillis(),
        ConfigDef.Range.atLeast(0),
        Importance.LOW,
        "Wait, in milliseconds, before the first retry after "
            + what
            + ". Each further retry waits twice as long, up to <code>"
            + maxBackoff()
            + "</code>, spread by a random 20% either way so that tasks failing together do not"
            + " retry together.",
        group,
        order++,
        Width.SHORT,
        "Retry back-off (ms)");
    def.define(
        maxBackoff(),
        Type.LONG,
        defaults.maxBackoff().toMillis(),
        ConfigDef.Range.atLeast(0),
        Importance.LOW,
        "The longest wait, in milliseconds, between two retries after "
            + what
            + ". At least <code>"
            + backoff()
            + "</code>.",
        group,
        order++,
        Width.SHORT,
        "Retry back-off maximum (ms)");
    def.define(
        maxAttempts(),
        Type.INT,
        defaults.maxAttempts(),
        ConfigDef.Range.atLeast(1),
        Importance.LOW,
        "Consecutive failed attempts, after " + what + ", after which the task fails.",
        group,
        order++,
        Width.SHORT,
        "Retry attempts");
    def.define(
        deadline(),
        Type.LONG,
        defaults.deadline().toMillis(),
        ConfigDef.Range.atLeast(0),
        Importance.LOW,
        "How long, in milliseconds from the first of consecutive failures after "
            + what
            + ", the task retries before it fails, whatever <code>"
            + maxAttempts()
            + "</code> allows.",
        group,
        order++,
        Width.SHORT,
        "Retry deadline (ms)");
    return order;
  }

  /** The policy the keys of {@code config} set. */
  public RetryPolicy policy(AbstractConfig config) {
    return new RetryPolicy(
        Duration.ofMillis(config.getLong(backoff())),
        Duration.ofMillis(config.getLong(maxBackoff())),
        config.getInt(maxAttempts()) - 1,
        Duration.ofMillis(config.getLong(deadline())),
        RetryPolicy.DEFAULT_JITTER);
  }

  /**
   * The error of a rule across the keys, keyed by the key it is about: the maximum backoff must not
   * be below the first.
   */
  public Optional<Map.Entry<String, String>> crossKeyError(AbstractConfig config) {
    long first = config.getLong(backoff());
    long max = config.getLong(maxBackoff());
    if (max < first) {
      return Optional.of(
          Map.entry(maxBackoff(), "Must be at least " + backoff() + " (" + first + "), is " + max));
    }
    return Optional.empty();
  }
}
