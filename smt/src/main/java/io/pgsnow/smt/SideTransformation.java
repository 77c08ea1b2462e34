package io.pgsnow.smt;

import io.pgsnow.common.Version;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * What the transforms with a {@code Key} and a {@code Value} variant share: the side of the record
 * they work on, the cache of output schemas derived from input shapes, and the plugin version.
 *
 * @param <R> the record type
 * @param <S> what an output schema is derived from
 */
public abstract class SideTransformation<R extends ConnectRecord<R>, S>
    implements Transformation<R>, Versioned {
  protected final RecordSide side;
  protected DerivedSchemaCache<S> schemas;

  protected SideTransformation(RecordSide side) {
    this.side = side;
  }

  /** Starts an empty schema cache; each {@code configure} calls it. */
  protected void newSchemaCache() {
    schemas = new DerivedSchemaCache<>(DerivedSchemaCache.DEFAULT_SIZE);
  }

  /** What a transform makes of a struct value and its schema. */
  protected interface StructChange<R> {
    R apply(R record, Schema schema, Struct struct);
  }

  /** What a transform makes of a schemaless map value. */
  protected interface MapChange<R> {
    R apply(R record, Map<?, ?> map);
  }

  /**
   * Applies the change that fits the side's value: a null one (a tombstone, a null key) passes
   * through, a struct with its schema goes to {@code onStruct}, a schemaless map to {@code onMap},
   * anything else to {@code onOther}.
   */
  protected R applyToSide(
      R record, StructChange<R> onStruct, MapChange<R> onMap, Function<Object, R> onOther) {
    Object value = side.value(record);
    if (value == null) {
      return record;
    }
    Schema schema = side.schema(record);
    if (schema != null && value instanceof Struct struct) {
      return onStruct.apply(record, schema, struct);
    }
    if (schema == null && value instanceof Map<?, ?> map) {
      return onMap.apply(record, map);
    }
    return onOther.apply(value);
  }

  /** A struct schema builder with the name, version, doc and optionality of {@code schema}. */
  protected static SchemaBuilder structLike(Schema schema) {
    SchemaBuilder builder =
        SchemaBuilder.struct().name(schema.name()).version(schema.version()).doc(schema.doc());
    if (schema.isOptional()) {
      builder.optional();
    }
    return builder;
  }

  /** The number of derived schemas held, for tests of the cache. */
  long cachedSchemas() {
    return schemas.size();
  }

  @Override
  public String version() {
    return Version.get();
  }

  @Override
  public void close() {
    schemas = null;
  }
}
