package io.pgsnow.source.events;

import io.pgsnow.source.decoding.TupleData;
import io.pgsnow.source.schema.SpecialValueException;
import io.pgsnow.source.schema.SpecialValues;
import io.pgsnow.source.schema.ValueConversionException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.ConnectHeaders;

/** Turns decoded row images into the key and envelope Structs of change events. */
public final class ChangeEventBuilder {
  /**
   * Header listing the columns whose TOASTed value did not change and was not sent by the server;
   * such a column is null in {@code after} instead of a placeholder string leaking downstream.
   */
  public static final String UNCHANGED_TOAST_HEADER = "pgsnow.unchanged.toast.columns";

  private ChangeEventBuilder() {}

  /** A row image; {@code fallback} fills unchanged TOAST columns when it has their value. */
  public static RowImage row(TableSchema table, TupleData tuple, TupleData fallback) {
    Struct struct = new Struct(table.fullRowSchema());
    List<String> unchanged = null;
    Map<String, String> special = null;
    int count = Math.min(tuple.size(), table.columnCount());
    for (int i = 0; i < count; i++) {
      if (!table.emitted(i) && !table.isKeyColumn(i)) {
        continue;
      }
      TupleData source = tuple;
      if (tuple.isUnchangedToast(i)) {
        if (fallback != null
            && i < fallback.size()
            && fallback.kind(i) != TupleData.UNCHANGED_TOAST) {
          source = fallback;
        } else {
          if (unchanged == null) {
            unchanged = new ArrayList<>();
          }
          unchanged.add(table.columnName(i));
          struct.put(table.columnField(i), table.toastPlaceholder(i));
          continue;
        }
      }
      if (!source.isNull(i)) {
        try {
          struct.put(table.columnField(i), convert(table, i, source.text(i)));
        } catch (SpecialValueException e) {
          if (special == null) {
            special = new LinkedHashMap<>();
          }
          special.put(table.columnName(i), e.text());
        }
      }
    }
    return new RowImage(
        struct,
        unchanged == null ? List.of() : unchanged,
        special == null ? Map.of() : special,
        tuple);
  }

  /** The key Struct of a row image, or null for a table without key columns. */
  public static Struct key(TableSchema table, Struct row) {
    if (table.keySchema() == null || row == null) {
      return null;
    }
    Struct key = new Struct(table.keySchema());
    boolean full = row.schema() == table.fullRowSchema();
    for (int i = 0; i < table.keyColumnCount(); i++) {
      int column = table.keyColumn(i);
      key.put(
          table.keyField(i),
          full ? row.get(table.columnField(column)) : row.get(table.columnName(column)));
    }
    return key;
  }

  public static boolean sameKey(Struct a, Struct b) {
    return Objects.equals(a, b);
  }

  public static Struct envelope(
      TableSchema table, Struct before, Struct after, Struct source, String op, long nowMillis) {
    TableSchema.EnvelopeFields f = table.envelopeFields();
    Struct envelope = new Struct(table.envelopeSchema());
    if (before != null) {
      envelope.put(f.before(), table.emittedRow(before));
    }
    if (after != null) {
      envelope.put(f.after(), table.emittedRow(after));
    }
    return envelope
        .put(f.source(), source)
        .put(f.op(), op)
        .put(f.tsMs(), nowMillis)
        .put(f.tsUs(), nowMillis * 1000L)
        .put(f.tsNs(), nowMillis * 1_000_000L);
  }

  public static ConnectHeaders headers(RowImage image) {
    ConnectHeaders headers = new ConnectHeaders();
    addSpecialValues(headers, image);
    if (!image.unchangedToastColumns().isEmpty()) {
      headers.addString(UNCHANGED_TOAST_HEADER, String.join(",", image.unchangedToastColumns()));
    }
    return headers;
  }

  /** Adds a {@code pgsnow.special.<column>} header per value its field could not hold. */
  public static void addSpecialValues(ConnectHeaders headers, RowImage image) {
    image
        .specialValues()
        .forEach((column, text) -> headers.addString(SpecialValues.HEADER_PREFIX + column, text));
  }

  static Object convert(TableSchema table, int column, String text) {
    try {
      return table.columnType(column).fromText(text);
    } catch (SpecialValueException e) {
      throw e;
    } catch (ValueConversionException | IllegalArgumentException | ArithmeticException e) {
      throw new DataException(
          "Cannot convert column "
              + table.schemaName()
              + "."
              + table.tableName()
              + "."
              + table.columnName(column)
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /**
   * A converted row, the columns it lacks because their TOASTed value was not sent, and the tuple
   * it was converted from.
   */
  public record RowImage(
      Struct struct,
      List<String> unchangedToastColumns,
      Map<String, String> specialValues,
      TupleData tuple) {

    /** The text PostgreSQL sent for a column, or null (SQL NULL, not sent, binary). */
    String identityText(int column) {
      return column < tuple.size() && tuple.kind(column) == TupleData.TEXT
          ? tuple.text(column)
          : null;
    }
  }
}
