package io.pgsnow.source.snapshot;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What of a snapshot is done, as kept in the source offsets: the block-range chunks of each table
 * with the ones already in Kafka, and the tables an incremental snapshot still has to read with the
 * key after which it goes on. A restart reads only what is not done.
 */
public final class SnapshotProgress {
  public static final String OFFSET_KEY = "snapshot_progress";

  private static final char RECORD = '\u001e';
  private static final char UNIT = '\u001f';
  private static final String VERSION = "1";

  /** A table split into {@code chunks} block ranges of {@code step} blocks; the last is open. */
  public static final class TablePlan {
    private final String schema;
    private final String table;
    private final long step;
    private final int chunks;
    private final BitSet done;

    public TablePlan(String schema, String table, long step, int chunks, BitSet done) {
      this.schema = schema;
      this.table = table;
      this.step = step;
      this.chunks = chunks;
      this.done = done;
    }

    public String schema() {
      return schema;
    }

    public String table() {
      return table;
    }

    public long step() {
      return step;
    }

    public int chunks() {
      return chunks;
    }

    public boolean isDone(int chunk) {
      return done.get(chunk);
    }

    public boolean complete() {
      return done.cardinality() >= chunks;
    }
  }

  /** A table an incremental snapshot reads in key order, after {@code afterKey} (null: start). */
  public record KeyedTable(String schema, String table, List<String> afterKey) {}

  private final List<TablePlan> plans = new ArrayList<>();
  private final List<KeyedTable> keyed = new ArrayList<>();
  private String encoded;

  public synchronized void addPlan(TablePlan plan) {
    plans.add(plan);
    encoded = null;
  }

  public synchronized List<TablePlan> plans() {
    return List.copyOf(plans);
  }

  public synchronized void chunkDone(TablePlan plan, int chunk) {
    plan.done.set(chunk);
    encoded = null;
  }

  /** Queues a table for an incremental snapshot unless it is already queued. */
  public synchronized boolean addKeyed(String schema, String table) {
    for (KeyedTable k : keyed) {
      if (k.schema().equals(schema) && k.table().equals(table)) {
        return false;
      }
    }
    keyed.add(new KeyedTable(schema, table, null));
    encoded = null;
    return true;
  }

  public synchronized Optional<KeyedTable> currentKeyed() {
    return keyed.isEmpty() ? Optional.empty() : Optional.of(keyed.get(0));
  }

  /** The current keyed table read up to {@code key}, or finished when {@code key} is null. */
  public synchronized void keyedChunkDone(KeyedTable table, List<String> key) {
    int index = keyed.indexOf(table);
    if (index < 0) {
      return;
    }
    if (key == null) {
      keyed.remove(index);
    } else {
      keyed.set(index, new KeyedTable(table.schema(), table.table(), List.copyOf(key)));
    }
    encoded = null;
  }

  /** Drops queued keyed tables; all of them when {@code names} is empty. */
  public synchronized void stopKeyed(List<String> names) {
    keyed.removeIf(k -> names.isEmpty() || names.contains(k.schema() + "." + k.table()));
    encoded = null;
  }

  public synchronized boolean complete() {
    return keyed.isEmpty() && plans.stream().allMatch(TablePlan::complete);
  }

  /** How many tables still have chunks or keys to read. */
  public synchronized int pendingTables() {
    return keyed.size() + (int) plans.stream().filter(p -> !p.complete()).count();
  }

  /** The progress as one offset value, or null when nothing is left to read. */
  public synchronized String pendingEncoded() {
    return keyed.isEmpty() && plans.stream().allMatch(TablePlan::complete) ? null : encode();
  }

  /** The progress as one offset value. */
  public synchronized String encode() {
    if (encoded == null) {
      StringBuilder s = new StringBuilder(VERSION);
      for (TablePlan p : plans) {
        s.append(RECORD).append('p').append(UNIT).append(p.schema).append(UNIT).append(p.table);
        s.append(UNIT).append(p.step).append(UNIT).append(p.chunks).append(UNIT);
        for (long word : p.done.toLongArray()) {
          s.append(Long.toHexString(word)).append(',');
        }
      }
      for (KeyedTable k : keyed) {
        s.append(RECORD).append('k').append(UNIT).append(k.schema()).append(UNIT);
        s.append(k.table());
        if (k.afterKey() != null) {
          for (String part : k.afterKey()) {
            s.append(UNIT).append(part == null ? "\u0000" : part);
          }
        }
      }
      encoded = s.toString();
    }
    return encoded;
  }

  /** The progress an offset holds, if it holds one. */
  public static Optional<SnapshotProgress> fromOffset(Map<String, ?> offset) {
    if (offset == null || !(offset.get(OFFSET_KEY) instanceof String value)) {
      return Optional.empty();
    }
    return Optional.of(decode(value));
  }

  static SnapshotProgress decode(String value) {
    SnapshotProgress progress = new SnapshotProgress();
    String[] records = value.split(String.valueOf(RECORD), -1);
    if (!VERSION.equals(records[0])) {
      throw new IllegalArgumentException("Unknown snapshot progress version " + records[0]);
    }
    for (int i = 1; i < records.length; i++) {
      String[] u = records[i].split(String.valueOf(UNIT), -1);
      if ("p".equals(u[0])) {
        List<Long> words = new ArrayList<>();
        for (String w : u[5].split(",")) {
          if (!w.isEmpty()) {
            words.add(Long.parseUnsignedLong(w, 16));
          }
        }
        BitSet done = BitSet.valueOf(words.stream().mapToLong(Long::longValue).toArray());
        progress.plans.add(
            new TablePlan(u[1], u[2], Long.parseLong(u[3]), Integer.parseInt(u[4]), done));
      } else if ("k".equals(u[0])) {
        List<String> key = null;
        if (u.length > 3) {
          key = new ArrayList<>();
          for (int j = 3; j < u.length; j++) {
            key.add("\u0000".equals(u[j]) ? null : u[j]);
          }
        }
        progress.keyed.add(new KeyedTable(u[1], u[2], key));
      }
    }
    return progress;
  }
}
