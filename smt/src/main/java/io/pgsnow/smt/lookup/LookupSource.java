package io.pgsnow.smt.lookup;

import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;

/**
 * A table that a lookup join reads rows from by key. Rows are Structs (carrying their schema) or
 * schemaless Maps.
 */
public interface LookupSource extends AutoCloseable {

  /**
   * Blocks until the source can answer lookups consistently (a topic table has read to the end
   * offsets it saw at start), at most {@code timeout}.
   */
  void awaitReady(Duration timeout) throws LookupFailedException;

  /**
   * Whether lookups answer consistently now, once {@link #awaitReady} returned: false again while a
   * topic table is rebuilt, so that the next join waits for it.
   */
  default boolean isReady() {
    return true;
  }

  /** The row of a key, or empty when the table has none. */
  Optional<Object> lookup(LookupKey key) throws LookupFailedException;

  /** The schema of the table's rows when known, used for the null fields of a miss. */
  Optional<Schema> rowSchema();

  /** The schema inferred from the schemaless (Map) rows, for joining them with Struct records. */
  default InferredRowSchema schemalessRowSchema() {
    return InferredRowSchema.EMPTY;
  }

  /**
   * Offers a record passing through the transform chain; a source that the record belongs to (the
   * topic table's own topic) applies it and returns true.
   */
  default boolean absorb(ConnectRecord<?> record) throws LookupFailedException {
    return false;
  }

  /** Releases consumers, connections and threads; never throws. */
  @Override
  void close();
}
