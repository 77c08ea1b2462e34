package io.pgsnow.smt;

import io.pgsnow.smt.FlattenConfig.CollectionMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;

/**
 * Flattens nested structs into top-level fields named {@code parent<delimiter>child}. Unlike
 * Kafka's Flatten it never throws on maps or arrays: they are kept or written as JSON text.
 *
 * @param <R> the record type
 */
public abstract class Flatten<R extends ConnectRecord<R>> extends SideTransformation<R, Schema> {

  protected Flatten(RecordSide side) {
    super(side);
  }

  public static final String OVERVIEW_DOC =
      "Flattens nested structs (and, in schemaless records, nested maps) into fields named"
          + " parent_child; arrays and maps are kept or written as JSON.";

  private String delimiter;
  private CollectionMode arrayMode;
  private CollectionMode mapMode;

  @Override
  public void configure(Map<String, ?> props) {
    FlattenConfig config = new FlattenConfig(props);
    delimiter = config.delimiter();
    arrayMode = config.arrayMode();
    mapMode = config.mapMode();
    newSchemaCache();
  }

  @Override
  public R apply(R record) {
    // A primitive key or value has nothing to flatten.
    return applyToSide(record, this::flattenStruct, this::flattenMap, value -> record);
  }

  private R flattenStruct(R record, Schema schema, Struct struct) {
    Schema flat = schemas.get(schema, this::deriveSchema);
    Struct out = new Struct(flat);
    copyStruct(struct, "", out);
    return side.newRecord(record, flat, out);
  }

  private R flattenMap(R record, Map<?, ?> map) {
    Map<String, Object> out = new LinkedHashMap<>();
    copyMap(map, "", out);
    return side.newRecord(record, null, out);
  }

  private String name(String prefix, String name) {
    return prefix.isEmpty() ? name : prefix + delimiter + name;
  }

  private Schema deriveSchema(Schema schema) {
    SchemaBuilder builder = structLike(schema);
    addFields(builder, "", schema, false);
    return builder.build();
  }

  private void addFields(SchemaBuilder builder, String prefix, Schema schema, boolean optional) {
    for (Field field : schema.fields()) {
      String name = name(prefix, field.name());
      Schema child = field.schema();
      // A child of an optional struct is null whenever its parent is, so it must be optional too.
      boolean childOptional = optional || child.isOptional();
      switch (child.type()) {
        case STRUCT -> addFields(builder, name, child, childOptional);
        case ARRAY -> builder.field(name, collectionSchema(child, arrayMode, optional));
        case MAP -> builder.field(name, collectionSchema(child, mapMode, optional));
        default -> builder.field(name, optional ? OptionalSchema.of(child) : child);
      }
    }
  }

  private static Schema collectionSchema(Schema schema, CollectionMode mode, boolean optional) {
    if (mode == CollectionMode.JSON) {
      return optional || schema.isOptional() ? Schema.OPTIONAL_STRING_SCHEMA : Schema.STRING_SCHEMA;
    }
    return optional ? OptionalSchema.of(schema) : schema;
  }

  private void copyStruct(Struct struct, String prefix, Struct out) {
    for (Field field : struct.schema().fields()) {
      String name = name(prefix, field.name());
      Object value = struct.get(field);
      switch (field.schema().type()) {
        case STRUCT -> {
          if (value != null) {
            copyStruct((Struct) value, name, out);
          }
        }
        case ARRAY -> out.put(name, collectionValue(value, arrayMode));
        case MAP -> out.put(name, collectionValue(value, mapMode));
        default -> out.put(name, value);
      }
    }
  }

  private static Object collectionValue(Object value, CollectionMode mode) {
    return mode == CollectionMode.JSON && value != null ? ValueText.json(value) : value;
  }

  private void copyMap(Map<?, ?> map, String prefix, Map<String, Object> out) {
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      String name = name(prefix, String.valueOf(entry.getKey()));
      Object value = entry.getValue();
      if (value instanceof Map<?, ?> nested) {
        copyMap(nested, name, out);
      } else if (value instanceof Struct nested) {
        copyStructToMap(nested, name, out);
      } else if (value instanceof List<?> list) {
        out.put(name, collectionValue(list, arrayMode));
      } else {
        out.put(name, value);
      }
    }
  }

  private void copyStructToMap(Struct struct, String prefix, Map<String, Object> out) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (Field field : struct.schema().fields()) {
      fields.put(field.name(), struct.get(field));
    }
    copyMap(fields, prefix, out);
  }

  @Override
  public ConfigDef config() {
    return FlattenConfig.CONFIG_DEF;
  }

  /** Flattens the record key. */
  public static class Key<R extends ConnectRecord<R>> extends Flatten<R> {
    public Key() {
      super(RecordSide.KEY);
    }
  }

  /** Flattens the record value. */
  public static class Value<R extends ConnectRecord<R>> extends Flatten<R> {
    public Value() {
      super(RecordSide.VALUE);
    }
  }
}
