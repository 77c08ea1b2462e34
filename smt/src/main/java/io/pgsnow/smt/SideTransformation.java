package io.pgsnow.smt;

import io.pgsnow.common.Version;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
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
