package io.pgsnow.smt.lookup;

/**
 * What an operator watches on a lookup table over JMX, registered as {@code
 * io.pgsnow.smt:type=lookup-table,topic="…",id=…}: one per table a worker holds, however many tasks
 * share it.
 */
public interface LookupTableMetricsMBean {
  /** The table topic. */
  String getTopic();

  /** LOADING, FOLLOWING, IN_LINE (updated by the chain's own records), FAILED or CLOSED. */
  String getStatus();

  /** Whether joins can use the table: loaded and not failed. */
  boolean isReady();

  /** Rows held. */
  long getRows();

  /** Estimated heap held by the rows, in bytes. */
  long getEstimatedBytes();

  /** The limit of rows ({@code topic.max.rows}). */
  long getMaxRows();

  /** The limit of estimated bytes ({@code topic.max.bytes}). */
  long getMaxBytes();

  /** Records read from the topic since the table opened. */
  long getRecordsRead();

  /** Records of the topic not read yet; -1 when not known (see {@link TopicTable#lag()}). */
  long getLag();

  /** Joins (tasks) sharing the table. */
  int getUsers();

  /** Why the table failed, or empty. */
  String getFailure();
}
