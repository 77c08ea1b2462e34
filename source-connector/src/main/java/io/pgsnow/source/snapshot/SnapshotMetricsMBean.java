package io.pgsnow.source.snapshot;

/** The snapshot's progress over JMX. */
public interface SnapshotMetricsMBean {
  boolean getSnapshotRunning();

  int getTablesTotal();

  int getTablesRemaining();

  long getRowsScanned();

  long getChunksCompleted();

  long getSnapshotDurationMs();

  double getRowsPerSecond();
}
