package io.pgsnow.source.heartbeat;

import io.pgsnow.source.offsets.SourcePosition;
import io.pgsnow.source.replication.StreamReader;
import java.util.function.LongSupplier;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Decides when a heartbeat is due (every {@code heartbeat.interval.ms}, between transactions), runs
 * the action query first, and builds the record. Called by the reader thread only.
 */
public final class Heartbeat implements StreamReader.Beat, AutoCloseable {
  private final long intervalMillis;
  private final HeartbeatRecords records;
  private final Runnable actionQuery;
  private final LongSupplier clock;
  private long lastBeat;

  /**
   * @param actionQuery runs {@code heartbeat.action.query} (a no-op without one); must not throw
   */
  public Heartbeat(
      HeartbeatOptions options,
      HeartbeatRecords records,
      Runnable actionQuery,
      LongSupplier clock) {
    this.intervalMillis = options.interval().toMillis();
    this.records = records;
    this.actionQuery = actionQuery;
    this.clock = clock;
    this.lastBeat = clock.getAsLong();
  }

  @Override
  public SourceRecord due(SourcePosition position) {
    if (intervalMillis <= 0) {
      return null;
    }
    long now = clock.getAsLong();
    if (now - lastBeat < intervalMillis) {
      return null;
    }
    lastBeat = now;
    actionQuery.run();
    return records.record(position, now);
  }

  @Override
  public void close() {
    if (actionQuery instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        // Closing a connection that is already gone.
      }
    }
  }
}
