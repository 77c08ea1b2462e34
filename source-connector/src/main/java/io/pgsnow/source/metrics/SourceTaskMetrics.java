package io.pgsnow.source.metrics;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The task's metrics, registered as {@code io.pgsnow.source:type=task-metrics,connector=…} while
 * the task runs. Counters are written by the reader thread and read by JMX clients.
 */
public final class SourceTaskMetrics implements SourceTaskMetricsMBean, AutoCloseable {

  private final Counters counters;
  private final IntSupplier queueSize;
  private final LongSupplier readLsn;
  private final LongSupplier confirmedLsn;
  private ConnectorMBean registration;

  /** What the reader thread counts as it goes. */
  public static final class Counters {
    private final AtomicLong recordsQueued = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong streamingFallbacks = new AtomicLong();
    private volatile long lastCommitTimeMillis;
    private volatile LongSupplier specialValues = () -> 0L;

    /** Where the special values are counted. */
    public void countSpecialValues(LongSupplier count) {
      this.specialValues = count;
    }

    public void recordQueued(long commitTimeMillis) {
      recordsQueued.incrementAndGet();
      lastCommitTimeMillis = commitTimeMillis;
    }

    public void reconnected() {
      reconnects.incrementAndGet();
    }

    public void streamingFellBack() {
      streamingFallbacks.incrementAndGet();
    }
  }

  public SourceTaskMetrics(
      Counters counters, IntSupplier queueSize, LongSupplier readLsn, LongSupplier confirmedLsn) {
    this.counters = counters;
    this.queueSize = queueSize;
    this.readLsn = readLsn;
    this.confirmedLsn = confirmedLsn;
  }

  /** Registers the MBean; a failure only costs the metrics, never the task. */
  public SourceTaskMetrics register(String connector) {
    registration = ConnectorMBean.register(this, "task-metrics", connector);
    return this;
  }

  @Override
  public long getRecordsQueued() {
    return counters.recordsQueued.get();
  }

  @Override
  public int getQueueSize() {
    return queueSize.getAsInt();
  }

  @Override
  public long getLastCommitTimeMillis() {
    return counters.lastCommitTimeMillis;
  }

  @Override
  public long getMillisBehindSource() {
    long last = counters.lastCommitTimeMillis;
    return last == 0 || getQueueSize() == 0 ? 0 : Math.max(0, System.currentTimeMillis() - last);
  }

  @Override
  public String getReadLsn() {
    return format(readLsn.getAsLong());
  }

  @Override
  public String getConfirmedLsn() {
    return format(confirmedLsn.getAsLong());
  }

  @Override
  public long getReconnects() {
    return counters.reconnects.get();
  }

  @Override
  public long getStreamingFallbacks() {
    return counters.streamingFallbacks.get();
  }

  @Override
  public long getSpecialValues() {
    return counters.specialValues.getAsLong();
  }

  /** An LSN as PostgreSQL prints it, e.g. {@code 0/16B3748}. */
  static String format(long lsn) {
    return Long.toHexString(lsn >>> 32).toUpperCase(java.util.Locale.ROOT)
        + "/"
        + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase(java.util.Locale.ROOT);
  }

  @Override
  public void close() {
    if (registration != null) {
      registration.close();
    }
  }
}
