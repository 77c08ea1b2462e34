package io.pgsnow.source.offsets;

/**
 * Decides which LSN may be confirmed to the replication slot. The slot only keeps WAL after the
 * confirmed position, so confirming more than Kafka Connect has durably committed would lose
 * changes on a restart.
 *
 * <p>The committed offset's commit LSN is always safe: a restart asks for that transaction again
 * and skips the records already in Kafka. When the stream is idle (no open transaction) and every
 * queued record is committed, the position up to which the stream was read is safe too; that lets
 * the slot advance on idle or filtered databases instead of holding WAL forever. That position
 * comes from the server's keepalive and may lie inside a transaction it is still decoding; the
 * transaction's commit lies after it, so a restart still receives the whole transaction.
 */
public final class SlotConfirmation {
  // Written by the status thread, read by JMX clients.
  private volatile long confirmed;

  public SlotConfirmation(long initiallyConfirmed) {
    this.confirmed = initiallyConfirmed;
  }

  /**
   * @param committed the offset Kafka Connect committed last, or null if none
   * @param lastQueued the last record the reader queued, or null if none since the start
   * @param caughtUpLsn the LSN read up to with nothing pending, or 0
   * @param inTransaction whether the reader is inside a transaction
   * @return the LSN to confirm, never lower than before
   */
  public long next(
      SourcePosition committed,
      SourcePosition lastQueued,
      long caughtUpLsn,
      boolean inTransaction) {
    long target = committed == null ? 0L : committed.commitLsn();
    boolean everythingCommitted =
        lastQueued == null
            || (committed != null
                && committed.commitLsn() == lastQueued.commitLsn()
                && committed.event() == lastQueued.event());
    if (!inTransaction && everythingCommitted && caughtUpLsn != 0) {
      target = unsignedMax(target, caughtUpLsn);
    }
    confirmed = unsignedMax(confirmed, target);
    return confirmed;
  }

  public long confirmed() {
    return confirmed;
  }

  private static long unsignedMax(long a, long b) {
    return Long.compareUnsigned(a, b) >= 0 ? a : b;
  }
}
