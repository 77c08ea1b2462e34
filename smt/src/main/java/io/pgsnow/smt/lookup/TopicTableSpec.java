package io.pgsnow.smt.lookup;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Everything that decides the rows of a topic table: two joins with equal specs hold the same rows
 * and may share one table. Settings are compared as text, as a worker's config gives them.
 *
 * @param consumer the {@code topic.consumer.*} settings, which may hold credentials: never printed
 */
public record TopicTableSpec(
    String topic,
    String bootstrapServers,
    List<String> keyFields,
    String keyConverter,
    SortedMap<String, String> keyConverterConfig,
    String valueConverter,
    SortedMap<String, String> valueConverterConfig,
    SortedMap<String, String> consumer,
    long maxRows,
    long maxBytes) {
  private static final AtomicInteger CLIENT_IDS = new AtomicInteger();

  public TopicTableSpec {
    keyFields = List.copyOf(keyFields);
    keyConverterConfig = text(keyConverterConfig);
    valueConverterConfig = text(valueConverterConfig);
    consumer = text(consumer);
  }

  /** Settings of any value type (as a connector config gives them) as comparable text. */
  public static SortedMap<String, String> text(Map<String, ?> settings) {
    SortedMap<String, String> text = new TreeMap<>();
    settings.forEach((k, v) -> text.put(k, v == null ? null : String.valueOf(v)));
    return java.util.Collections.unmodifiableSortedMap(text);
  }

  /** Opens the table: a consumer of the topic and a reader thread, owned by the table. */
  public TopicTable open() {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // Only committed rows: with exactly-once sources, an aborted write was never part of the table.
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(
        ConsumerConfig.CLIENT_ID_CONFIG,
        "pgsnow-lookup-" + topic + "-" + CLIENT_IDS.incrementAndGet());
    props.putAll(consumer);
    return new TopicTable(
        topic,
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
        TableConverter.create(keyConverter, keyConverterConfig, true),
        TableConverter.create(valueConverter, valueConverterConfig, false),
        keyFields,
        maxRows,
        maxBytes,
        TopicTable.LoadWait.TIMED);
  }

  @Override
  public String toString() {
    return "topic table " + topic + " from " + bootstrapServers;
  }
}
