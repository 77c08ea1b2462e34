package io.pgsnow.smt;

import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.Headers;

/**
 * The part of a record a transform works on. Each transform has Kafka's {@code Flatten} shape, a
 * public nested {@code Key} and {@code Value}; they differ only in this, so they share it.
 */
enum RecordSide {
  KEY {
    @Override
    Schema schema(ConnectRecord<?> record) {
      return record.keySchema();
    }

    @Override
    Object value(ConnectRecord<?> record) {
      return record.key();
    }

    @Override
    <R extends ConnectRecord<R>> R newRecord(
        R record, Schema schema, Object value, Headers headers) {
      return record.newRecord(
          record.topic(),
          record.kafkaPartition(),
          schema,
          value,
          record.valueSchema(),
          record.value(),
          record.timestamp(),
          headers);
    }
  },
  VALUE {
    @Override
    Schema schema(ConnectRecord<?> record) {
      return record.valueSchema();
    }

    @Override
    Object value(ConnectRecord<?> record) {
      return record.value();
    }

    @Override
    <R extends ConnectRecord<R>> R newRecord(
        R record, Schema schema, Object value, Headers headers) {
      return record.newRecord(
          record.topic(),
          record.kafkaPartition(),
          record.keySchema(),
          record.key(),
          schema,
          value,
          record.timestamp(),
          headers);
    }
  };

  abstract Schema schema(ConnectRecord<?> record);

  abstract Object value(ConnectRecord<?> record);

  /** A copy of the record with this side replaced; the headers are the given ones. */
  abstract <R extends ConnectRecord<R>> R newRecord(
      R record, Schema schema, Object value, Headers headers);

  /** A copy of the record with this side replaced, keeping a copy of its headers. */
  <R extends ConnectRecord<R>> R newRecord(R record, Schema schema, Object value) {
    return newRecord(record, schema, value, record.headers().duplicate());
  }
}
