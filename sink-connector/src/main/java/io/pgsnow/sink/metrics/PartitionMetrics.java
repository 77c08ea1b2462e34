package io.pgsnow.sink.metrics;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of one topic partition, exposed through JMX. */
public final class PartitionMetrics implements PartitionMetricsMBean {
  private final AtomicLong recordsBuffered = new AtomicLong();
  private final AtomicLong filesUploaded = new AtomicLong();
  private final AtomicLong filesLoaded = new AtomicLong();
  private final AtomicLong filesFailed = new AtomicLong();
  private final AtomicLong filesRetried = new AtomicLong();
  private final AtomicLong errantRecords = new AtomicLong();
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

  /** Attempts at loading a failed file's offsets again (transient load failures). */
  @Override
  public long getFilesRetried() {
    return filesRetried.get();
  }

  /** Records reported as errant: not writable, or in a file Snowpipe rejected for its data. */
  @Override
  public long getErrantRecords() {
    return errantRecords.get();
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
    flushedOffset.accumulateAndGet(endOffset, Math::max);
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

  public void retried() {
    filesRetried.incrementAndGet();
  }

  public void errant() {
    errantRecords.incrementAndGet();
  }
}
