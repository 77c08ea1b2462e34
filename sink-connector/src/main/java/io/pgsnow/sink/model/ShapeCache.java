package io.pgsnow.sink.model;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * The shapes of records with a schema, by the schema object: converters hand out the same schema
 * object for the same schema, so a record's shape is read once per schema. Schemaless records are
 * read each time. For the task's put thread only.
 */
public final class ShapeCache {

  private static final int MAX_ENTRIES = 1024;

  private final boolean schematized;
  private final Map<Object, Optional<ModelShape>> keyed = new IdentityHashMap<>();
  private final Map<Object, Optional<ModelShape>> unkeyed = new IdentityHashMap<>();

  public ShapeCache(boolean schematized) {
    this.schematized = schematized;
  }

  public Optional<ModelShape> shapeOf(SinkRecord record) {
    if (!(record.value() instanceof Struct struct)) {
      return ShapeReader.read(record, schematized);
    }
    Map<Object, Optional<ModelShape>> cache = record.key() != null ? keyed : unkeyed;
    Optional<ModelShape> shape = cache.get(struct.schema());
    if (shape == null) {
      if (cache.size() >= MAX_ENTRIES) {
        cache.clear();
      }
      shape = ShapeReader.read(record, schematized);
      cache.put(struct.schema(), shape);
    }
    return shape;
  }
}
