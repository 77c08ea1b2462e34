package io.pgsnow.sink.metrics;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of one topic partition, exposed through JMX. */
public final class PartitionMetrics implements PartitionMetricsMBean {
  private final AtomicLong recordsBuffered = new AtomicLong();
  private final AtomicLong filesUploaded = new AtomicLong();
  private final AtomicLong filesLoaded = new AtomicLong();
  private final AtomicLong filesFailed = new AtomicLong();
  private final AtomicLong rowsLoaded = new AtomicLong();
  private final AtomicLong processedOffset = new AtomicLong(-1);
  private final AtomicLong flushedOffset = new AtomicLong(-1);
  private final AtomicLong committedOffset = new AtomicLong(-1);
  private final AtomicLong lastUploadNanos = new AtomicLong();
  private final AtomicLong lastLoadLatencyMs = new AtomicLong();

  @Override
  public long getRecordsBuffered() {
    return recordsBuffered.get();
  }

  @Override
  public long getFilesUploaded() {
    return filesUploaded.get();
  }

  @Override
  public long getFilesLoaded() {
    return filesLoaded.get();
  }

  @Override
  public long getFilesFailed() {
    return filesFailed.get();
  }

  @Override
  public long getRowsLoaded() {
    return rowsLoaded.get();
  }

  @Override
  public long getProcessedOffset() {
    return processedOffset.get();
  }

  @Override
  public long getFlushedOffset() {
    return flushedOffset.get();
  }

  @Override
  public long getCommittedOffset() {
    return committedOffset.get();
  }

  @Override
  public long getLastLoadLatencyMs() {
    return lastLoadLatencyMs.get();
  }

  public void setRecordsBuffered(long records) {
    recordsBuffered.set(records);
  }

  public void setProcessedOffset(long offset) {
    processedOffset.set(offset);
  }

  public void setCommittedOffset(long offset) {
    committedOffset.set(offset);
  }

  public void uploaded(long endOffset, long nowNanos) {
    filesUploaded.incrementAndGet();
    flushedOffset.set(endOffset);
    lastUploadNanos.set(nowNanos);
  }

  public void loaded(long rows, long nowNanos) {
    filesLoaded.incrementAndGet();
    rowsLoaded.addAndGet(rows);
    lastLoadLatencyMs.set((nowNanos - lastUploadNanos.get()) / 1_000_000);
  }

  public void failed() {
    filesFailed.incrementAndGet();
  }
}
