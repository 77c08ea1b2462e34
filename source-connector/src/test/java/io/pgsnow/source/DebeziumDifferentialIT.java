package io.pgsnow.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgsnow.testkit.ConnectCluster;
import io.pgsnow.testkit.LocalPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Debezium's PostgreSQL connector (3.3, resolved from Maven Central when the integration tests run)
 * and pgsnow capture the same tables in one Connect cluster; their keys, values and schemas are
 * compared field by field. The only differences allowed are those listed, with their reasons, in
 * {@code debezium-differences.txt}; an entry no longer found fails the test too. Every connector
 * provides transaction metadata, so the events' {@code transaction} blocks and the records of the
 * transaction topics are compared too.
 */
class DebeziumDifferentialIT {
  private static final String DB = "debezium_diff_it";
  private static final Path DEBEZIUM_PLUGIN = Path.of("target", "debezium-plugin");
  private static final String TABLES = "public\\.types,public\\.toasty";

  /** The transactions of {@link #writeChanges()}: one per statement, each a BEGIN and an END. */
  private static final int TRANSACTIONS = 11;

  private static LocalPostgres pg;
  private static ConnectCluster connect;

  @BeforeAll
  static void start() {
    pg = LocalPostgres.shared();
    pg.createDatabase(DB);
    pg.executeIn(
        DB,
        "CREATE EXTENSION IF NOT EXISTS hstore",
        "CREATE TYPE mood AS ENUM ('low', 'high')",
        "CREATE DOMAIN positive_int AS int CHECK (VALUE > 0)",
        "CREATE TABLE types (id int PRIMARY KEY, label text, c_bool boolean, c_bytea bytea,"
            + " c_int2 smallint, c_int4 int, c_int8 bigint, c_oid oid, c_float4 real,"
            + " c_float8 double precision, c_numeric numeric(10,2), c_numeric_free numeric,"
            + " c_money money, c_date date, c_time time, c_time3 time(3), c_timestamp timestamp,"
            + " c_timestamp3 timestamp(3), c_timestamptz timestamptz, c_timetz timetz,"
            + " c_interval interval, c_uuid uuid, c_json json, c_jsonb jsonb, c_xml xml,"
            + " c_enum mood, c_domain positive_int, c_text text, c_varchar varchar(20),"
            + " c_char char(5), c_text_array text[], c_int_array int[],"
            + " c_numeric_array numeric(6,2)[], c_hstore hstore, c_inet inet)",
        "CREATE TABLE toasty (id int PRIMARY KEY, big text, n int)");
    // Both plugins have ServiceLoader manifests: no scan of the class path and Debezium's jars.
    connect = SourceItSupport.cluster().pluginPath(DEBEZIUM_PLUGIN).start();
  }

  @AfterAll
  static void stop() {
    if (connect != null) {
      connect.close();
    }
  }

  @Test
  void pgsnowEventsEqualDebeziumsButForTheListedDifferences() throws Exception {
    Map<String, String> pgsnow = SourceItSupport.connectorConfig(pg, DB, "pgs");
    pgsnow.put("table.include.list", TABLES);
    pgsnow.put("publication.autocreate.mode", "filtered");
    pgsnow.put("skipped.operations", "none");
    pgsnow.put("provide.transaction.metadata", "true");
    connect.createConnector("pgs", pgsnow);
    Map<String, String> placeholder = SourceItSupport.connectorConfig(pg, DB, "pgt");
    // The same tables as Debezium, so that both see the same commits (source.sequence).
    placeholder.put("table.include.list", TABLES);
    placeholder.put("publication.autocreate.mode", "filtered");
    placeholder.put("skipped.operations", "none");
    placeholder.put("toast.handling.mode", "placeholder");
    placeholder.put("provide.transaction.metadata", "true");
    connect.createConnector("pgt", placeholder);
    connect.createConnector("ref", debeziumConfig());
    connect.awaitRunning("pgs", 1, Duration.ofSeconds(60));
    connect.awaitRunning("ref", 1, Duration.ofSeconds(120));
    pg.awaitSlotActive(DB, "pgs_slot");
    pg.awaitSlotActive(DB, "pgt_slot");
    pg.awaitSlotActive(DB, "ref_slot");

    writeChanges();

    TreeMap<String, String> found = new TreeMap<>();
    compareTopic("pgs", "types", 11, found);
    compareTopic("pgs", "toasty", 3, found);
    compareTransactions(found);
    JsonNode firstEnd = json(records("pgs.transaction", 2 * TRANSACTIONS).get(1).value());
    assertThat(firstEnd.get("payload").get("status").asText()).isEqualTo("END");
    assertThat(firstEnd.get("payload").get("event_count").asLong()).isEqualTo(1L);
    JsonNode firstBlock = json(records("pgs.public.types", 11).get(0).value());
    assertThat(firstBlock.get("payload").get("transaction").get("total_order").asLong())
        .isEqualTo(1L);
    assertThat(found.keySet())
        .as(
            "differences from Debezium (list the allowed ones in %s): %s",
            DebeziumDifferences.FILE, found)
        .containsExactlyInAnyOrderElementsOf(DebeziumDifferences.listed().keySet());

    List<ConsumerRecord<byte[], byte[]>> ours = records("pgs.public.types", 11);
    ConsumerRecord<byte[], byte[]> extremes = ours.get(2);
    assertThat(SourceItSupport.header(extremes, "pgsnow.special.c_numeric_free")).isEqualTo("NaN");
    ConsumerRecord<byte[], byte[]> toastUpdate = records("pgs.public.toasty", 3).get(1);
    assertThat(SourceItSupport.header(toastUpdate, "pgsnow.unchanged.toast.columns"))
        .isEqualTo("big");

    // With toast.handling.mode=placeholder the TOAST table's events are Debezium's, header added.
    TreeMap<String, String> placeholderDifferences = new TreeMap<>();
    compareTopic("pgt", "toasty", 3, placeholderDifferences);
    assertThat(placeholderDifferences.keySet())
        .as("%s", placeholderDifferences)
        .containsExactly(
            "envelope.source.commit_lsn", "envelope.source.event_index", "transaction.id");
    assertThat(
            SourceItSupport.header(
                records("pgt.public.toasty", 3).get(1), "pgsnow.unchanged.toast.columns"))
        .isEqualTo("big");

    // A row read by a query, as a snapshot reads it, encodes exactly as its streamed image.
    Map<Integer, JsonNode> streamedAfter = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : ours) {
      JsonNode value = json(r.value());
      if (value != null && !value.get("payload").get("after").isNull()) {
        streamedAfter.put(
            value.get("payload").get("after").get("id").asInt(), value.get("payload").get("after"));
      }
    }
    RowsReadByQuery query = new RowsReadByQuery(pg, pgsnow, "types");
    for (int id : List.of(1, 4, 5, 20)) {
      assertThat(query.row(id)).as("row %d read by a query", id).isEqualTo(streamedAfter.get(id));
    }
  }

  private static void writeChanges() {
    // Random hex that compression cannot bring under the TOAST threshold.
    String big = "(SELECT string_agg(md5(random()::text), '') FROM generate_series(1, 400))";
    pg.executeIn(
        DB,
        "INSERT INTO types VALUES (1, 'typical', true, '\\xDEADBEEF', 7, 42, 9007199254740993,"
            + " 12345, 1.5, 2.25, 23.50, 1.5, 1234.56, '2020-01-15', '08:30:00.123456',"
            + " '08:30:00.123', '2024-01-31 12:34:56.123456', '2024-01-31 12:34:56.123',"
            + " '2024-01-31 12:34:56.5+02', '08:30:00+02', '1 year 2 months 3 days 04:05:06.789',"
            + " 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{\"k\": 1}', '{\"k\": 1}', '<a>1</a>',"
            + " 'high', 5, 'text', 'varchar', 'ab', '{\"a b\",c}', '{1,2,NULL}', '{1.50,NULL}',"
            + " 'a=>1, b=>NULL', '10.0.0.1/32')",
        "INSERT INTO types (id, label) VALUES (2, 'nulls')",
        "INSERT INTO types VALUES (3, 'extremes', false, '\\x', -32768, -2147483648,"
            + " -9223372036854775808, 4294967295, 'Infinity', '-Infinity', -99999999.99, 'NaN',"
            + " -92233720368547758.08, 'infinity', '24:00:00', '00:00:00', 'infinity',"
            + " '-infinity', 'infinity', '23:59:59.999999-15:59', '-178000000 years',"
            + " '00000000-0000-0000-0000-000000000000', '[]', 'null', '', 'low', 1, '', '', '',"
            + " '{}', '{{1,2},{3,4}}', '{}', '', '::1')",
        "INSERT INTO types (id, label, c_date, c_timestamp, c_timestamp3, c_timestamptz,"
            + " c_numeric_free, c_float4, c_interval, c_time) VALUES (4, 'far', '5874897-12-31',"
            + " '294276-12-31 23:59:59.999999', '4713-01-01 00:00:00 BC',"
            + " '10000-01-01 00:00:00+00', '-Infinity', 'NaN', '-1 days +02:03:00.5',"
            + " '00:00:00.000001')",
        "INSERT INTO types (id, label, c_text, c_varchar, c_char, c_text_array, c_json,"
            + " c_numeric_free) VALUES (5, 'unicode', 'Zürich 東京 🎉 \"q\" \\ back', 'ñ',"
            + " 'é', '{\"Zürich\",\"🎉\",NULL}', '{\"ü\": \"東京\"}',"
            + " 123456789012345678901234567890.123456789)",
        "UPDATE types SET c_int4 = 43 WHERE id = 1",
        "UPDATE types SET id = 20 WHERE id = 2",
        "DELETE FROM types WHERE id = 3",
        "INSERT INTO toasty VALUES (1, " + big + ", 0)",
        "UPDATE toasty SET n = 1 WHERE id = 1",
        "TRUNCATE toasty");
  }

  private static Map<String, String> debeziumConfig() {
    Map<String, String> config = new HashMap<>(SourceItSupport.connectorConfig(pg, DB, "ref"));
    config.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
    config.put("plugin.name", "pgoutput");
    config.put("snapshot.mode", "no_data");
    config.put("table.include.list", TABLES);
    config.put("publication.autocreate.mode", "filtered");
    config.put("skipped.operations", "none");
    config.put("provide.transaction.metadata", "true");
    config.remove("status.update.interval.ms");
    return config;
  }

  private static void compareTopic(
      String prefix, String table, int count, TreeMap<String, String> found) throws Exception {
    List<ConsumerRecord<byte[], byte[]>> ours = records(prefix + ".public." + table, count);
    List<ConsumerRecord<byte[], byte[]>> theirs = records("ref.public." + table, count);
    for (int i = 0; i < count; i++) {
      JsonNode ourKey = json(ours.get(i).key());
      JsonNode theirKey = json(theirs.get(i).key());
      JsonNode ourValue = json(ours.get(i).value());
      JsonNode theirValue = json(theirs.get(i).value());
      String op = theirValue == null ? "tombstone" : theirValue.get("payload").get("op").asText();
      String id = theirKey == null ? "" : " " + theirKey.get("payload").get("id").asText();
      String row = "[" + op + id + "]";
      DebeziumDifferences.compare(table + ".key" + row, ourKey, theirKey, found);
      if (ourValue == null || theirValue == null) {
        DebeziumDifferences.compare(table + ".value" + row, ourValue, theirValue, found);
        continue;
      }
      // The envelope's schema is the same for every table: its differences are named once.
      DebeziumDifferences.compare(
          "envelope", ourValue.get("schema"), theirValue.get("schema"), found);
      ObjectNode ourPayload = processingTimesRemoved(ourValue.get("payload"));
      ObjectNode theirPayload = processingTimesRemoved(theirValue.get("payload"));
      if (theirPayload.get("transaction").isObject() && ourPayload.get("transaction").isObject()) {
        compareTransactionIds(
            (ObjectNode) ourPayload.get("transaction"),
            (ObjectNode) theirPayload.get("transaction"),
            found);
      }
      DebeziumDifferences.compare(table + ".payload" + row, ourPayload, theirPayload, found);
    }
  }

  /**
   * The transaction topics' records, BEGIN and END of each transaction in order: keys, values and
   * schemas. Data collections are named alike by both, so nothing is rewritten but the prefix.
   */
  private static void compareTransactions(TreeMap<String, String> found) throws Exception {
    List<ConsumerRecord<byte[], byte[]>> ours = records("pgs.transaction", 2 * TRANSACTIONS);
    List<ConsumerRecord<byte[], byte[]>> theirs = records("ref.transaction", 2 * TRANSACTIONS);
    for (int i = 0; i < ours.size(); i++) {
      JsonNode theirValue = json(theirs.get(i).value());
      String where =
          "[" + theirValue.get("payload").get("status").asText() + " " + (i / 2 + 1) + "]";
      JsonNode ourKey = json(ours.get(i).key());
      JsonNode theirKey = json(theirs.get(i).key());
      JsonNode ourValue = json(ours.get(i).value());
      compareTransactionIds(
          (ObjectNode) ourKey.get("payload"), (ObjectNode) theirKey.get("payload"), found);
      compareTransactionIds(
          (ObjectNode) ourValue.get("payload"), (ObjectNode) theirValue.get("payload"), found);
      DebeziumDifferences.compare("transaction.key" + where, ourKey, theirKey, found);
      DebeziumDifferences.compare("transaction.value" + where, ourValue, theirValue, found);
    }
  }

  /**
   * Transaction ids are {@code <txId>:<LSN>} in both; the transaction ids must be equal, a
   * different LSN is the one listed difference {@code transaction.id}. Leaves the ids equal.
   */
  private static void compareTransactionIds(
      ObjectNode ours, ObjectNode theirs, TreeMap<String, String> found) {
    String[] our = ours.get("id").asText().split(":");
    String[] their = theirs.get("id").asText().split(":");
    assertThat(our).as("pgsnow's transaction id %s", ours).hasSize(2);
    assertThat(our[0]).as("transaction id of %s", theirs).isEqualTo(their[0]);
    if (their.length != 2 || !our[1].equals(their[1])) {
      found.put("transaction.id", "pgsnow " + ours.get("id") + ", Debezium " + theirs.get("id"));
    }
    ours.put("id", theirs.get("id").asText());
  }

  /** The envelope's ts_ms/ts_us/ts_ns are when each connector handled the event: not compared. */
  private static ObjectNode processingTimesRemoved(JsonNode payload) {
    ObjectNode copy = payload.deepCopy();
    copy.remove(List.of("ts_ms", "ts_us", "ts_ns"));
    // Versions differ; pgsnow's own source fields are listed once, as schema differences.
    ((ObjectNode) copy.get("source")).remove(List.of("version", "commit_lsn", "event_index"));
    return copy;
  }

  /** A record's JSON with Debezium's topic prefix written as pgsnow's. */
  private static JsonNode json(byte[] bytes) throws IOException {
    if (bytes == null) {
      return null;
    }
    String text =
        new String(bytes, StandardCharsets.UTF_8)
            .replace("\"ref.", "\"pgs.")
            .replace("\"ref\"", "\"pgs\"")
            .replace("\"pgt.", "\"pgs.")
            .replace("\"pgt\"", "\"pgs\"");
    return SourceItSupport.JSON.readTree(text);
  }

  private static List<ConsumerRecord<byte[], byte[]>> records(String topic, int expected)
      throws Exception {
    Awaitility.await(topic + " has " + expected + " records")
        .atMost(Duration.ofSeconds(90))
        .ignoreExceptions()
        .until(() -> connect.kafka().endOffset(new TopicPartition(topic, 0)) >= expected);
    List<ConsumerRecord<byte[], byte[]>> list = new ArrayList<>();
    connect.kafka().consumeAll(30_000, topic).forEach(list::add);
    assertThat(list).as(topic).hasSize(expected);
    return list;
  }
}
