package io.pgsnow.sink.metrics;

/** JMX view of one topic partition of the sink. */
public interface PartitionMetricsMBean {
  long getRecordsBuffered();

  long getFilesUploaded();

  long getFilesLoaded();

  long getFilesFailed();

  long getFilesRetried();

  long getErrantRecords();

  long getRowsLoaded();

  long getProcessedOffset();

  long getFlushedOffset();

  long getCommittedOffset();

  long getLastLoadLatencyMs();
}
