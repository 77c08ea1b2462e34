package io.pgsnow.source.events;

import io.pgsnow.source.schema.SpecialValueException;
import io.pgsnow.source.schema.SpecialValues;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Holds a transaction's records from its first update lacking unchanged TOAST values until the
 * values are read ({@code toast.handling.mode=reselect}): at the commit, or when {@link #BATCH}
 * updates wait. The records after it wait too, so that they reach Kafka Connect in commit order.
 */
final class ToastReselection {
  /** Updates whose values are read in one query per table. */
  static final int BATCH = 256;

  /** Header naming the columns whose value was read from the table, not from the change. */
  static final String RESELECTED_HEADER = "pgsnow.reselected.toast.columns";

  private final ToastReselect reselect;
  private final List<Held> held = new ArrayList<>();
  private int waiting;

  /** A held record; {@code key} (the replica identity's text) is null when nothing is read. */
  private record Held(
      SourceRecord record, TableSchema table, List<String> key, List<String> columns) {}

  ToastReselection(ToastReselect reselect) {
    this.reselect = reselect;
  }

  /**
   * The text of the row's replica identity when its unchanged TOAST values can be read, else null.
   */
  static List<String> keyOf(TableSchema t, ChangeEventBuilder.RowImage image) {
    int[] identity = t.identityColumns();
    if (image.unchangedToastColumns().isEmpty() || identity.length == 0) {
      return null;
    }
    List<String> key = new ArrayList<>(identity.length);
    for (int index : identity) {
      key.add(image.identityText(index));
    }
    return key.contains(null) ? null : key;
  }

  boolean holding() {
    return !held.isEmpty();
  }

  /** Holds a record; true when a batch is full and {@link #release()} is due. */
  boolean hold(SourceRecord record, TableSchema table, List<String> key, List<String> columns) {
    held.add(new Held(record, table, key, columns));
    return key != null && ++waiting >= BATCH;
  }

  /** The held records in order, with the values read; holds nothing afterwards. */
  List<SourceRecord> release() {
    Map<TableSchema, List<Held>> byTable = new IdentityHashMap<>();
    for (Held h : held) {
      if (h.key() != null) {
        byTable.computeIfAbsent(h.table(), t -> new ArrayList<>()).add(h);
      }
    }
    byTable.forEach(this::read);
    List<SourceRecord> records = new ArrayList<>(held.size());
    held.forEach(h -> records.add(h.record()));
    held.clear();
    waiting = 0;
    return records;
  }

  private void read(TableSchema table, List<Held> updates) {
    Set<String> columns = new LinkedHashSet<>();
    Set<List<String>> keys = new LinkedHashSet<>();
    for (Held h : updates) {
      columns.addAll(h.columns());
      keys.add(h.key());
    }
    List<String> keyColumns = new ArrayList<>();
    for (int index : table.identityColumns()) {
      keyColumns.add(table.columnName(index));
    }
    Map<List<String>, Map<String, String>> rows =
        reselect.select(
            table.schemaName(),
            table.tableName(),
            keyColumns,
            List.copyOf(columns),
            List.copyOf(keys));
    for (Held h : updates) {
      Map<String, String> row = rows.get(h.key());
      if (row != null) {
        fill(table, h, row);
      }
    }
  }

  /** Puts the values read into the record's {@code after} and renames the columns in headers. */
  private static void fill(TableSchema table, Held h, Map<String, String> row) {
    Struct after = ((Struct) h.record().value()).getStruct("after");
    Headers headers = h.record().headers();
    List<String> read = new ArrayList<>();
    for (String column : h.columns()) {
      int index = table.columnIndex(column);
      String text = row.get(column);
      read.add(column);
      if (after.schema().field(column) == null || text == null) {
        continue;
      }
      try {
        after.put(column, ChangeEventBuilder.convert(table, index, text));
      } catch (SpecialValueException e) {
        headers.addString(SpecialValues.HEADER_PREFIX + column, e.text());
      }
    }
    headers.remove(ChangeEventBuilder.UNCHANGED_TOAST_HEADER);
    headers.addString(RESELECTED_HEADER, String.join(",", read));
  }
}
