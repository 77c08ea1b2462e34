package io.pgsnow.source;

import static io.pgsnow.source.SourceItSupport.events;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgsnow.source.SourceItSupport.Event;
import io.pgsnow.testkit.ConnectCluster;
import io.pgsnow.testkit.LocalPostgres;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.management.ObjectName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.runtime.rest.errors.ConnectRestException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each {@code snapshot.mode} through a real Connect worker and PostgreSQL. */
class SnapshotModesIT {
  private static final String TYPED_COLUMNS =
      "first_name text, last_name varchar(40), age smallint, ssn char(11),"
          + " hourly_rate numeric(8,2), hired date, shift_start time, updated_at timestamp,"
          + " seen_at timestamptz, active boolean, skills text[], scores int[], profile jsonb,"
          + " ext_id uuid, photo bytea, level mood, big bigint, ratio real, score double precision,"
          + " raw numeric, note text, far timestamp, nan numeric, grid int[][]";
  private static final String TYPED_VALUES =
      "'Sheridan', 'Lezemere', 48, '674-68-7406', 23.50, '2020-01-15', '08:30:00',"
          + " '2024-01-31 12:34:56.123456', '2024-01-31 12:34:56.5+02', true,"
          + " '{\"a b\",c,\"tab\there\"}', '{1,2,NULL}', '{\"k\": \"back\\\\slash\"}',"
          + " 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '\\xDEADBEEF', 'high', 9007199254740993,"
          + " 1.5, 2.25, 1.5, E'line\\nbreak\\ttab \\\\ é', 'infinity', 'NaN', '{{1,2},{3,4}}'";

  private static LocalPostgres pg;
  private static ConnectCluster connect;

  @BeforeAll
  static void start() {
    pg = LocalPostgres.shared();
    connect = SourceItSupport.sharedCluster();
  }

  @AfterAll
  static void stop() {
    if (connect != null) {
      connect.close();
    }
  }

  private static String database(String name, int rows) {
    pg.createDatabase(name);
    pg.executeIn(
        name,
        "CREATE TYPE mood AS ENUM ('low', 'high')",
        "CREATE TABLE payroll (employee_id int PRIMARY KEY, " + TYPED_COLUMNS + ")",
        "CREATE TABLE plain (id int PRIMARY KEY, v text)",
        "INSERT INTO payroll VALUES (1, " + TYPED_VALUES + ")",
        "INSERT INTO payroll (employee_id) VALUES (2)",
        "INSERT INTO plain SELECT g, 'v' || g FROM generate_series(1, " + rows + ") g");
    return name;
  }

  private static Map<String, String> config(String name, String mode) {
    Map<String, String> config = SourceItSupport.connectorConfig(pg, name, name);
    config.put("snapshot.mode", mode);
    config.put("value.converter.decimal.format", "NUMERIC");
    config.put("decimal.handling.mode", "string");
    return config;
  }

  @Test
  void initialCopiesTheRowsThenStreamsWithTheSameEncodingAsStreamedRows() throws Exception {
    String db = database("snap_initial", 500);
    connect.createConnector(db, config(db, "initial"));
    connect.awaitRunning(db, 1, Duration.ofSeconds(60));

    List<Event> plain = consume(db + ".public.plain", 500);
    assertThat(plain).extracting(Event::op).containsOnly("r");
    assertThat(plain).extracting(e -> e.after().get("id").asInt()).doesNotHaveDuplicates();
    List<Event> snapshot = consume(db + ".public.payroll", 2);
    assertThat(snapshot).extracting(Event::op).containsOnly("r");

    // The same row streamed after the snapshot: identical key and value but op, source, ts_ms.
    pg.awaitSlotActive(db, db + "_slot");
    pg.executeIn(db, "INSERT INTO payroll VALUES (3, " + TYPED_VALUES + ")");
    List<Event> all = consume(db + ".public.payroll", 3);
    Event streamed = all.get(2);
    Event read =
        all.stream()
            .filter(e -> e.keyPayload().get("employee_id").asInt() == 1)
            .findFirst()
            .orElseThrow();
    assertThat(streamed.op()).isEqualTo("c");
    assertThat(read.key().get("schema")).isEqualTo(streamed.key().get("schema"));
    assertThat(read.value().get("schema")).isEqualTo(streamed.value().get("schema"));
    ObjectNode readAfter = (ObjectNode) read.after().deepCopy();
    ObjectNode streamedAfter = (ObjectNode) streamed.after().deepCopy();
    readAfter.remove("employee_id");
    streamedAfter.remove("employee_id");
    readAfter
        .fieldNames()
        .forEachRemaining(
            field ->
                assertThat(readAfter.get(field))
                    .as("column %s", field)
                    .isEqualTo(streamedAfter.get(field)));
    assertThat(readAfter).isEqualTo(streamedAfter);
    assertThat(readAfter.get("note").asText()).isEqualTo("line\nbreak\ttab \\ é");

    // Debezium's markers: first and last of the whole snapshot, true between, false streamed.
    List<String> markers =
        java.util.stream.Stream.concat(plain.stream(), all.subList(0, 2).stream())
            .map(e -> e.payload().get("source").get("snapshot").asText())
            .toList();
    assertThat(markers).containsOnly("first", "true", "last");
    assertThat(markers).containsOnlyOnce("first", "last");
    assertThat(streamed.payload().get("source").get("snapshot").asText()).isEqualTo("false");
    assertThat(read.payload().get("source").get("lsn").asLong()).isPositive();
    // The first change after the slot's consistent point may start exactly there, but it
    // commits after it: the position models order by puts every copied row first.
    assertThat(
            Long.compareUnsigned(
                read.payload().get("source").get("lsn").asLong(),
                streamed.payload().get("source").get("lsn").asLong()))
        .isNotPositive();
    assertThat(
            Long.compareUnsigned(
                read.payload().get("source").get("commit_lsn").asLong(),
                streamed.payload().get("source").get("commit_lsn").asLong()))
        .isNegative();

    ObjectName metrics =
        new ObjectName("io.pgsnow.source:type=snapshot-metrics,connector=\"" + db + "\"");
    var server = ManagementFactory.getPlatformMBeanServer();
    assertThat((Long) server.getAttribute(metrics, "RowsScanned")).isEqualTo(502L);
    assertThat((Integer) server.getAttribute(metrics, "TablesRemaining")).isZero();
    assertThat((Boolean) server.getAttribute(metrics, "SnapshotRunning")).isFalse();
    assertThat((Long) server.getAttribute(metrics, "ChunksCompleted")).isEqualTo(2L);
    assertThat((Long) server.getAttribute(metrics, "SnapshotDurationMs")).isNotNegative();
    connect.connect().deleteConnector(db);
  }

  @Test
  void initialOnlyCopiesTheRowsAndStreamsNothing() throws Exception {
    String db = database("snap_initial_only", 100);
    connect.createConnector(db, config(db, "initial_only"));
    connect.awaitRunning(db, 1, Duration.ofSeconds(60));
    assertThat(consume(db + ".public.plain", 100)).extracting(Event::op).containsOnly("r");
    pg.executeIn(db, "INSERT INTO plain VALUES (1000, 'after')");
    Awaitility.await("nothing streamed")
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10))
        .until(() -> endOffset(db + ".public.plain") == 100);
    connect.connect().deleteConnector(db);
  }

  @Test
  void noDataAndNeverStreamOnlyNewChanges() throws Exception {
    for (String mode : List.of("no_data", "never")) {
      String db = database("snap_" + mode, 50);
      connect.createConnector(db, config(db, mode));
      connect.awaitRunning(db, 1, Duration.ofSeconds(60));
      pg.awaitSlotActive(db, db + "_slot");
      pg.executeIn(db, "INSERT INTO plain VALUES (1000, 'after')");
      List<Event> events = consume(db + ".public.plain", 1);
      assertThat(events).extracting(Event::op).containsExactly("c");
      connect.connect().deleteConnector(db);
    }
  }

  @Test
  void whenNeededSnapshotsAgainOnlyWhenTheSlotIsGone() throws Exception {
    String db = database("snap_when_needed", 40);
    connect.createConnector(db, config(db, "when_needed"));
    connect.awaitRunning(db, 1, Duration.ofSeconds(60));
    consume(db + ".public.plain", 40);
    pg.awaitSlotActive(db, db + "_slot");

    // A restart with offsets and the slot in place: no second snapshot.
    connect.connect().restartTask(db, 0);
    connect.awaitRunning(db, 1, Duration.ofSeconds(60));
    pg.awaitSlotActive(db, db + "_slot");
    pg.executeIn(db, "INSERT INTO plain VALUES (1000, 'after')");
    List<Event> events = consume(db + ".public.plain", 41);
    assertThat(events.get(40).op()).isEqualTo("c");

    // The slot is dropped while the connector is away: the offsets point nowhere, so it copies.
    connect.connect().deleteConnector(db);
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !pg.slotActive(db, db + "_slot"));
    pg.executeIn(db, "SELECT pg_drop_replication_slot('" + db + "_slot')");
    connect.createConnector(db, config(db, "when_needed"));
    connect.awaitRunning(db, 1, Duration.ofSeconds(60));
    List<Event> again = consume(db + ".public.plain", 41 + 41);
    assertThat(again.subList(41, 82)).extracting(Event::op).containsOnly("r");
    connect.connect().deleteConnector(db);
  }

  @Test
  void alwaysSnapshotsOnEveryStartBetweenWatermarksWhenTheSlotExists() throws Exception {
    String db = database("snap_always", 300);
    Map<String, String> config = config(db, "always");
    connect.createConnector(db, config);
    connect.awaitRunning(db, 1, Duration.ofSeconds(60));
    consume(db + ".public.plain", 300);
    pg.awaitSlotActive(db, db + "_slot");
    connect.connect().restartTask(db, 0);
    List<Event> events = consume(db + ".public.plain", 600);
    assertThat(events.subList(300, 600)).extracting(Event::op).containsOnly("r");
    assertThat(events.subList(300, 600))
        .extracting(e -> e.payload().get("source").get("snapshot").asText())
        .containsOnly("incremental");
    assertThat(events.subList(300, 600))
        .extracting(e -> e.after().get("id").asInt())
        .doesNotHaveDuplicates();
    connect.connect().deleteConnector(db);
  }

  @Test
  void aTableTheUserMayNotReadIsRefusedBeforeTheSlotExists() throws Exception {
    String db = database("snap_no_select", 10);
    pg.executeIn(
        db,
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'snap_reader') THEN"
            + " CREATE ROLE snap_reader LOGIN REPLICATION PASSWORD 'reader-pw'; END IF; END $$",
        "GRANT SELECT ON payroll TO snap_reader",
        "CREATE PUBLICATION snap_no_select_pub FOR ALL TABLES");
    Map<String, String> config = config(db, "initial");
    config.put("database.user", "snap_reader");
    config.put("database.password", "reader-pw");
    config.put("publication.autocreate.mode", "disabled");
    // The worker validates the config when it is created (SnapshotFaultsIT checks the key).
    assertThatThrownBy(() -> connect.createConnector(db, config))
        .isInstanceOf(ConnectRestException.class)
        .hasMessageContaining("lacks SELECT on public.plain")
        .hasMessageContaining("GRANT SELECT ON public.plain TO snap_reader")
        .hasMessageContaining("snapshot.include.collection.list");
    try (var c = pg.connect(db);
        var s = c.createStatement();
        var rs =
            s.executeQuery(
                "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + db + "_slot'")) {
      rs.next();
      assertThat(rs.getInt(1)).isZero();
    }
  }

  private static long endOffset(String topic) throws Exception {
    return connect.kafka().endOffset(new TopicPartition(topic, 0));
  }

  private static List<Event> consume(String topic, int expected) throws Exception {
    Awaitility.await(topic + " has " + expected + " records")
        .atMost(Duration.ofSeconds(90))
        .ignoreExceptions()
        .until(() -> endOffset(topic) >= expected);
    List<Event> events = events(connect.kafka().consumeAll(30_000, topic));
    assertThat(events).hasSize(expected);
    return events;
  }
}
