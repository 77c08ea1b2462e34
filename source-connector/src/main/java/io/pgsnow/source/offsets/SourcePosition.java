package io.pgsnow.source.offsets;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The position of one emitted record in the change stream: the LSN of its transaction's commit
 * record and its ordinal within that transaction. Many rows can share one WAL position (a COPY is
 * one multi-insert record), so the LSN alone is not enough to resume without skipping or repeating.
 *
 * <p>{@code event} is {@code (change message index << 16) | record index within the message},
 * because one message can give several records (a key change gives delete, tombstone, create).
 */
public record SourcePosition(long commitLsn, long event, long txId)
    implements Comparable<SourcePosition> {
  public static final String COMMIT_LSN = "lsn_commit";
  public static final String EVENT = "event";
  public static final String TX_ID = "txId";
  public static final String PARTITION_KEY = "server";

  private static final int RECORD_BITS = 16;

  public static long event(long messageIndex, int recordIndex) {
    return (messageIndex << RECORD_BITS) | recordIndex;
  }

  /** A new mutable offset map, owned by the record it is given to. */
  public Map<String, Object> toOffset() {
    Map<String, Object> offset = new HashMap<>(4);
    offset.put(COMMIT_LSN, commitLsn);
    offset.put(EVENT, event);
    offset.put(TX_ID, txId);
    return offset;
  }

  public static Optional<SourcePosition> fromOffset(Map<String, ?> offset) {
    if (offset == null || !(offset.get(COMMIT_LSN) instanceof Number lsn)) {
      return Optional.empty();
    }
    long event = offset.get(EVENT) instanceof Number n ? n.longValue() : Long.MAX_VALUE;
    long txId = offset.get(TX_ID) instanceof Number n ? n.longValue() : 0L;
    return Optional.of(new SourcePosition(lsn.longValue(), event, txId));
  }

  public static Map<String, Object> partition(String topicPrefix) {
    return Map.of(PARTITION_KEY, topicPrefix);
  }

  /** Orders by commit LSN as unsigned 64-bit WAL positions, then by event. */
  @Override
  public int compareTo(SourcePosition other) {
    int byLsn = Long.compareUnsigned(commitLsn, other.commitLsn);
    return byLsn != 0 ? byLsn : Long.compare(event, other.event);
  }
}
