package io.pgsnow.source.metrics;

/** What an operator watches on a running source task, over JMX. */
public interface SourceTaskMetricsMBean {
  /** Records decoded and queued for Kafka since the task started. */
  long getRecordsQueued();

  /** Records waiting in the queue for the next polls. */
  int getQueueSize();

  /** Commit time of the last transaction whose records were queued, milliseconds since epoch. */
  long getLastCommitTimeMillis();

  /** How far the queued changes lag behind their commit in PostgreSQL, in milliseconds. */
  long getMillisBehindSource();

  /** The position the stream was last read up to, as PostgreSQL prints an LSN. */
  String getReadLsn();

  /** The position confirmed to the replication slot: what the server may discard before. */
  String getConfirmedLsn();

  /** Reconnections of the replication stream since the task started. */
  long getReconnects();

  /**
   * Times an in-progress transaction outgrew {@code pgoutput.streaming.max.buffered.bytes} and the
   * stream was reopened without in-progress streaming.
   */
  long getStreamingFallbacks();

  /**
   * Values their column's representation cannot hold (numeric NaN or infinity in precise mode, a
   * timestamp past the 64-bit microsecond range), sent as null with a pgsnow.special.* header.
   */
  long getSpecialValues();
}
