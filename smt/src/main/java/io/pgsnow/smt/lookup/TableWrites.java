package io.pgsnow.smt.lookup;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.errors.DataException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the records of a table topic into the table's rows: records read from Kafka, and records
 * passing through the chain, held as a rebuild from the topic would read them so that a restart
 * finds the same rows. Called by one writer at a time.
 */
final class TableWrites {
  private static final Logger LOG = LoggerFactory.getLogger(TableWrites.class);

  private final String topic;
  private final TableConverter keyConverter;
  private final TableConverter valueConverter;
  private final TableRecordDecoder decoder;
  private final TableState state;

  TableWrites(
      String topic,
      TableConverter keyConverter,
      TableConverter valueConverter,
      TableRecordDecoder decoder,
      TableState state) {
    this.topic = topic;
    this.keyConverter = keyConverter;
    this.valueConverter = valueConverter;
    this.decoder = decoder;
    this.state = state;
  }

  /**
   * Writes a record read from the topic; one without a usable key is skipped with a warning.
   *
   * @throws DataException when the converters cannot read it
   * @throws LookupTableFullException when its row does not fit the table's limits
   */
  void applyRead(ConsumerRecord<byte[], byte[]> record) {
    SchemaAndValue key;
    SchemaAndValue value;
    try {
      key = keyConverter.read(record.topic(), record.headers(), record.key());
      value = valueConverter.read(record.topic(), record.headers(), record.value());
    } catch (DataException e) {
      // A row the table cannot read would turn joins into silent misses: fail, and say where.
      throw new DataException(
          String.format(
              "Lookup table %s cannot read the record at %s-%d@%d with its converters (key: %s,"
                  + " value: %s): %s",
              topic,
              record.topic(),
              record.partition(),
              record.offset(),
              keyConverter,
              valueConverter,
              e.getMessage()),
          e);
    }
    Header toast = record.headers().lastHeader(UnchangedToastColumns.HEADER);
    Set<String> unchanged =
        toast == null || toast.value() == null
            ? Set.of()
            : UnchangedToastColumns.parse(new String(toast.value(), StandardCharsets.UTF_8));
    try {
      state.put(decoder.key(key.value()), decoder.row(value.value()), unchanged);
    } catch (DataException e) {
      // One unusable record (no key) must not take the whole table down.
      LOG.warn(
          "Lookup table {}: skipping record at {}-{}@{}: {}",
          topic,
          record.topic(),
          record.partition(),
          record.offset(),
          e.getMessage());
    }
  }

  /**
   * Writes a record of the table topic passing through the chain.
   *
   * @throws LookupTableFullException when its row does not fit the table's limits
   */
  void applyInLine(ConnectRecord<?> record) {
    Object key = keyConverter.readBack(topic, record.keySchema(), record.key());
    Object value = valueConverter.readBack(topic, record.valueSchema(), record.value());
    org.apache.kafka.connect.header.Header toast =
        record.headers().lastWithName(UnchangedToastColumns.HEADER);
    Set<String> unchanged = toast == null ? Set.of() : UnchangedToastColumns.parse(toast.value());
    state.put(decoder.key(key), decoder.row(value), unchanged);
  }
}
