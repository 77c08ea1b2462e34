package io.pgsnow.source;

import static io.pgsnow.source.SourceItSupport.events;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgsnow.source.SourceItSupport.Event;
import io.pgsnow.testkit.ConnectCluster;
import io.pgsnow.testkit.LocalPostgres;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Changes made in PostgreSQL arrive in Kafka through a real Connect worker, as Debezium events. */
class StreamingIT {
  private static final String DB = "streaming_it";
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static LocalPostgres pg;
  private static ConnectCluster connect;

  @BeforeAll
  static void start() {
    pg = LocalPostgres.shared();
    pg.createDatabase(DB);
    pg.executeIn(
        DB,
        "CREATE TYPE mood AS ENUM ('low', 'high')",
        "CREATE TABLE payroll (employee_id int PRIMARY KEY, first_name text, last_name varchar(40),"
            + " age smallint, ssn char(11), hourly_rate numeric(8,2), hired date, shift_start time,"
            + " updated_at timestamp, seen_at timestamptz, active boolean, skills text[],"
            + " scores int[], profile jsonb, ext_id uuid, photo bytea, level mood, big bigint,"
            + " ratio real, score double precision, raw numeric)",
        "CREATE TABLE payroll_bonus (bonus_id int PRIMARY KEY, employee_id int, bonus int,"
            + " ts bigint)",
        "CREATE TABLE kept (id int PRIMARY KEY)",
        "CREATE TABLE dropped (id int PRIMARY KEY)");
    connect = SourceItSupport.sharedCluster();
  }

  @AfterAll
  static void stop() {
    if (connect != null) {
      connect.close();
    }
  }

  @Test
  void insertsUpdatesDeletesAndTruncatesArriveInCommitOrderWithKeysAndTypes() throws Exception {
    Map<String, String> config = SourceItSupport.connectorConfig(pg, DB, "stream");
    config.put("skipped.operations", "none");
    config.put("value.converter.decimal.format", "NUMERIC");
    connect.createConnector("stream", config);
    connect.awaitRunning("stream", 1, Duration.ofSeconds(60));
    pg.awaitSlotActive(DB, "stream_slot");

    pg.executeIn(
        DB,
        "INSERT INTO payroll VALUES (1081, 'Sheridan', 'Lezemere', 48, '674-68-7406', 23.50,"
            + " '2020-01-15', '08:30:00', '2024-01-31 12:34:56.123456',"
            + " '2024-01-31 12:34:56.5+02', true, '{\"a b\",c}', '{1,2,NULL}', '{\"k\": 1}',"
            + " 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '\\xDEADBEEF', 'high', 9007199254740993,"
            + " 1.5, 2.25, 1.5)",
        "INSERT INTO payroll (employee_id, first_name) VALUES (1082, 'Ada')",
        "UPDATE payroll SET age = 49 WHERE employee_id = 1081",
        "UPDATE payroll SET employee_id = 2082 WHERE employee_id = 1082",
        "DELETE FROM payroll WHERE employee_id = 1081",
        "INSERT INTO payroll_bonus VALUES (1, 1081, 25, 1640317836271), (2, 2082, 10, 1640317836272)",
        "TRUNCATE payroll_bonus");

    List<Event> payroll = consume("stream.public.payroll", 8);
    assertThat(payroll)
        .extracting(
            e -> e.value() == null ? "tombstone" : e.op(),
            e -> e.keyPayload().get("employee_id").asInt())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("c", 1081),
            org.assertj.core.groups.Tuple.tuple("c", 1082),
            org.assertj.core.groups.Tuple.tuple("u", 1081),
            org.assertj.core.groups.Tuple.tuple("d", 1082),
            org.assertj.core.groups.Tuple.tuple("tombstone", 1082),
            org.assertj.core.groups.Tuple.tuple("c", 2082),
            org.assertj.core.groups.Tuple.tuple("d", 1081),
            org.assertj.core.groups.Tuple.tuple("tombstone", 1081));

    JsonNode created = payroll.get(0).after();
    assertThat(created.get("first_name").asText()).isEqualTo("Sheridan");
    assertThat(created.get("last_name").asText()).isEqualTo("Lezemere");
    assertThat(created.get("age").asInt()).isEqualTo(48);
    assertThat(created.get("ssn").asText()).isEqualTo("674-68-7406");
    assertThat(created.get("hourly_rate").decimalValue()).isEqualByComparingTo("23.50");
    assertThat(created.get("hired").asLong()).isEqualTo(LocalDate.of(2020, 1, 15).toEpochDay());
    assertThat(created.get("shift_start").asLong()).isEqualTo((8 * 3600 + 30 * 60) * 1_000_000L);
    LocalDateTime updated = LocalDateTime.of(2024, 1, 31, 12, 34, 56, 123_456_000);
    long updatedMicros = updated.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + 123_456;
    assertThat(created.get("updated_at").asLong()).isEqualTo(updatedMicros);
    assertThat(created.get("seen_at").asText()).isEqualTo("2024-01-31T10:34:56.500000Z");
    assertThat(created.get("active").asBoolean()).isTrue();
    assertThat(created.get("skills").toString()).isEqualTo("[\"a b\",\"c\"]");
    assertThat(created.get("scores").toString()).isEqualTo("[1,2,null]");
    assertThat(SourceItSupport.JSON.readTree(created.get("profile").asText()).get("k").asInt())
        .isEqualTo(1);
    assertThat(created.get("ext_id").asText()).isEqualTo("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    assertThat(created.get("photo").asText()).isEqualTo("3q2+7w==");
    assertThat(created.get("level").asText()).isEqualTo("high");
    assertThat(created.get("big").asLong()).isEqualTo(9007199254740993L);
    assertThat(created.get("ratio").floatValue()).isEqualTo(1.5f);
    assertThat(created.get("score").doubleValue()).isEqualTo(2.25);
    assertThat(created.get("raw").get("scale").asInt()).isEqualTo(1);

    JsonNode schema = payroll.get(0).value().get("schema");
    assertThat(schema.get("name").asText()).isEqualTo("stream.public.payroll.Envelope");
    assertThat(fieldSchema(schema, "after", "hourly_rate").get("name").asText())
        .isEqualTo("org.apache.kafka.connect.data.Decimal");
    assertThat(fieldSchema(schema, "after", "hired").get("name").asText())
        .isEqualTo("io.debezium.time.Date");
    assertThat(fieldSchema(schema, "after", "level").get("name").asText())
        .isEqualTo("io.debezium.data.Enum");

    JsonNode source = payroll.get(0).payload().get("source");
    assertThat(source.get("connector").asText()).isEqualTo("postgresql");
    assertThat(source.get("name").asText()).isEqualTo("stream");
    assertThat(source.get("db").asText()).isEqualTo(DB);
    assertThat(source.get("schema").asText()).isEqualTo("public");
    assertThat(source.get("table").asText()).isEqualTo("payroll");
    assertThat(source.get("txId").asLong()).isPositive();
    assertThat(source.get("lsn").asLong()).isPositive();
    assertThat(payroll.get(0).payload().get("ts_ms").asLong()).isPositive();

    Event update = payroll.get(2);
    assertThat(update.after().get("age").asInt()).isEqualTo(49);
    assertThat(update.after().get("first_name").asText()).isEqualTo("Sheridan");

    Event pkDelete = payroll.get(3);
    assertThat(pkDelete.before().get("employee_id").asInt()).isEqualTo(1082);
    assertThat(pkDelete.after().isNull()).isTrue();
    Event pkCreate = payroll.get(5);
    assertThat(pkCreate.after().get("employee_id").asInt()).isEqualTo(2082);
    assertThat(pkCreate.after().get("first_name").asText()).isEqualTo("Ada");

    Event delete = payroll.get(6);
    assertThat(delete.before().get("employee_id").asInt()).isEqualTo(1081);

    // The task's JMX metrics count what it queued and show the slot's confirmed position.
    javax.management.ObjectName metrics =
        new javax.management.ObjectName("io.pgsnow.source:type=task-metrics,connector=\"stream\"");
    var server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
    assertThat((Long) server.getAttribute(metrics, "RecordsQueued")).isGreaterThanOrEqualTo(11L);
    assertThat((String) server.getAttribute(metrics, "ReadLsn")).matches("[0-9A-F]+/[0-9A-F]+");

    List<Event> bonus = consume("stream.public.payroll_bonus", 3);
    assertThat(bonus).extracting(Event::op).containsExactly("c", "c", "t");
    assertThat(bonus.get(0).after().get("bonus").asInt()).isEqualTo(25);
    assertThat(bonus.get(1).after().get("ts").asLong()).isEqualTo(1640317836272L);
    assertThat(bonus.get(0).payload().get("source").get("txId").asLong())
        .isEqualTo(bonus.get(1).payload().get("source").get("txId").asLong());
  }

  @Test
  void aSchemaChangeYieldsANewSchemaWithoutRestart() throws Exception {
    pg.executeIn(DB, "CREATE TABLE evolving (id int PRIMARY KEY, name text)");
    Map<String, String> config = SourceItSupport.connectorConfig(pg, DB, "evolve");
    config.put("table.include.list", "public\\.evolving");
    config.put("publication.autocreate.mode", "filtered");
    connect.createConnector("evolve", config);
    connect.awaitRunning("evolve", 1, Duration.ofSeconds(60));
    pg.awaitSlotActive(DB, "evolve_slot");

    pg.executeIn(
        DB,
        "INSERT INTO evolving VALUES (1, 'one')",
        "ALTER TABLE evolving ADD COLUMN score int",
        "INSERT INTO evolving VALUES (2, 'two', 42)",
        "INSERT INTO payroll_bonus VALUES (99, 1, 1, 1)");

    List<Event> events = consume("evolve.public.evolving", 2);
    assertThat(events.get(0).after().has("score")).isFalse();
    assertThat(events.get(1).after().get("score").asInt()).isEqualTo(42);
    assertThat(
            connect
                .kafka()
                .describeTopics("evolve.public.payroll_bonus")
                .get("evolve.public.payroll_bonus"))
        .isEmpty();
  }

  private static JsonNode fieldSchema(JsonNode envelopeSchema, String struct, String field) {
    for (JsonNode f : envelopeSchema.get("fields")) {
      if (f.get("field").asText().equals(struct)) {
        for (JsonNode inner : f.get("fields")) {
          if (inner.get("field").asText().equals(field)) {
            return inner;
          }
        }
      }
    }
    throw new AssertionError("No field " + struct + "." + field);
  }

  private static Map<String, String> retryConfig(String name, String table, int attempts) {
    Map<String, String> config = SourceItSupport.connectorConfig(pg, DB, name);
    config.put("table.include.list", "public." + table);
    config.put("replication.retry.backoff.ms", "200");
    config.put("replication.retry.backoff.max.ms", "1000");
    config.put("replication.retry.max.attempts", Integer.toString(attempts));
    return config;
  }

  /** Ends the session streaming from the slot, as a server restart or a network fault would. */
  private static void dropStream(String slot) {
    pg.executeIn(
        DB,
        "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots"
            + " WHERE slot_name = '"
            + slot
            + "' AND active_pid IS NOT NULL");
  }

  private static long records(String topic) throws Exception {
    return connect.kafka().endOffset(new TopicPartition(topic, 0));
  }

  /** The replication stream reconnects under replication.retry.*: nothing lost or repeated. */
  @Test
  void aDroppedStreamIsReopenedAndNothingIsLostOrRepeated() throws Exception {
    connect.createConnector("keep", retryConfig("keep", "kept", 5));
    connect.awaitRunning("keep", 1, TIMEOUT);
    pg.awaitSlotActive(DB, "keep_slot");
    pg.executeIn(DB, "INSERT INTO kept VALUES (1)");
    await("the first row")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(() -> records("keep.public.kept") >= 1);

    for (int drop = 0; drop < 3; drop++) {
      dropStream("keep_slot");
      pg.awaitSlotActive(DB, "keep_slot");
      pg.executeIn(DB, "INSERT INTO kept VALUES (" + (drop + 2) + ")");
    }

    await("rows written after each drop")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(() -> records("keep.public.kept") >= 4);
    assertThat(
            events(connect.kafka().consumeAll(30_000, "keep.public.kept")).stream()
                .map(e -> e.after().get("id").asInt()))
        .containsExactly(1, 2, 3, 4);
    assertThat(connect.failedTaskTrace("keep")).isEmpty();
  }

  /** Past the attempts replication.retry.max.attempts allows, the task fails. */
  @Test
  void withOneAttemptAllowedTheFirstDropFailsTheTask() {
    connect.createConnector("drop", retryConfig("drop", "dropped", 1));
    connect.awaitRunning("drop", 1, TIMEOUT);
    pg.awaitSlotActive(DB, "drop_slot");

    dropStream("drop_slot");

    await("the task fails").atMost(TIMEOUT).until(() -> !connect.failedTaskTrace("drop").isEmpty());
    assertThat(connect.failedTaskTrace("drop")).contains("Replication from");
  }

  static List<Event> consume(String topic, int expected) throws Exception {
    Awaitility.await(topic + " has " + expected + " records")
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> connect.kafka().endOffset(new TopicPartition(topic, 0)) >= expected);
    List<Event> events = events(connect.kafka().consumeAll(30_000, topic));
    assertThat(events).hasSize(expected);
    return events;
  }
}
