package io.pgsnow.sink.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Reads the shape of a table's models from one of its records: the envelope's {@code after} (or
 * {@code before}) row, or an unwrapped row, typed by its Connect schema or inferred from schemaless
 * JSON. Pure: the same record gives the same shape.
 */
public final class ShapeReader {

  static final String BEFORE = "before";
  static final String AFTER = "after";
  static final String OP = "op";
  static final String SOURCE = "source";
  static final String COMMIT_LSN = "commit_lsn";
  static final String EVENT_INDEX = "event_index";

  private ShapeReader() {}

  /**
   * The shape of the record's table, or empty when the value holds no row (a tombstone, a value
   * that is not a struct or a JSON object).
   */
  public static Optional<ModelShape> read(SinkRecord record, boolean schematized) {
    Object value = record.value();
    boolean keyed = record.key() != null;
    if (value instanceof Struct struct) {
      return Optional.of(fromStruct(struct.schema(), struct, schematized, keyed));
    }
    if (value instanceof Map<?, ?> map) {
      return Optional.of(fromMap(map, schematized, keyed));
    }
    return Optional.empty();
  }

  private static boolean isEnvelope(Schema schema) {
    return schema.field(AFTER) != null
        && schema.field(BEFORE) != null
        && schema.field(OP) != null
        && schema.field(SOURCE) != null;
  }

  private static ModelShape fromStruct(
      Schema schema, Struct value, boolean schematized, boolean keyed) {
    if (isEnvelope(schema)) {
      Schema row = schema.field(AFTER).schema();
      Schema source = schema.field(SOURCE).schema();
      boolean position =
          source.type() == Schema.Type.STRUCT
              && source.field(COMMIT_LSN) != null
              && source.field(EVENT_INDEX) != null;
      Layout layout = new Layout(true, schematized, "", true, false, position);
      return new ModelShape(layout, columns(row, layout), keyed);
    }
    Layout layout = unwrapped(schema.fields().stream().map(Field::name).toList(), schematized);
    return new ModelShape(layout, columns(schema, layout), keyed);
  }

  private static List<ModelColumn> columns(Schema row, Layout layout) {
    List<ModelColumn> columns = new ArrayList<>();
    if (row.type() != Schema.Type.STRUCT) {
      return columns;
    }
    for (Field f : row.fields()) {
      if (!layout.isAdded(f.name())) {
        columns.add(new ModelColumn(f.name(), ColumnType.of(f.schema())));
      }
    }
    return columns;
  }

  private static ModelShape fromMap(Map<?, ?> map, boolean schematized, boolean keyed) {
    if (map.containsKey(OP) && (map.containsKey(AFTER) || map.containsKey(BEFORE))) {
      Object source = map.get(SOURCE);
      boolean position =
          source instanceof Map<?, ?> s && s.containsKey(COMMIT_LSN) && s.containsKey(EVENT_INDEX);
      Layout layout = new Layout(true, schematized, "", true, false, position);
      Object row = map.get(AFTER) != null ? map.get(AFTER) : map.get(BEFORE);
      return new ModelShape(layout, inferred(row, layout), keyed);
    }
    List<String> names = map.keySet().stream().map(String::valueOf).toList();
    Layout layout = unwrapped(names, schematized);
    return new ModelShape(layout, inferred(map, layout), keyed);
  }

  private static List<ModelColumn> inferred(Object row, Layout layout) {
    List<ModelColumn> columns = new ArrayList<>();
    if (row instanceof Map<?, ?> fields) {
      for (Map.Entry<?, ?> e : fields.entrySet()) {
        String name = String.valueOf(e.getKey());
        if (!layout.isAdded(name)) {
          columns.add(new ModelColumn(name, ColumnType.inferred(e.getValue())));
        }
      }
    }
    return columns;
  }

  /**
   * An unwrapped row: the prefix of the added fields is the one before {@code commit_lsn} (the
   * default {@code __} when that field is missing).
   */
  private static Layout unwrapped(List<String> fields, boolean schematized) {
    String prefix = "__";
    for (String f : fields) {
      if (f.endsWith(COMMIT_LSN) && f.length() > COMMIT_LSN.length()) {
        prefix = f.substring(0, f.length() - COMMIT_LSN.length());
      }
    }
    boolean position =
        fields.contains(prefix + COMMIT_LSN) && fields.contains(prefix + EVENT_INDEX);
    return new Layout(
        false,
        schematized,
        prefix,
        fields.contains(prefix + OP),
        fields.contains(prefix + "deleted"),
        position);
  }
}
