package io.pgsnow.smt.lookup;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * The rows of a materialised table by key, newest write wins, a null row deletes. Bounded in rows
 * and in estimated bytes: a table that outgrows its budget fails loudly, naming the key that did
 * not fit, rather than evicting rows, since an evicted row would silently turn joins into misses.
 */
final class TableState {
  private record Entry(Object row, long bytes) {}

  private final Map<LookupKey, Entry> rows = new ConcurrentHashMap<>();
  private final long maxRows;
  private final long maxBytes;
  private final String name;
  private long bytes;
  private volatile Schema lastSchema;
  private volatile InferredRowSchema schemaless = InferredRowSchema.EMPTY;

  TableState(String name, long maxRows, long maxBytes) {
    this.name = name;
    this.maxRows = maxRows;
    this.maxBytes = maxBytes;
  }

  /**
   * Writes a row whose unchanged TOAST columns (null in it) keep the values held for its key.
   * Called by one writer at a time.
   */
  synchronized void put(LookupKey key, Object row, Set<String> unchangedToastColumns) {
    Entry previous = unchangedToastColumns.isEmpty() ? null : rows.get(key);
    put(
        key,
        previous == null
            ? row
            : UnchangedToastColumns.carryOver(row, previous.row(), unchangedToastColumns));
  }

  /**
   * Writes or (with a null row) deletes the row of a key. Called by one writer at a time.
   *
   * @throws LookupTableFullException when the row does not fit within the limits; the table is left
   *     as it was, without the row
   */
  synchronized void put(LookupKey key, Object row) {
    if (row == null) {
      Entry old = rows.remove(key);
      if (old != null) {
        bytes -= old.bytes();
      }
      return;
    }
    long size = RowSize.estimate(key.parts()) + RowSize.estimate(row) + 64;
    Entry old = rows.get(key);
    long rowsAfter = rows.size() + (old == null ? 1 : 0);
    long bytesAfter = bytes + size - (old == null ? 0 : old.bytes());
    if (rowsAfter > maxRows || bytesAfter > maxBytes) {
      throw new LookupTableFullException(
          String.format(
              "Lookup table %s outgrew its bound: the row of key %s would make it %d rows, ~%d"
                  + " bytes (limits %d rows, %d bytes). It is not evicted or skipped, which would"
                  + " turn joins into silent misses: raise topic.max.rows / topic.max.bytes (the"
                  + " limit of the one table the tasks of a worker share) and restart the task,"
                  + " or join against a smaller topic",
              name, key.parts(), rowsAfter, bytesAfter, maxRows, maxBytes));
    }
    // Schemas first: a join that finds the row must find its fields typed.
    if (row instanceof Struct struct) {
      lastSchema = struct.schema();
    } else if (row instanceof Map<?, ?> map) {
      schemaless = schemaless.merge(map);
    }
    rows.put(key, new Entry(row, size));
    bytes = bytesAfter;
  }

  Optional<Object> get(LookupKey key) {
    Entry entry = rows.get(key);
    return entry == null ? Optional.empty() : Optional.of(entry.row());
  }

  /** The schema of the newest Struct row, or else the schema inferred from the Map rows. */
  Optional<Schema> rowSchema() {
    if (lastSchema != null) {
      return Optional.of(lastSchema);
    }
    InferredRowSchema inferred = schemaless;
    return inferred == InferredRowSchema.EMPTY ? Optional.empty() : Optional.of(inferred.schema());
  }

  /** The schema inferred from the Map rows held so far. */
  InferredRowSchema schemaless() {
    return schemaless;
  }

  int rows() {
    return rows.size();
  }

  long maxRows() {
    return maxRows;
  }

  long maxBytes() {
    return maxBytes;
  }

  synchronized long estimatedBytes() {
    return bytes;
  }
}
