package io.pgsnow.smt;

import io.pgsnow.source.events.SourceInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Change events in the shape the pgsnow source connector emits: topic {@code
 * <prefix>.<schema>.<table>}, a key struct of the primary key, and the Debezium envelope.
 */
public final class ChangeEvents {
  /** The source connector's own source block. */
  public static final Schema SOURCE_SCHEMA = SourceInfo.SCHEMA;

  private final String prefix;
  private final String table;
  private final Schema keySchema;
  private final Schema rowSchema;
  private final Schema envelopeSchema;
  private long lsn = 1000;

  /**
   * @param row the row schema's fields (the schema is made optional and named as the source names
   *     it)
   * @param keyField the primary-key column
   */
  public ChangeEvents(String prefix, String table, Schema row, String keyField) {
    this.prefix = prefix;
    this.table = table;
    String base = prefix + ".public." + table;
    this.keySchema =
        SchemaBuilder.struct()
            .name(base + ".Key")
            .field(keyField, row.field(keyField).schema())
            .build();
    SchemaBuilder rowBuilder = SchemaBuilder.struct().name(base + ".Value").optional();
    row.fields().forEach(f -> rowBuilder.field(f.name(), f.schema()));
    this.rowSchema = rowBuilder.build();
    this.envelopeSchema =
        SchemaBuilder.struct()
            .name(base + ".Envelope")
            .field("before", rowSchema)
            .field("after", rowSchema)
            .field("source", SOURCE_SCHEMA)
            .field("op", Schema.STRING_SCHEMA)
            .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
            .build();
  }

  public String topic() {
    return prefix + ".public." + table;
  }

  public Schema keySchema() {
    return keySchema;
  }

  public Schema rowSchema() {
    return rowSchema;
  }

  public Schema envelopeSchema() {
    return envelopeSchema;
  }

  /** A row struct from alternating field names and values. */
  public Struct row(Object... namesAndValues) {
    Struct row = new Struct(rowSchema);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      row.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    return row;
  }

  public SourceRecord insert(Struct after) {
    return event("c", null, after);
  }

  public SourceRecord read(Struct after) {
    return event("r", null, after);
  }

  public SourceRecord update(Struct before, Struct after) {
    return event("u", before, after);
  }

  public SourceRecord delete(Struct before) {
    return event("d", before, null);
  }

  /** The tombstone that follows a delete. */
  public SourceRecord tombstone(Struct before) {
    return new SourceRecord(
        Map.of("server", prefix),
        Map.of("lsn", lsn),
        topic(),
        null,
        keySchema,
        key(before),
        null,
        null,
        1_700_000_000_000L);
  }

  public SourceRecord event(String op, Struct before, Struct after) {
    Struct row = after != null ? after : before;
    lsn += 8;
    Struct source =
        new Struct(SOURCE_SCHEMA)
            .put("version", "0.1.0")
            .put("connector", "postgresql")
            .put("name", prefix)
            .put("ts_ms", 1_700_000_000_000L)
            .put("db", "app")
            .put("schema", "public")
            .put("table", table)
            .put("txId", 700L)
            .put("lsn", lsn);
    Struct envelope =
        new Struct(envelopeSchema)
            .put("before", before)
            .put("after", after)
            .put("source", source)
            .put("op", op)
            .put("ts_ms", 1_700_000_000_123L);
    return new SourceRecord(
        Map.of("server", prefix),
        Map.of("lsn", lsn),
        topic(),
        null,
        keySchema,
        key(row),
        envelopeSchema,
        envelope,
        1_700_000_000_000L);
  }

  private Struct key(Struct row) {
    if (row == null) {
      return null;
    }
    Struct key = new Struct(keySchema);
    keySchema.fields().forEach(f -> key.put(f, row.get(f.name())));
    return key;
  }

  /** The same record as JsonConverter with schemas.enable=false would deliver it: maps. */
  public static SourceRecord schemaless(SourceRecord record) {
    return record.newRecord(
        record.topic(),
        record.kafkaPartition(),
        null,
        toMap(record.key()),
        null,
        toMap(record.value()),
        record.timestamp());
  }

  /** A struct as nested maps, as schemaless JSON gives it (integers as longs). */
  public static Object toMap(Object value) {
    if (value instanceof Struct struct) {
      Map<String, Object> map = new LinkedHashMap<>();
      struct.schema().fields().forEach(f -> map.put(f.name(), toMap(struct.get(f))));
      return map;
    }
    if (value instanceof Integer || value instanceof Short) {
      return ((Number) value).longValue();
    }
    return value;
  }
}
