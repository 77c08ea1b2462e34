package io.pgsnow.sink;

import io.pgsnow.common.retry.RetryPolicy;
import io.pgsnow.sink.naming.StageFileName;
import io.pgsnow.sink.partition.PartitionState;
import io.pgsnow.sink.partition.PartitionState.Tracked;
import io.pgsnow.sink.recovery.LoadFailure;
import io.pgsnow.sink.recovery.LoadStatus;
import java.sql.SQLException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what happens to a file Snowpipe reported it could not load. A transient failure loads the
 * same offsets again as a new attempt after a back-off, a bounded number of times, then fails the
 * task. A failure for the data's sake is named in the error table, then either fails the task
 * ({@code errors.tolerance=none}) or has the file's records reported as errant ({@code all}). In
 * every case the file's offsets stay uncommitted until its records are loaded or reported. Called
 * by the recovery of a partition and by the background thread; the outcomes map is concurrent.
 */
final class FailedLoads {

  private static final Logger LOG = LoggerFactory.getLogger(FailedLoads.class);
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(10);

  private final SnowflakeSinkConfig config;
  private final ErrorTable errorTable;
  private final RetryPolicy retryPolicy;
  private final SinkMetrics metrics;
  private final boolean reporting;
  private final Map<String, LoadStatus> outcomes = new ConcurrentHashMap<>();

  FailedLoads(
      SnowflakeSinkConfig config, ErrorTable errorTable, SinkMetrics metrics, boolean reporting) {
    this.config = config;
    this.errorTable = errorTable;
    this.retryPolicy = loadRetryPolicy(config.loadRetryBackoff(), config.loadRetryMaxAttempts());
    this.metrics = metrics;
    this.reporting = reporting;
  }

  /** Remembers what Snowpipe reported for a failed file until its failure is decided. */
  void failed(LoadStatus status) {
    outcomes.put(status.path(), status);
  }

  /**
   * The retries of one file's offsets: doubling from {@code backoff} up to ten minutes, spread by
   * the jitter, {@code maxRetries} times. A file retries as long as its retries allow (its offsets
   * wait meanwhile), so there is no deadline.
   */
  static RetryPolicy loadRetryPolicy(Duration backoff, int maxRetries) {
    Duration base = backoff.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff;
    return new RetryPolicy(
        base,
        MAX_BACKOFF,
        maxRetries,
        ChronoUnit.FOREVER.getDuration(),
        RetryPolicy.DEFAULT_JITTER);
  }

  /**
   * Decides a failed file's fate.
   *
   * @return the failure that stops the task, if it must stop
   */
  Optional<ConnectException> decide(
      TopicPartition tp, PartitionState state, Target target, Tracked file) throws SQLException {
    StageFileName name = file.name();
    LoadStatus status =
        outcomes.getOrDefault(
            name.path(),
            new LoadStatus(name.path(), LoadStatus.Status.LOAD_FAILED, 0, 0, "load failed"));
    if (LoadFailure.of(status) == LoadFailure.TRANSIENT) {
      int retried = state.retries(name.startOffset());
      if (retryPolicy.allows(retried + 1, Duration.ZERO)) {
        Duration wait = retryPolicy.backoff(retried + 1, ThreadLocalRandom.current().nextDouble());
        state.retry(name, System.nanoTime() + wait.toNanos());
        outcomes.remove(name.path());
        metrics.retried(tp);
        LOG.warn(
            "{}. A transient failure: the offsets are loaded again as {} in {} ms (retry {} of"
                + " {})",
            describe(tp, name, status),
            name.nextAttempt().fileName(),
            wait.toMillis(),
            retried + 1,
            config.loadRetryMaxAttempts());
        return Optional.empty();
      }
      errorTable.record(tp, target, name, status);
      String message =
          describe(tp, name, status)
              + ". It failed for a transient reason "
              + (retried + 1)
              + " times in a row ("
              + SnowflakeSinkConfig.LOAD_RETRY_MAX
              + "="
              + config.loadRetryMaxAttempts()
              + "); the task stops and commits no offset from "
              + name.startOffset()
              + " on. A restarted task tries again.";
      LOG.error(message);
      return Optional.of(new ConnectException(message));
    }
    errorTable.record(tp, target, name, status);
    metrics.failed(tp);
    outcomes.remove(name.path());
    if (!config.toleratesBadRecords()) {
      String message =
          describe(tp, name, status)
              + ". Its data cannot load (errors.tolerance=none): the task stops and commits no"
              + " offset from "
              + name.startOffset()
              + " on. The file is named in "
              + errorTable.name().sql()
              + "; fix the records or the table, or set errors.tolerance=all to send such records"
              + " to the dead letter queue.";
      LOG.error(message);
      return Optional.of(new ConnectException(message));
    }
    if (!reporting) {
      LOG.error(
          "{}. Its data cannot load (errors.tolerance=all) and no dead letter queue is set: its"
              + " records are named in {} only",
          describe(tp, name, status),
          errorTable.name().sql());
      state.done(name);
      return Optional.empty();
    }
    LOG.error(
        "{}. Its data cannot load (errors.tolerance=all): its records go to the dead letter queue"
            + " and the file is named in {}",
        describe(tp, name, status),
        errorTable.name().sql());
    state.report(name, System.nanoTime());
    return Optional.empty();
  }

  /** How an errant record of a rejected file is described to the dead letter queue. */
  static String rejected(StageFileName file) {
    return "Snowpipe could not load the file "
        + file.path()
        + " (offsets "
        + file.startOffset()
        + "-"
        + file.endOffset()
        + ") holding this record";
  }

  private static String describe(TopicPartition tp, StageFileName file, LoadStatus status) {
    return "Snowpipe could not load "
        + file.path()
        + " (offsets "
        + file.startOffset()
        + "-"
        + file.endOffset()
        + " of "
        + tp
        + "): "
        + status.status()
        + ", "
        + withoutFinalStop(String.valueOf(status.firstError()));
  }

  /** The messages that follow add their own full stop. */
  private static String withoutFinalStop(String error) {
    String trimmed = error.strip();
    return trimmed.endsWith(".") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
  }
}
