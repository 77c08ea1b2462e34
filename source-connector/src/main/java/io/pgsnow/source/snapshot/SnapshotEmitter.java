package io.pgsnow.source.snapshot;

import io.pgsnow.source.events.RecordSizeLimit;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Puts the rows of parallel snapshot readers on the task's queue, one at a time. Each record's
 * offset holds the snapshot's progress as of that record: a chunk counts as done only in the
 * offsets of records queued after all its rows, so a committed offset never claims a chunk whose
 * rows are not all in Kafka. The latest row is held back until the next one comes so that the very
 * last row of the snapshot can be marked {@code last}, the first one {@code first}. Of a snapshot
 * spread over tasks, only task 0's emitter marks them, on its own first and last rows: the rows of
 * the tasks reach Kafka side by side, none of them first or last of the whole.
 */
final class SnapshotEmitter {
  static final String MODE_KEY = "snapshot";

  private final BlockingQueue<SourceRecord> queue;
  private final RecordSizeLimit sizeLimit;
  private final SnapshotRecords records;
  private final Map<String, ?> partition;
  private final SnapshotProgress progress;
  private final BooleanSupplier running;
  private final Map<String, ?> extraOffset;
  private final boolean marksEnds;
  private SnapshotRecords.Row pending;
  private Map<String, ?> offset;
  private String offsetProgress;
  private boolean first;

  SnapshotEmitter(
      BlockingQueue<SourceRecord> queue,
      RecordSizeLimit sizeLimit,
      SnapshotRecords records,
      Map<String, ?> partition,
      SnapshotProgress progress,
      BooleanSupplier running,
      Map<String, ?> extraOffset,
      boolean marksEnds) {
    this.marksEnds = marksEnds;
    this.first = marksEnds;
    this.queue = queue;
    this.sizeLimit = sizeLimit;
    this.extraOffset = extraOffset;
    this.records = records;
    this.partition = partition;
    this.progress = progress;
    this.running = running;
  }

  synchronized void put(SnapshotRecords.Row row) throws InterruptedException {
    if (pending != null) {
      pending.mark(first ? "first" : "true");
      first = false;
      flush(pending);
    }
    pending = row;
  }

  synchronized void chunkDone(SnapshotProgress.TablePlan plan, int chunk) {
    progress.chunkDone(plan, chunk);
  }

  /** Queues the held-back row as the snapshot's last one. */
  synchronized void finish() throws InterruptedException {
    if (pending != null) {
      pending.mark(marksEnds ? "last" : "true");
      flush(pending);
      pending = null;
    }
  }

  private void flush(SnapshotRecords.Row row) throws InterruptedException {
    SourceRecord record = row.toRecord(partition, offset());
    sizeLimit.measure(record);
    while (!queue.offer(record, 100, TimeUnit.MILLISECONDS)) {
      if (!running.getAsBoolean()) {
        throw new InterruptedException("Stopping");
      }
    }
  }

  /**
   * The offset of the next record: one read-only map shared by the records queued while the
   * progress does not change (it changes once per chunk), as nothing modifies a queued snapshot
   * record's offset.
   */
  private Map<String, ?> offset() {
    String encoded = progress.encode();
    // encode() returns the same String until the progress changes.
    if (offset == null || offsetProgress != encoded) {
      Map<String, Object> next = new HashMap<>(extraOffset);
      next.put(MODE_KEY, "initial");
      next.put(SnapshotProgress.OFFSET_KEY, encoded);
      offset = Collections.unmodifiableMap(next);
      offsetProgress = encoded;
    }
    return offset;
  }
}
