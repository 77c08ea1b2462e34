package io.pgsnow.source.events;

import io.pgsnow.source.decoding.PgOutputMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-progress transactions pgoutput streams before they commit: their changes are held, within
 * a byte budget, until the transaction commits (then handed back in order) or aborts (then dropped,
 * whole or one subtransaction's part).
 */
final class StreamedTransactions {
  private static final Logger LOG = LoggerFactory.getLogger(StreamedTransactions.class);
  private static final int LARGE_TRANSACTION = 1 << 17;

  /** Counted per held change besides its column bytes: the decoded message and list entry. */
  private static final long CHANGE_OVERHEAD_BYTES = 96;

  /** A held change and the WAL position the server sent it at. */
  record Buffered(PgOutputMessage message, long lsn, long xid, long bytes) {}

  private final long maxBytes;
  private final Map<Long, List<Buffered>> held = new HashMap<>();
  private long heldBytes;
  private long streamXid;

  StreamedTransactions(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Whether a block of a streamed transaction is being received or any such change is held. */
  boolean active() {
    return streamXid != 0 || !held.isEmpty();
  }

  /** Holds {@code message} if it belongs to the open block of a streamed transaction. */
  boolean hold(PgOutputMessage message, long lsn) {
    if (streamXid == 0 || !bufferable(message)) {
      return false;
    }
    List<Buffered> buffer = held.computeIfAbsent(streamXid, x -> new ArrayList<>());
    long bytes = CHANGE_OVERHEAD_BYTES + byteSize(message);
    heldBytes += bytes;
    if (heldBytes > maxBytes) {
      throw new StreamedTransactionTooLargeException(streamXid, heldBytes, maxBytes);
    }
    buffer.add(new Buffered(message, lsn, xidOf(message), bytes));
    if (Long.bitCount(buffer.size()) == 1 && buffer.size() >= LARGE_TRANSACTION) {
      // Held in the task's heap until the commit: say so as it grows (at 2^17, 2^18, ...).
      LOG.warn(
          "In-progress transaction {} holds {} changes in memory until it commits",
          streamXid,
          buffer.size());
    }
    return true;
  }

  /** A Stream Start: the changes that follow, until Stream Stop, belong to {@code xid}. */
  void start(long xid) {
    streamXid = xid;
  }

  void stop() {
    streamXid = 0;
  }

  /** The committed transaction's changes in order (null if none were held), no longer held. */
  List<Buffered> commit(long xid) {
    return release(held.remove(xid));
  }

  /** Drops the aborted transaction, or only its subtransaction's changes. */
  void abort(long xid, long subXid) {
    if (xid == subXid) {
      release(held.remove(xid));
      return;
    }
    List<Buffered> changes = held.get(xid);
    if (changes != null) {
      changes.removeIf(
          b -> {
            if (b.xid() != subXid) {
              return false;
            }
            heldBytes -= b.bytes();
            return true;
          });
    }
  }

  private List<Buffered> release(List<Buffered> changes) {
    if (changes != null) {
      for (Buffered b : changes) {
        heldBytes -= b.bytes();
      }
    }
    return changes;
  }

  private static boolean bufferable(PgOutputMessage message) {
    return !(message instanceof PgOutputMessage.StreamStart
        || message instanceof PgOutputMessage.StreamStop
        || message instanceof PgOutputMessage.StreamCommit
        || message instanceof PgOutputMessage.StreamAbort);
  }

  private static long xidOf(PgOutputMessage message) {
    if (message instanceof PgOutputMessage.Insert m) {
      return m.xid();
    } else if (message instanceof PgOutputMessage.Update m) {
      return m.xid();
    } else if (message instanceof PgOutputMessage.Delete m) {
      return m.xid();
    } else if (message instanceof PgOutputMessage.Truncate m) {
      return m.xid();
    } else if (message instanceof PgOutputMessage.Relation m) {
      return m.xid();
    } else if (message instanceof PgOutputMessage.Type m) {
      return m.xid();
    } else if (message instanceof PgOutputMessage.LogicalMessage m) {
      return m.xid();
    }
    return 0L;
  }

  private static long byteSize(PgOutputMessage message) {
    if (message instanceof PgOutputMessage.Insert m) {
      return m.newTuple().byteSize();
    } else if (message instanceof PgOutputMessage.Update m) {
      return m.newTuple().byteSize() + (m.oldTuple() == null ? 0 : m.oldTuple().byteSize());
    } else if (message instanceof PgOutputMessage.Delete m) {
      return m.oldTuple().byteSize();
    }
    return 0L;
  }
}
