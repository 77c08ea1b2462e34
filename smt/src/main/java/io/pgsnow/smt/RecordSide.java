package io.pgsnow.smt;

import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.Headers;

/**
 * The part of a record a transform works on. Each transform has Kafka's {@code Flatten} shape, a
 * public nested {@code Key} and {@code Value}; they differ only in this, so they share it.
 */
enum RecordSide {
  KEY,
  VALUE;

  Schema schema(ConnectRecord<?> record) {
    return this == KEY ? record.keySchema() : record.valueSchema();
  }

  Object value(ConnectRecord<?> record) {
    return this == KEY ? record.key() : record.value();
  }

  /** A copy of the record with this side replaced; the headers are the given ones. */
  <R extends ConnectRecord<R>> R newRecord(R record, Schema schema, Object value, Headers headers) {
    boolean key = this == KEY;
    return record.newRecord(
        record.topic(),
        record.kafkaPartition(),
        key ? schema : record.keySchema(),
        key ? value : record.key(),
        key ? record.valueSchema() : schema,
        key ? record.value() : value,
        record.timestamp(),
        headers);
  }

  /** A copy of the record with this side replaced, keeping a copy of its headers. */
  <R extends ConnectRecord<R>> R newRecord(R record, Schema schema, Object value) {
    return newRecord(record, schema, value, record.headers().duplicate());
  }
}
