package io.pgsnow.benchmarks;

import io.pgsnow.testkit.ConnectCluster;
import io.pgsnow.testkit.LocalPostgres;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * What the snapshot and streaming throughput benchmarks share: the source connector settings of a
 * run on the payroll table, and reading the broker's time of a record to time the run.
 */
final class CaptureRuns {

  private CaptureRuns() {}

  /**
   * The settings of a pgsnow or Debezium source run named {@code name} on {@code db}'s payroll
   * table, with JSON records that carry their schemas; the caller adds the connector class.
   */
  static Map<String, String> sourceConfig(LocalPostgres pg, String db, String name) {
    Map<String, String> config = new HashMap<>();
    config.put("tasks.max", "1");
    config.putAll(pg.sourceSettings(db, name));
    config.put("table.include.list", "public.payroll");
    config.putAll(jsonConverters(true));
    return config;
  }

  /** Kafka's JsonConverter for keys and values, with or without schemas in each record. */
  static Map<String, String> jsonConverters(boolean schemas) {
    String json = "org.apache.kafka.connect.json.JsonConverter";
    String enable = Boolean.toString(schemas);
    return Map.of(
        "key.converter", json,
        "key.converter.schemas.enable", enable,
        "value.converter", json,
        "value.converter.schemas.enable", enable);
  }

  /** A consumer of the topic's only partition that reads one record a poll. */
  static KafkaConsumer<byte[], byte[]> oneRecordConsumer(ConnectCluster connect, String topic) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
    KafkaConsumer<byte[], byte[]> consumer = connect.kafka().createConsumer(props);
    consumer.assign(List.of(new TopicPartition(topic, 0)));
    return consumer;
  }

  /** The timestamp of the record at {@code offset} (the broker's append time on these topics). */
  static long timestampAt(KafkaConsumer<byte[], byte[]> consumer, long offset) {
    TopicPartition partition = consumer.assignment().iterator().next();
    consumer.seek(partition, offset);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        return record.timestamp();
      }
    }
    throw new IllegalStateException("No record at offset " + offset);
  }

  /** The CPU time this JVM has used. */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
