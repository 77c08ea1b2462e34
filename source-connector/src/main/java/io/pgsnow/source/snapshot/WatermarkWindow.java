package io.pgsnow.source.snapshot;

import io.pgsnow.source.decoding.PgOutputMessage;
import io.pgsnow.source.events.TransactionAssembler;
import io.pgsnow.source.offsets.SourcePosition;
import io.pgsnow.source.replication.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * The stream side of DBLog watermarks. A chunk is read between a low and a high watermark written
 * into the WAL; while the stream is between them, every key it queues for the chunk's table is
 * noted, and at the high watermark the chunk's rows whose keys were not noted are queued. A noted
 * row's stream record is newer than (or as new as) what the chunk read, so for every key the
 * stream's order is kept. Also the place where signal-table rows are seen, and where records get
 * the snapshot's progress into their offsets.
 */
public final class WatermarkWindow implements StreamObserver {
  public static final String PREFIX = "pgsnow-watermark";
  static final String OPEN_SIGNAL = "snapshot-window-open";
  static final String CLOSE_SIGNAL = "snapshot-window-close";
  static final String TABLES_KEY = "snapshot_tables";

  /** One chunk read between watermarks. */
  static final class Chunk {
    final String id;
    final String topic;
    final Set<Object> changedKeys = new HashSet<>();
    final Runnable onEmitted;
    final CompletableFuture<Integer> emitted = new CompletableFuture<>();
    volatile List<SnapshotRecords.Row> rows;

    Chunk(String id, String topic, Runnable onEmitted) {
      this.id = id;
      this.topic = topic;
      this.onEmitted = onEmitted;
    }
  }

  private final SnapshotRecords records;
  private final SnapshotProgress progress;
  private final String tables;
  private final String signalTable;
  private final BiConsumer<String, String> signals;
  private final Map<Integer, PgOutputMessage.Relation> signalRelations = new HashMap<>();
  private volatile Chunk registered;
  private Chunk open;
  private long txLsn;
  private long txId;

  /**
   * @param tables the captured tables, kept in the offsets to tell tables added later
   * @param signalTable {@code schema.table} of the signal table, or null
   * @param signals receives the type and data of each other signal row
   */
  public WatermarkWindow(
      SnapshotRecords records,
      SnapshotProgress progress,
      String tables,
      String signalTable,
      BiConsumer<String, String> signals) {
    this.records = records;
    this.progress = progress;
    this.tables = tables;
    this.signalTable = signalTable;
    this.signals = signals;
  }

  /** Makes {@code chunk} the one the next low watermark with its id opens. */
  void register(Chunk chunk) {
    registered = chunk;
  }

  @Override
  public void message(PgOutputMessage message, long lsn, TransactionAssembler.RecordSink sink)
      throws InterruptedException {
    if (message instanceof PgOutputMessage.Begin b) {
      txLsn = b.finalLsn();
      txId = b.xid();
    } else if (message instanceof PgOutputMessage.LogicalMessage m && PREFIX.equals(m.prefix())) {
      String content = new String(m.content(), StandardCharsets.UTF_8);
      int colon = content.indexOf(':');
      if (colon > 0) {
        watermark(content.startsWith("low"), content.substring(colon + 1), sink);
      }
    } else if (message instanceof PgOutputMessage.Relation r && signalTable != null) {
      if (signalTable.equals(r.namespace() + "." + r.name())) {
        signalRelations.put(r.relationId(), r);
      }
    } else if (message instanceof PgOutputMessage.Insert i
        && signalRelations.containsKey(i.relationId())) {
      PgOutputMessage.Relation r = signalRelations.get(i.relationId());
      String id = null;
      String type = null;
      String data = null;
      for (int c = 0; c < r.columns().size() && c < i.newTuple().size(); c++) {
        String value = i.newTuple().text(c);
        switch (r.columns().get(c).name()) {
          case "id" -> id = value;
          case "type" -> type = value;
          case "data" -> data = value;
          default -> {}
        }
      }
      if (OPEN_SIGNAL.equals(type) || CLOSE_SIGNAL.equals(type)) {
        watermark(OPEN_SIGNAL.equals(type), data == null ? id : data, sink);
      } else if (type != null) {
        signals.accept(type, data);
      }
    }
  }

  private void watermark(boolean low, String id, TransactionAssembler.RecordSink sink)
      throws InterruptedException {
    Chunk chunk = registered;
    if (chunk == null || !chunk.id.equals(id)) {
      return; // a watermark of a chunk this task no longer reads (before a restart)
    }
    if (low) {
      if (open == null) {
        open = chunk;
      }
      return;
    }
    if (open != chunk) {
      return;
    }
    open = null;
    registered = null;
    List<SnapshotRecords.Row> rows = chunk.rows;
    int emitted = 0;
    int count = rows.size();
    SnapshotRecords.Row last = null;
    for (int i = 0; i < count; i++) {
      SnapshotRecords.Row row = rows.get(i);
      if (row.key() != null && chunk.changedKeys.contains(row.key())) {
        continue;
      }
      if (last != null) {
        emit(last, emitted++, sink);
      }
      last = row;
    }
    chunk.onEmitted.run();
    if (last != null) {
      emit(last, emitted++, sink);
    }
    chunk.emitted.complete(emitted);
  }

  private void emit(SnapshotRecords.Row row, int event, TransactionAssembler.RecordSink sink)
      throws InterruptedException {
    row.at(txLsn, event);
    sink.accept(
        row.toRecord(records.partition(), new SourcePosition(txLsn, event, txId).toOffset()));
  }

  /**
   * Notes the key for the open window, and adds the captured tables and the snapshot's progress to
   * the record's offset in place: the offset map is the record's own (see {@link
   * StreamObserver#queued}), so the hot path copies neither map nor record.
   */
  @Override
  public SourceRecord queued(SourceRecord record) {
    Chunk chunk = open;
    if (chunk != null && chunk.topic.equals(record.topic()) && record.key() != null) {
      chunk.changedKeys.add(record.key());
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> offset = (Map<String, Object>) record.sourceOffset();
    offset.put(TABLES_KEY, tables);
    String pending = progress.pendingEncoded();
    if (pending != null) {
      offset.put(SnapshotProgress.OFFSET_KEY, pending);
    }
    return record;
  }
}
