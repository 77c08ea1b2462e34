package io.pgsnow.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgsnow.testkit.ConnectCluster;
import io.pgsnow.testkit.LocalPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.awaitility.Awaitility;

/** Shared set-up of the source connector's integration tests. */
final class SourceItSupport {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path PLUGINS = Path.of("target", "plugin");

  private SourceItSupport() {}

  /**
   * A cluster with the built plugin; plugins are found by their ServiceLoader manifests, not by
   * scanning the test class path (seconds per worker start).
   */
  static ConnectCluster.Builder cluster() {
    return ConnectCluster.builder()
        .pluginPath(PLUGINS)
        .workerProperty("plugin.discovery", "service_load");
  }

  /**
   * The broker and worker the source ITs share in their JVM, for tests that neither restart nor
   * reconfigure the worker; closing it deletes the connectors. Connector names and topic prefixes
   * stay unique across the test classes (offsets outlive a deleted connector).
   */
  static ConnectCluster sharedCluster() {
    return cluster().name("source-it").startShared();
  }

  /** Transactions PostgreSQL has streamed in progress through a slot (its statistics). */
  static long streamedTransactions(LocalPostgres pg, String database, String slot)
      throws SQLException {
    try (Connection c = pg.connect(database);
        PreparedStatement s =
            c.prepareStatement(
                "SELECT stream_txns FROM pg_stat_replication_slots WHERE slot_name = ?")) {
      s.setString(1, slot);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0L;
      }
    }
  }

  /** A connector config for {@code database} with the JSON converter and schemas enabled. */
  static Map<String, String> connectorConfig(LocalPostgres pg, String database, String name) {
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", PostgresCdcSourceConnector.class.getName());
    config.put("tasks.max", "1");
    config.putAll(pg.sourceSettings(database, name));
    config.put("status.update.interval.ms", "200");
    config.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
    config.put("key.converter.schemas.enable", "true");
    config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    config.put("value.converter.schemas.enable", "true");
    return config;
  }

  /** Creates a connector and waits until its task runs and streams from its slot. */
  static void startConnector(
      ConnectCluster connect,
      LocalPostgres pg,
      String database,
      String name,
      Map<String, String> config) {
    connect.createConnector(name, config);
    connect.awaitRunning(name, 1, Duration.ofSeconds(60));
    pg.awaitSlotActive(database, config.get("slot.name"));
  }

  /** The first {@code count} records of a one-partition topic, once it has them. */
  static List<ConsumerRecord<byte[], byte[]>> awaitRecords(
      ConnectCluster connect, String topic, int count) {
    Awaitility.await(topic + " has " + count + " records")
        .atMost(Duration.ofSeconds(90))
        .ignoreExceptions()
        .until(() -> connect.kafka().endOffset(new TopicPartition(topic, 0)) >= count);
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    connect.kafka().consume(count, 60_000, topic).forEach(records::add);
    return records;
  }

  /** A header's value as a string, or null when the record has none of that name. */
  static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** The errors the worker's validate endpoint reports for {@code config}, by key. */
  static Map<String, String> validationErrors(ConnectCluster connect, Map<String, String> config) {
    config.putIfAbsent("name", "validation-" + config.get("slot.name"));
    ConfigInfos infos =
        connect
            .connect()
            .validateConnectorConfig(PostgresCdcSourceConnector.class.getName(), config);
    return infos.configs().stream()
        .map(ConfigInfo::configValue)
        .filter(v -> !v.errors().isEmpty())
        .collect(Collectors.toMap(v -> v.name(), v -> String.join(" | ", v.errors())));
  }

  /** The values (JSON, tombstones left out) of partition 0 of {@code topic}. */
  static List<JsonNode> values(ConnectCluster connect, String topic) throws Exception {
    long end = connect.kafka().endOffset(new TopicPartition(topic, 0));
    List<JsonNode> values = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : connect.kafka().consume((int) end, 30_000, topic)) {
      if (r.value() != null) {
        values.add(parse(r.value()));
      }
    }
    return values;
  }

  /** A consumed record as JSON: key and value (null for a tombstone), with their schemas. */
  record Event(String topic, JsonNode key, JsonNode value) {
    JsonNode payload() {
      return value == null ? null : value.get("payload");
    }

    String op() {
      return payload().get("op").asText();
    }

    JsonNode after() {
      return payload().get("after");
    }

    JsonNode before() {
      return payload().get("before");
    }

    JsonNode keyPayload() {
      return key.get("payload");
    }
  }

  static List<Event> events(Iterable<ConsumerRecord<byte[], byte[]>> records) {
    List<Event> events = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      events.add(new Event(r.topic(), parse(r.key()), parse(r.value())));
    }
    return events;
  }

  private static JsonNode parse(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
