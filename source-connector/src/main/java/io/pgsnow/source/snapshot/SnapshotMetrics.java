package io.pgsnow.source.snapshot;

import io.pgsnow.source.metrics.ConnectorMBean;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The progress of the running snapshot, registered as {@code
 * io.pgsnow.source:type=snapshot-metrics,connector=…} and logged every few seconds: tables done of
 * total, rows copied, rows per second and the time left, estimated from the catalog's row counts.
 */
public final class SnapshotMetrics implements SnapshotMetricsMBean, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotMetrics.class);
  private static final long LOG_EVERY_NANOS = Duration.ofSeconds(10).toNanos();

  private final AtomicInteger tablesTotal = new AtomicInteger();
  private final AtomicInteger tablesDone = new AtomicInteger();
  private final AtomicLong rows = new AtomicLong();
  private final AtomicLong chunks = new AtomicLong();
  private final AtomicLong estimatedRows = new AtomicLong();
  private volatile long startNanos;
  private volatile long endNanos;
  private volatile boolean running;
  private volatile long lastLogNanos;
  private ConnectorMBean registration;

  /** Registers the MBean; a failure only costs the metrics, never the task. */
  public SnapshotMetrics register(String connector, int task) {
    registration = ConnectorMBean.register(this, "snapshot-metrics", connector, task);
    return this;
  }

  /** A snapshot of {@code tables} tables holding about {@code estimated} rows begins. */
  public void started(int tables, long estimated) {
    tablesTotal.addAndGet(tables);
    estimatedRows.addAndGet(estimated);
    if (!running) {
      startNanos = System.nanoTime();
      lastLogNanos = startNanos;
      running = true;
    }
  }

  public void rowsRead(long count) {
    rows.addAndGet(count);
  }

  public void chunkCompleted() {
    chunks.incrementAndGet();
    long now = System.nanoTime();
    if (now - lastLogNanos >= LOG_EVERY_NANOS) {
      lastLogNanos = now;
      LOG.info("Snapshot: {}", progress());
    }
  }

  public void tableCompleted() {
    tablesDone.incrementAndGet();
  }

  public void finished() {
    if (running) {
      running = false;
      endNanos = System.nanoTime();
      LOG.info("Snapshot finished: {}", progress());
    }
  }

  String progress() {
    long scanned = rows.get();
    double rate = getRowsPerSecond();
    long left = Math.max(0, estimatedRows.get() - scanned);
    String eta = rate <= 0 ? "unknown" : Duration.ofSeconds((long) (left / rate)).toString();
    return String.format(
        "%d of %d tables done, %,d rows copied in %s, %,.0f rows/s, about %s left",
        tablesDone.get(),
        tablesTotal.get(),
        scanned,
        Duration.ofMillis(getSnapshotDurationMs()),
        rate,
        running ? eta : "nothing");
  }

  @Override
  public boolean getSnapshotRunning() {
    return running;
  }

  @Override
  public int getTablesTotal() {
    return tablesTotal.get();
  }

  @Override
  public int getTablesRemaining() {
    return Math.max(0, tablesTotal.get() - tablesDone.get());
  }

  @Override
  public long getRowsScanned() {
    return rows.get();
  }

  @Override
  public long getChunksCompleted() {
    return chunks.get();
  }

  @Override
  public long getSnapshotDurationMs() {
    if (startNanos == 0) {
      return 0;
    }
    long end = running ? System.nanoTime() : endNanos;
    return Duration.ofNanos(end - startNanos).toMillis();
  }

  @Override
  public double getRowsPerSecond() {
    long ms = getSnapshotDurationMs();
    return ms == 0 ? 0 : rows.get() * 1000.0 / ms;
  }

  @Override
  public void close() {
    if (registration != null) {
      registration.close();
    }
  }
}
