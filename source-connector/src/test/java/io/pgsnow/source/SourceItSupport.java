package io.pgsnow.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgsnow.testkit.ConnectCluster;
import io.pgsnow.testkit.LocalPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;

/** Shared set-up of the source connector's integration tests. */
final class SourceItSupport {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path PLUGINS = Path.of("target", "plugin");

  private SourceItSupport() {}

  static ConnectCluster.Builder cluster() {
    return ConnectCluster.builder().pluginPath(PLUGINS);
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
    config.put("database.hostname", pg.host());
    config.put("database.port", Integer.toString(pg.port()));
    config.put("database.user", LocalPostgres.SUPERUSER);
    config.put("database.password", LocalPostgres.PASSWORD);
    config.put("database.dbname", database);
    config.put("database.sslmode", "disable");
    config.put("topic.prefix", name);
    config.put("slot.name", name + "_slot");
    config.put("publication.name", name + "_pub");
    config.put("status.update.interval.ms", "200");
    config.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
    config.put("key.converter.schemas.enable", "true");
    config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    config.put("value.converter.schemas.enable", "true");
    return config;
  }

  /**
   * The errors the worker's validate endpoint gives for a source config, by key (several joined by
   * " | "), for the keys that have any; names the connector after its slot when unnamed.
   */
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
