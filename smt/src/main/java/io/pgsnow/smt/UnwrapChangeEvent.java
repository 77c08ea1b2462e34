package io.pgsnow.smt;

import io.pgsnow.smt.UnwrapChangeEventConfig.DeleteHandling;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces a Debezium-style change event ({@code before}, {@code after}, {@code source}, {@code
 * op}) by the row it carries, with Debezium ExtractNewRecordState's options. Records that are not
 * envelopes (heartbeats, plain rows) pass unchanged, so the transform can sit on any topic.
 *
 * @param <R> the record type
 */
public abstract class UnwrapChangeEvent<R extends ConnectRecord<R>>
    extends SideTransformation<R, UnwrapChangeEvent.RowShape> {

  protected UnwrapChangeEvent(RecordSide side) {
    super(side);
  }

  private static final Logger LOG = LoggerFactory.getLogger(UnwrapChangeEvent.class);

  public static final String OVERVIEW_DOC =
      "Replaces a change event envelope (before, after, source, op) by its row state. Use"
          + " <code>"
          + UnwrapChangeEvent.Key.class.getName()
          + "</code> for keys and <code>"
          + UnwrapChangeEvent.Value.class.getName()
          + "</code> for values.";

  private static final String BEFORE = "before";
  private static final String AFTER = "after";
  private static final String OP = "op";

  private DeleteHandling deleteHandling;
  private List<EnvelopeField> addFields;
  private List<EnvelopeField> addHeaders;
  private Optional<String> dropFieldsHeader;

  /** What an output schema is derived from. */
  record RowShape(Schema row, Schema envelope, Set<String> dropped) {}

  @Override
  public void configure(Map<String, ?> props) {
    UnwrapChangeEventConfig config = new UnwrapChangeEventConfig(props);
    deleteHandling = config.deleteHandling();
    addFields = config.addFields();
    addHeaders = config.addHeaders();
    dropFieldsHeader = config.dropFieldsHeader();
    newSchemaCache();
  }

  @Override
  public R apply(R record) {
    Object value = side.value(record);
    if (value == null) {
      return deleteHandling.keepsTombstones() ? record : null;
    }
    Schema schema = side.schema(record);
    if (schema != null && value instanceof Struct envelope && isEnvelope(schema)) {
      return applyStruct(record, envelope);
    }
    if (schema == null && value instanceof Map<?, ?> envelope && isEnvelope(envelope)) {
      return applySchemaless(record, envelope);
    }
    return record;
  }

  private static boolean isEnvelope(Schema schema) {
    return schema.type() == Schema.Type.STRUCT
        && schema.field(AFTER) != null
        && schema.field(BEFORE) != null
        && schema.field(OP) != null;
  }

  private static boolean isEnvelope(Map<?, ?> map) {
    return map.containsKey(OP) && (map.containsKey(AFTER) || map.containsKey(BEFORE));
  }

  private R applyStruct(R record, Struct envelope) {
    Struct after = envelope.getStruct(AFTER);
    Struct row = after != null ? after : envelope.getStruct(BEFORE);
    if (row == null) {
      // Truncate and other events without a row state have nothing to unwrap to.
      LOG.debug("Dropping event op={} without row state", envelope.get(OP));
      return null;
    }
    if (after == null && !deleteHandling.rewrites()) {
      return deleteHandling == DeleteHandling.DROP ? null : tombstone(record);
    }
    Set<String> dropped = droppedFields(record.headers());
    Headers headers = headersWith(record, envelope, null);
    if (addFields.isEmpty() && !deleteHandling.rewrites() && dropped.isEmpty()) {
      return side.newRecord(record, row.schema(), row, headers);
    }
    Schema schema =
        schemas.get(new RowShape(row.schema(), envelope.schema(), dropped), this::deriveSchema);
    return side.newRecord(
        record, schema, rowWithFields(schema, row, envelope, after == null), headers);
  }

  private Struct rowWithFields(Schema schema, Struct row, Struct envelope, boolean deleted) {
    Struct out = new Struct(schema);
    for (Field field : schema.fields()) {
      if (row.schema().field(field.name()) != null) {
        out.put(field, row.get(field.name()));
      }
    }
    for (EnvelopeField add : addFields) {
      if (schema.field(add.outputName()) != null) {
        out.put(add.outputName(), add.valueIn(envelope));
      }
    }
    if (deleteHandling.rewrites()) {
      out.put(UnwrapChangeEventConfig.DELETED_FIELD, Boolean.toString(deleted));
    }
    return out;
  }

  private Schema deriveSchema(RowShape shape) {
    Schema row = shape.row();
    SchemaBuilder builder = SchemaBuilder.struct().name(row.name()).version(row.version());
    builder.doc(row.doc());
    if (row.isOptional()) {
      builder.optional();
    }
    for (Field field : row.fields()) {
      if (!shape.dropped().contains(field.name())) {
        builder.field(field.name(), field.schema());
      }
    }
    for (EnvelopeField add : addFields) {
      Schema fieldSchema = add.schemaIn(shape.envelope());
      if (fieldSchema != null && builder.field(add.outputName()) == null) {
        builder.field(add.outputName(), OptionalSchema.of(fieldSchema));
      }
    }
    if (deleteHandling.rewrites() && builder.field(UnwrapChangeEventConfig.DELETED_FIELD) == null) {
      builder.field(UnwrapChangeEventConfig.DELETED_FIELD, Schema.OPTIONAL_STRING_SCHEMA);
    }
    return builder.build();
  }

  private R applySchemaless(R record, Map<?, ?> envelope) {
    Object row = envelope.get(AFTER);
    boolean deleted = false;
    if (row == null) {
      row = envelope.get(BEFORE);
      if (row == null) {
        LOG.debug("Dropping event op={} without row state", envelope.get(OP));
        return null;
      }
      if (!deleteHandling.rewrites()) {
        return deleteHandling == DeleteHandling.DROP ? null : tombstone(record);
      }
      deleted = true;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    if (row instanceof Map<?, ?> map) {
      map.forEach((k, v) -> out.put(String.valueOf(k), v));
    }
    out.keySet().removeAll(droppedFields(record.headers()));
    for (EnvelopeField add : addFields) {
      if (add.presentIn(envelope)) {
        out.put(add.outputName(), add.valueIn(envelope));
      }
    }
    if (deleteHandling.rewrites()) {
      out.put(UnwrapChangeEventConfig.DELETED_FIELD, Boolean.toString(deleted));
    }
    return side.newRecord(record, null, out, headersWith(record, null, envelope));
  }

  private Headers headersWith(R record, Struct envelope, Map<?, ?> schemaless) {
    if (addHeaders.isEmpty()) {
      return record.headers();
    }
    Headers headers = record.headers().duplicate();
    for (EnvelopeField add : addHeaders) {
      if (envelope != null) {
        Schema schema = add.schemaIn(envelope.schema());
        if (schema != null) {
          headers.add(add.outputName(), add.valueIn(envelope), OptionalSchema.of(schema));
        }
      } else if (add.presentIn(schemaless)) {
        headers.add(add.outputName(), add.valueIn(schemaless), null);
      }
    }
    return headers;
  }

  private Set<String> droppedFields(Headers headers) {
    if (dropFieldsHeader.isEmpty()) {
      return Set.of();
    }
    Header header = headers.lastWithName(dropFieldsHeader.get());
    if (header == null || header.value() == null) {
      return Set.of();
    }
    Stream<?> names =
        header.value() instanceof Collection<?> list
            ? list.stream()
            : Stream.of(header.value().toString().split(","));
    return names
        .map(name -> String.valueOf(name).trim())
        .filter(name -> !name.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }

  private R tombstone(R record) {
    return side.newRecord(record, null, null, record.headers());
  }

  @Override
  public ConfigDef config() {
    return UnwrapChangeEventConfig.CONFIG_DEF;
  }

  /** Unwraps an envelope carried in the record key. */
  public static class Key<R extends ConnectRecord<R>> extends UnwrapChangeEvent<R> {
    public Key() {
      super(RecordSide.KEY);
    }
  }

  /** Unwraps the envelope in the record value, the usual place of a change event. */
  public static class Value<R extends ConnectRecord<R>> extends UnwrapChangeEvent<R> {
    public Value() {
      super(RecordSide.VALUE);
    }
  }
}
