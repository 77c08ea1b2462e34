package io.pgsnow.source;

import io.pgsnow.source.events.RecordSizeLimit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * The batches {@code poll()} hands to Kafka Connect from the task's bounded queue: up to {@code
 * max.batch.size} records, waiting at most {@code poll.interval.ms} for the first, cut before a
 * record the reader threads found too large.
 */
final class RecordBatches {
  private final BlockingQueue<SourceRecord> queue;
  private final RecordSizeLimit sizeLimit;
  private final long pollMillis;
  private final int maxBatchSize;

  RecordBatches(
      BlockingQueue<SourceRecord> queue,
      RecordSizeLimit sizeLimit,
      PostgresCdcSourceConfig config) {
    this.queue = queue;
    this.sizeLimit = sizeLimit;
    this.pollMillis = config.pollInterval().toMillis();
    this.maxBatchSize = config.maxBatchSize();
  }

  /** Fails the task when a record over the size limit was reached in an earlier batch. */
  void throwIfTooLarge() {
    sizeLimit.throwIfExceeded();
  }

  /** Whether every record queued has been handed over. */
  boolean drained() {
    return queue.isEmpty();
  }

  /** The next batch, or null when nothing came within the poll interval. */
  List<SourceRecord> next() throws InterruptedException {
    SourceRecord first = queue.poll(pollMillis, TimeUnit.MILLISECONDS);
    if (first == null) {
      return null;
    }
    List<SourceRecord> batch = new ArrayList<>(Math.min(maxBatchSize, queue.size() + 1));
    batch.add(first);
    queue.drainTo(batch, maxBatchSize - 1);
    return sizeLimit.admit(batch);
  }
}
