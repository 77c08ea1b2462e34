package io.pgsnow.source.snapshot;

import io.pgsnow.source.decoding.TupleData;
import io.pgsnow.source.events.ChangeEventBuilder;
import io.pgsnow.source.events.SourceInfo;
import io.pgsnow.source.events.TableSchema;
import io.pgsnow.source.events.TransactionAssembler;
import io.pgsnow.source.offsets.SourcePosition;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Builds snapshot records ({@code op=r}) with the streamed records' code path: the same table
 * schemas, row conversion, key and envelope, so a snapshot row and a streamed insert of it differ
 * only in {@code op}, {@code source} and timestamps.
 */
public final class SnapshotRecords {
  private final TransactionAssembler.Settings settings;
  private final Map<String, ?> partition;
  private final LongSupplier clock;
  private final Map<Integer, TableSchema> schemas = new ConcurrentHashMap<>();

  public SnapshotRecords(TransactionAssembler.Settings settings, LongSupplier clock) {
    this.settings = settings;
    this.partition = SourcePosition.partition(settings.topicPrefix());
    this.clock = clock;
  }

  /** The Connect schemas of a table, as the stream would derive them from its Relation. */
  public TableSchema schema(SnapshotTable table) {
    return schemas.computeIfAbsent(
        table.relation().relationId(),
        id ->
            TableSchema.of(
                table.relation(),
                settings.topics().assign(table.name().schema(), table.name().table()),
                settings.columnTypes(),
                settings.primaryKeys(),
                settings.filter()));
  }

  /** A row read by a snapshot, not yet given its offset. */
  public record Row(
      TableSchema table, Struct key, Struct value, long timestamp, ConnectHeaders headers) {
    /** Debezium's {@code source.snapshot} marker of this row. */
    public void mark(String snapshot) {
      Struct source = (Struct) value.get(table.envelopeFields().source());
      // Rows are built marked "true", most stay so.
      if (!snapshot.equals(source.get(SourceInfo.SNAPSHOT))) {
        source.put(SourceInfo.SNAPSHOT, snapshot);
      }
    }

    /** Places the row at a stream position: a chunk's high watermark and its ordinal there. */
    public void at(long lsn, long event) {
      ((Struct) value.get(table.envelopeFields().source()))
          .put(SourceInfo.LSN, lsn)
          .put(SourceInfo.COMMIT_LSN, lsn)
          .put(SourceInfo.EVENT_INDEX, event)
          .put(SourceInfo.SEQUENCE, SourceInfo.snapshotSequence(lsn));
    }

    public SourceRecord toRecord(Map<String, ?> partition, Map<String, ?> offset) {
      return new SourceRecord(
          partition,
          offset,
          table.topic(),
          null,
          key == null ? null : table.keySchema(),
          key,
          table.envelopeSchema(),
          value,
          timestamp,
          headers);
    }
  }

  /**
   * @param snapshot the {@code source.snapshot} value
   * @param lsn the stream position the row is consistent with
   * @param event the row's ordinal at that position
   */
  public Row row(
      SnapshotTable table,
      TupleData tuple,
      long readMillis,
      String snapshot,
      long lsn,
      long event) {
    return row(table, schema(table), tuple, readMillis, snapshot, lsn, event);
  }

  /** {@link #row} with the table's schemas, {@link #schema} of {@code table}, looked up already. */
  public Row row(
      SnapshotTable table,
      TableSchema t,
      TupleData tuple,
      long readMillis,
      String snapshot,
      long lsn,
      long event) {
    ChangeEventBuilder.RowImage image = ChangeEventBuilder.row(t, tuple, null);
    Struct after = image.struct();
    Struct source =
        settings
            .sourceInfo()
            .snapshot(
                table.name().schema(),
                table.name().table(),
                snapshot,
                readMillis * 1000L,
                null,
                lsn,
                event);
    Struct value = ChangeEventBuilder.envelope(t, null, after, source, "r", clock.getAsLong());
    return new Row(
        t, ChangeEventBuilder.key(t, after), value, readMillis, ChangeEventBuilder.headers(image));
  }

  public String topicPrefix() {
    return settings.topicPrefix();
  }

  public Map<String, ?> partition() {
    return partition;
  }
}
