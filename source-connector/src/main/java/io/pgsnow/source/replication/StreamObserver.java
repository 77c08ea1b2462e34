package io.pgsnow.source.replication;

import io.pgsnow.source.decoding.PgOutputMessage;
import io.pgsnow.source.events.TransactionAssembler;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Sees the stream as the reader reads it: each decoded message before it is assembled, and each
 * record before it is queued. Snapshots taken while streaming use it for their watermarks.
 */
public interface StreamObserver {
  StreamObserver NONE =
      new StreamObserver() {
        @Override
        public void message(
            PgOutputMessage message, long lsn, TransactionAssembler.RecordSink sink) {}

        @Override
        public SourceRecord queued(SourceRecord record) {
          return record;
        }
      };

  /** A decoded message; records given to {@code sink} are queued at this point of the stream. */
  void message(PgOutputMessage message, long lsn, TransactionAssembler.RecordSink sink)
      throws InterruptedException;

  /**
   * A record about to be queued, in stream order; returns the record to queue. The record's offset
   * map is its own mutable map ({@link io.pgsnow.source.offsets.SourcePosition#toOffset}), so an
   * observer may add keys to it instead of copying the record.
   */
  SourceRecord queued(SourceRecord record);
}
