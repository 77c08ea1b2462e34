package io.pgsnow.converter;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnow.source.PostgresCdcSourceConnector;
import io.pgsnow.testkit.ConnectCluster;
import io.pgsnow.testkit.LocalPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * pgsnow's source connector in a Connect worker with FastJsonConverter as its key and value
 * converter: snapshot reads, inserts, updates and deletes of a table of many column types reach the
 * topic as the bytes JsonConverter writes for the same records (each record is read back with
 * JsonConverter and written again by it, which must give the topic's bytes exactly).
 */
class FastJsonConverterIT {
  private static final Path SOURCE_PLUGIN = Path.of("..", "source-connector", "target", "plugin");
  private static final String DB = "fastjson";
  private static final String COLUMNS =
      "first_name text, last_name varchar(40), age smallint, ssn char(11), hourly_rate"
          + " numeric(8,2), hired date, shift_start time, updated_at timestamp, seen_at"
          + " timestamptz, active boolean, skills text[], profile jsonb, ext_id uuid, photo bytea,"
          + " big bigint, ratio real, score double precision, raw numeric, note text";
  private static final String VALUES =
      "'Sheridan', 'Lezemere', 48, '674-68-7406', 23.50, '2020-01-15', '08:30:00',"
          + " '2024-01-31 12:34:56.123456', '2024-01-31 12:34:56.5+02', true, '{\"a b\",c}',"
          + " '{\"k\": \"é \\\\ \\\"q\\\"\"}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '\\xDEADBEEF',"
          + " 9007199254740993, 1.5, -2.25e-7, -12345678901234567890.0001, E'line\\nbreak 日本 \\uD83D'";
  private static LocalPostgres pg;
  private static ConnectCluster cluster;

  @BeforeAll
  static void start() {
    pg = LocalPostgres.shared();
    // The source plugin and this module's converters have ServiceLoader manifests: no class path
    // scan (seconds per worker start).
    cluster =
        ConnectCluster.builder()
            .name("fast-json")
            .pluginPath(SOURCE_PLUGIN)
            .workerProperty("plugin.discovery", "service_load")
            .start();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void theTopicHoldsJsonConvertersBytes() throws Exception {
    pg.createDatabase(DB);
    pg.executeIn(
        DB,
        "CREATE TABLE payroll (employee_id int PRIMARY KEY, " + COLUMNS + ")",
        "INSERT INTO payroll VALUES (1, " + VALUES.replace("\\uD83D", "\\u00e9") + ")",
        "INSERT INTO payroll (employee_id) VALUES (2)",
        "INSERT INTO payroll (employee_id, first_name, hourly_rate) SELECT g, 'n' || g, g / 7.0"
            + " FROM generate_series(3, 200) g");
    cluster.createConnector(DB, config());
    cluster.awaitRunning(DB, 1, Duration.ofSeconds(60));
    pg.awaitSlotActive(DB, DB + "_slot");
    pg.executeIn(
        DB,
        "INSERT INTO payroll VALUES (201, " + VALUES.replace("\\uD83D", "x") + ")",
        "UPDATE payroll SET note = 'updated', score = 1e300 WHERE employee_id <= 2",
        "DELETE FROM payroll WHERE employee_id = 3");
    // 200 reads, an insert, two updates, a delete and its tombstone.
    String topic = DB + ".public.payroll";
    int expected = 205;
    Awaitility.await(topic + " has " + expected + " records")
        .atMost(Duration.ofSeconds(90))
        .ignoreExceptions()
        .until(() -> cluster.kafka().endOffset(new TopicPartition(topic, 0)) >= expected);

    JsonConverter keys = jsonConverter(Map.of(), true);
    JsonConverter values = jsonConverter(Map.of("decimal.format", "NUMERIC"), false);
    List<String> ops = new ArrayList<>();
    int tombstones = 0;
    for (ConsumerRecord<byte[], byte[]> record : cluster.kafka().consume(expected, 60_000, topic)) {
      assertSameBytesAsJsonConverter(keys, topic, record.key());
      if (record.value() == null) {
        tombstones++;
        continue;
      }
      SchemaAndValue value = assertSameBytesAsJsonConverter(values, topic, record.value());
      ops.add(((Struct) value.value()).getString("op"));
    }
    assertThat(ops).filteredOn("r"::equals).hasSize(200);
    assertThat(ops).containsSubsequence("c", "u", "u", "d");
    assertThat(tombstones).isEqualTo(1);
    assertThat(cluster.failedTaskTrace(DB)).isEmpty();
    cluster.connect().deleteConnector(DB);
  }

  @Test
  void theWorkerConfiguresFastJsonConverterAndItRejectsAKeyJsonConverterWouldIgnore() {
    pg.createDatabase(DB + "_typo");
    Map<String, String> config = config();
    config.put("database.dbname", DB + "_typo");
    config.put("slot.name", DB + "_typo_slot");
    config.put("value.converter.schemas.enabled", "false");
    String name = DB + "_typo";
    cluster.createConnector(name, config);
    Awaitility.await(name + "'s task fails")
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> cluster.failedTaskTrace(name).contains("schemas.enabled"));
    assertThat(cluster.failedTaskTrace(name)).contains("FastJsonConverter does not know this key");
    cluster.connect().deleteConnector(name);
  }

  /** Reads the bytes with JsonConverter, which must write them again exactly. */
  private static SchemaAndValue assertSameBytesAsJsonConverter(
      JsonConverter json, String topic, byte[] bytes) {
    SchemaAndValue read = json.toConnectData(topic, bytes);
    byte[] again = json.fromConnectData(topic, read.schema(), read.value());
    assertThat(new String(bytes, StandardCharsets.UTF_8))
        .isEqualTo(new String(again, StandardCharsets.UTF_8));
    assertThat(bytes).isEqualTo(again);
    return read;
  }

  private static JsonConverter jsonConverter(Map<String, String> config, boolean isKey) {
    JsonConverter json = new JsonConverter();
    json.configure(config, isKey);
    return json;
  }

  private static Map<String, String> config() {
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", PostgresCdcSourceConnector.class.getName());
    config.put("tasks.max", "1");
    config.putAll(pg.sourceSettings(DB, DB));
    config.put("key.converter", FastJsonConverter.class.getName());
    config.put("value.converter", FastJsonConverter.class.getName());
    config.put("value.converter.decimal.format", "NUMERIC");
    return config;
  }
}
