package io.pgsnow.source.events;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;

/**
 * Debezium's transaction metadata ({@code provide.transaction.metadata}): the {@code transaction}
 * block of each change event (the transaction's id, the event's 1-based order in the transaction
 * and among the transaction's events of its table) and the BEGIN and END records of the transaction
 * topic, in Debezium's schemas. Counts include events a restart skips as already sent, so that they
 * are the same however often a transaction is read.
 */
final class TransactionMetadata {
  static final Schema KEY_SCHEMA =
      SchemaBuilder.struct()
          .name("io.debezium.connector.common.TransactionMetadataKey")
          .version(1)
          .field("id", Schema.STRING_SCHEMA)
          .build();

  static final Schema DATA_COLLECTION_SCHEMA =
      SchemaBuilder.struct()
          .optional()
          .name("event.collection")
          .version(1)
          .field("data_collection", Schema.STRING_SCHEMA)
          .field("event_count", Schema.INT64_SCHEMA)
          .build();

  static final Schema VALUE_SCHEMA =
      SchemaBuilder.struct()
          .name("io.debezium.connector.common.TransactionMetadataValue")
          .version(1)
          .field("status", Schema.STRING_SCHEMA)
          .field("id", Schema.STRING_SCHEMA)
          .field("event_count", Schema.OPTIONAL_INT64_SCHEMA)
          .field("data_collections", SchemaBuilder.array(DATA_COLLECTION_SCHEMA).optional().build())
          .field("ts_ms", Schema.INT64_SCHEMA)
          .build();

  private final String topic;
  private final Map<String, Long> perTable = new LinkedHashMap<>();
  private String id;
  private long total;

  TransactionMetadata(String topic) {
    this.topic = topic;
  }

  String topic() {
    return topic;
  }

  /**
   * Starts a transaction. Its id is Debezium's {@code <txId>:<LSN>} with the transaction's own
   * commit LSN, which every record of the transaction shares and a restart computes again.
   */
  void begin(long txId, long commitLsn) {
    id = txId + ":" + Long.toUnsignedString(commitLsn);
    total = 0;
    perTable.clear();
  }

  /** The block of the transaction's next event, of table {@code schema.table}. */
  Struct next(String schema, String table) {
    long order = perTable.merge(schema + "." + table, 1L, Long::sum);
    return new Struct(TableSchema.TRANSACTION_BLOCK)
        .put("id", id)
        .put("total_order", ++total)
        .put("data_collection_order", order);
  }

  Struct key() {
    return new Struct(KEY_SCHEMA).put("id", id);
  }

  Struct beginValue(long commitTimeMillis) {
    return new Struct(VALUE_SCHEMA)
        .put("status", "BEGIN")
        .put("id", id)
        .put("ts_ms", commitTimeMillis);
  }

  Struct endValue(long commitTimeMillis) {
    List<Struct> collections = new ArrayList<>(perTable.size());
    perTable.forEach(
        (table, count) ->
            collections.add(
                new Struct(DATA_COLLECTION_SCHEMA)
                    .put("data_collection", table)
                    .put("event_count", count)));
    return new Struct(VALUE_SCHEMA)
        .put("status", "END")
        .put("id", id)
        .put("event_count", total)
        .put("data_collections", collections)
        .put("ts_ms", commitTimeMillis);
  }
}
