package io.pgsnow.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgsnow.emulator.SnowflakeEmulator;
import io.pgsnow.testkit.ConnectCluster;
import io.pgsnow.testkit.LocalPostgres;
import java.math.BigInteger;
import java.security.KeyPair;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PGInterval;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL → pgsnow source → Kafka (3 partitions per topic) → pgsnow sink → emulator, with the
 * sink's models on: after a generated workload of more than 10,000 statements on two tables
 * (inserts, updates leaving TOASTed values unchanged, deletes, primary-key changes, a truncate,
 * NULLs, every type the source maps), during which the sink's tasks are restarted, each {@code
 * <TABLE>_CURRENT} equals the PostgreSQL table row for row and value for value, read through both
 * JDBC drivers. A second sink unwraps the rows with UnwrapChangeEvent (the seed's layout): its
 * current state equals the table too, and the seed's own view query runs on what it landed.
 */
class CurrentStateModelsIT {
  private static final Logger LOG = LoggerFactory.getLogger(CurrentStateModelsIT.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PREFIX = "mdl";
  private static final String PAYROLL_TOPIC = PREFIX + ".public.payroll";
  private static final String LINES_TOPIC = PREFIX + ".public.Order_Lines";
  private static final String DB = "models";
  private static final String USER = "PGSNOW";
  private static final KeyPair KEYS = TestWarehouse.newKeyPair();

  private static LocalPostgres pg;
  private static ConnectCluster connect;
  private static SnowflakeEmulator emulator;

  @BeforeAll
  static void start() throws Exception {
    pg = LocalPostgres.shared();
    pg.createDatabase(DB);
    for (String sql : ModelWorkload.SCHEMA_SQL.split(";")) {
      pg.executeIn(DB, sql.trim());
    }
    connect = PluginArchives.sharedCluster();
    connect.kafka().createTopic(PAYROLL_TOPIC, 3);
    connect.kafka().createTopic(LINES_TOPIC, 3);
    // Snowflake refreshes at most once a minute; every 3 s keeps the test short and the CPU free.
    emulator =
        SnowflakeEmulator.builder()
            .userKey(USER, KEYS.getPublic())
            .dynamicTableRefresh(Duration.ofSeconds(3))
            .start();
    try (Connection c = snowflake();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE IF NOT EXISTS KAFKA_DB");
      s.execute("CREATE SCHEMA IF NOT EXISTS KAFKA_DB.PUBLIC");
    }
  }

  @AfterAll
  static void stop() {
    if (connect != null) {
      connect.close();
    }
    if (emulator != null) {
      emulator.close();
    }
  }

  static Connection snowflake() throws SQLException {
    Properties p = new Properties();
    p.put("account", "EMULATOR");
    p.put("user", USER);
    p.put("authenticator", "SNOWFLAKE_JWT");
    p.put("privateKey", KEYS.getPrivate());
    p.put("db", "KAFKA_DB");
    p.put("schema", "PUBLIC");
    return DriverManager.getConnection(emulator.jdbcUrl(), p);
  }

  private static Map<String, String> source() {
    Map<String, String> config = PluginArchives.sourceConfig(pg, DB, PREFIX);
    config.remove("transforms");
    config.put("value.converter.schemas.enable", "true");
    // Truncates are skipped by default, as Debezium does; the current state honours them.
    config.put("skipped.operations", "none");
    return config;
  }

  private static Map<String, String> sink(String topics, String tables) {
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", "io.pgsnow.sink.SnowflakeSinkConnector");
    config.put("tasks.max", "1");
    config.put("topics", topics);
    config.put("snowflake.topic2table.map", tables);
    config.put("snowflake.url.name", emulator.accountUrl());
    config.put("snowflake.user.name", USER);
    config.put(
        "snowflake.private.key",
        Base64.getEncoder().encodeToString(KEYS.getPrivate().getEncoded()));
    config.put("snowflake.database.name", "KAFKA_DB");
    config.put("snowflake.schema.name", "PUBLIC");
    config.put("snowflake.warehouse.name", "COMPUTE_WH");
    config.put("snowflake.pipe.per.table", "true");
    config.put("buffer.flush.time", "2");
    config.put("snowflake.load.check.interval.ms", "500");
    config.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
    config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    return config;
  }

  @Test
  void everyCurrentStateModelEqualsItsPostgresTable() throws Exception {
    connect.createConnector("mdl-source", source());
    Map<String, String> envelope =
        sink(
            PAYROLL_TOPIC + "," + LINES_TOPIC,
            PAYROLL_TOPIC + ":PAYROLL," + LINES_TOPIC + ":\"Order Lines\"");
    envelope.put("snowflake.model.views", "true");
    envelope.put("snowflake.model.current_state", "dynamic_table");
    connect.createConnector("mdl-sink", envelope);
    Map<String, String> unwrapped = sink(PAYROLL_TOPIC, PAYROLL_TOPIC + ":TOPIC_PAYROLL");
    unwrapped.put("transforms", "unwrap");
    unwrapped.put("transforms.unwrap.type", "io.pgsnow.smt.UnwrapChangeEvent$Value");
    unwrapped.put("transforms.unwrap.add.fields", "op,commit_lsn,event_index");
    unwrapped.put("transforms.unwrap.delete.tombstone.handling.mode", "rewrite");
    unwrapped.put("snowflake.model.current_state", "view");
    connect.createConnector("mdl-sink-unwrapped", unwrapped);
    connect.awaitRunning("mdl-source", 1, Duration.ofSeconds(60));
    connect.awaitRunning("mdl-sink", 1, Duration.ofSeconds(60));
    connect.awaitRunning("mdl-sink-unwrapped", 1, Duration.ofSeconds(60));
    pg.awaitSlotActive(DB, PREFIX + "_slot");

    try (Connection db = pg.connect(DB)) {
      ModelWorkload workload = new ModelWorkload(db);
      workload.write(4_000);
      workload.truncateOrderLines();
      workload.write(1_500);
      LOG.info("Restarting the sinks' tasks after {} statements", workload.operations());
      connect.connect().restartConnectorAndTasks("mdl-sink", false, true, false);
      connect.connect().restartConnectorAndTasks("mdl-sink-unwrapped", false, true, false);
      workload.write(5_000);
      assertThat(workload.operations()).isGreaterThanOrEqualTo(10_000);
      LOG.info("Wrote {} statements", workload.operations());
    }
    awaitCommitted("mdl-sink", PAYROLL_TOPIC, LINES_TOPIC);
    awaitCommitted("mdl-sink-unwrapped", PAYROLL_TOPIC);
    assertThat(connect.failedTaskTrace("mdl-sink")).isEmpty();

    awaitEqual(
        "SELECT * FROM payroll ORDER BY employee_id",
        "SELECT * FROM PAYROLL_CURRENT ORDER BY EMPLOYEE_ID");
    awaitEqual(
        "SELECT * FROM \"Order Lines\" ORDER BY order_id, \"Line No\"",
        "SELECT * FROM \"Order Lines_CURRENT\" ORDER BY ORDER_ID, \"Line No\"");
    awaitEqual(
        "SELECT * FROM payroll ORDER BY employee_id",
        "SELECT * FROM TOPIC_PAYROLL_CURRENT ORDER BY EMPLOYEE_ID");

    timesMatchToTheMicrosecond();
    theViewShowsEveryChangeTyped();
    theSeedsViewQueryRunsOnTheLandedRows();
  }

  /**
   * Waits until the sink has committed every record of the topics: it commits an offset only once
   * the file holding it is loaded.
   */
  private static void awaitCommitted(String connector, String... topics) throws Exception {
    Map<TopicPartition, Long> ends = new HashMap<>();
    for (String topic : topics) {
      for (int p = 0; p < 3; p++) {
        TopicPartition tp = new TopicPartition(topic, p);
        ends.put(tp, connect.kafka().endOffset(tp));
      }
    }
    try (Admin admin = connect.kafka().createAdminClient()) {
      Awaitility.await(connector + " committing " + ends)
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofSeconds(1))
          .ignoreExceptions()
          .until(
              () -> {
                Map<TopicPartition, OffsetAndMetadata> committed =
                    admin
                        .listConsumerGroupOffsets("connect-" + connector)
                        .partitionsToOffsetAndMetadata()
                        .get();
                return ends.entrySet().stream()
                    .allMatch(
                        e ->
                            committed.get(e.getKey()) != null
                                && committed.get(e.getKey()).offset() >= e.getValue());
              });
    }
  }

  private static long count(String sql) throws SQLException {
    try (Connection c = snowflake();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The dynamic table refreshes after the last load: waits for it, then compares in full. */
  private static void awaitEqual(String postgresQuery, String snowflakeQuery) throws Exception {
    List<List<Object>> expected = postgresRows(postgresQuery);
    assertThat(expected).hasSizeGreaterThan(20);
    Awaitility.await(snowflakeQuery)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .until(() -> snowflakeRows(snowflakeQuery).size() == expected.size());
    List<List<Object>> actual = snowflakeRows(snowflakeQuery);
    for (int i = 0; i < expected.size(); i++) {
      List<Object> want = expected.get(i);
      List<Object> got = actual.get(i);
      assertThat(got).as("row %d of %s", i, snowflakeQuery).hasSameSizeAs(want);
      for (int c = 0; c < want.size(); c++) {
        Object w = want.get(c);
        Object g = got.get(c);
        assertThat(g)
            .as(
                "row %d (key %s) column %d of %s: %s vs %s",
                i,
                want.get(0),
                c + 1,
                snowflakeQuery,
                w == null ? null : w.getClass(),
                g == null ? null : g.getClass())
            .isEqualTo(w);
      }
    }
    assertThat(actual).hasSameSizeAs(expected);
  }

  private static List<List<Object>> postgresRows(String sql) throws SQLException {
    List<List<Object>> rows = new ArrayList<>();
    try (Connection c = pg.connect(DB);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData meta = rs.getMetaData();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          row.add(postgresValue(rs, i, meta.getColumnTypeName(i)));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  private static final DateTimeFormatter PG_TIMETZ =
      DateTimeFormatter.ofPattern("HH:mm:ss[.SSSSSS][.SSSSS][.SSSS][.SSS][.SS][.S]X");

  /** A PostgreSQL value in a form both drivers can give exactly. */
  private static Object postgresValue(ResultSet rs, int i, String type) throws SQLException {
    if (rs.getObject(i) == null) {
      return null;
    }
    return switch (type) {
      case "int2", "int4", "int8" -> rs.getBigDecimal(i).toBigInteger();
      case "numeric" -> rs.getBigDecimal(i);
      case "float4" -> rs.getFloat(i);
      case "float8" -> rs.getDouble(i);
      case "bool" -> rs.getBoolean(i);
      case "date" -> rs.getObject(i, LocalDate.class);
      // Snowflake's driver reads TIME to the millisecond; the microseconds are compared in SQL.
      case "time" -> rs.getObject(i, LocalTime.class).truncatedTo(ChronoUnit.MILLIS);
      case "timestamp" -> rs.getObject(i, LocalDateTime.class);
      case "timestamptz" -> rs.getObject(i, OffsetDateTime.class).toInstant();
      case "timetz" ->
          OffsetTime.parse(rs.getString(i), PG_TIMETZ)
              .withOffsetSameInstant(ZoneOffset.UTC)
              .toLocalTime();
      case "json", "jsonb" -> json(rs.getString(i));
      case "bytea" -> List.of(toObjects(rs.getBytes(i)));
      // Debezium's MicroDuration: the workload's intervals hold days and hours only.
      case "interval" -> {
        PGInterval interval = (PGInterval) rs.getObject(i);
        long seconds =
            interval.getDays() * 86_400L
                + interval.getHours() * 3_600L
                + interval.getMinutes() * 60L;
        yield BigInteger.valueOf(seconds).multiply(BigInteger.valueOf(1_000_000L));
      }
      default -> {
        if (type.startsWith("_")) {
          Array array = rs.getArray(i);
          yield JSON.valueToTree(array.getArray());
        }
        yield rs.getString(i);
      }
    };
  }

  private static Object[] toObjects(byte[] bytes) {
    Object[] out = new Object[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      out[i] = bytes[i];
    }
    return out;
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<List<Object>> snowflakeRows(String sql) throws SQLException {
    List<List<Object>> rows = new ArrayList<>();
    try (Connection c = snowflake();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData meta = rs.getMetaData();
      List<String> pgTypes = pgTypesOf(meta);
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          row.add(snowflakeValue(rs, i, pgTypes.get(i - 1)));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  /** The PostgreSQL type each model column stands for, by the column's name. */
  private static List<String> pgTypesOf(ResultSetMetaData meta) throws SQLException {
    Map<String, String> types = new HashMap<>();
    try (Connection c = pg.connect(DB);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT a.attname, t.typname FROM pg_attribute a JOIN pg_type t ON t.oid ="
                    + " a.atttypid WHERE a.attrelid IN ('payroll'::regclass, '\"Order"
                    + " Lines\"'::regclass) AND a.attnum > 0")) {
      while (rs.next()) {
        types.put(rs.getString(1).toUpperCase(java.util.Locale.ROOT), rs.getString(2));
      }
    }
    List<String> out = new ArrayList<>();
    for (int i = 1; i <= meta.getColumnCount(); i++) {
      out.add(
          Objects.requireNonNull(
              types.get(meta.getColumnLabel(i).toUpperCase(java.util.Locale.ROOT)),
              meta.getColumnLabel(i)));
    }
    return out;
  }

  private static Object snowflakeValue(ResultSet rs, int i, String pgType) throws SQLException {
    if (rs.getObject(i) == null) {
      return null;
    }
    return switch (pgType) {
      case "int2", "int4", "int8", "interval" -> rs.getBigDecimal(i).toBigIntegerExact();
      case "numeric" -> rs.getBigDecimal(i);
      case "float4" -> (float) rs.getDouble(i);
      case "float8" -> rs.getDouble(i);
      case "bool" -> rs.getBoolean(i);
      case "date" -> LocalDate.parse(rs.getString(i));
      case "time" -> rs.getTimestamp(i).toLocalDateTime().toLocalTime();
      case "timestamp" -> rs.getTimestamp(i).toLocalDateTime();
      case "timestamptz" -> rs.getTimestamp(i).toInstant();
      case "timetz" ->
          OffsetTime.parse(rs.getString(i)).withOffsetSameInstant(ZoneOffset.UTC).toLocalTime();
      case "json", "jsonb" -> json(rs.getString(i));
      case "bytea" -> List.of(toObjects(rs.getBytes(i)));
      default -> pgType.startsWith("_") ? json(rs.getString(i)) : rs.getString(i);
    };
  }

  /** TIME values to the microsecond, which Snowflake's JDBC driver cannot return. */
  private void timesMatchToTheMicrosecond() throws Exception {
    List<List<Object>> expected =
        postgresRows(
            "SELECT employee_id, (extract(epoch FROM shift_start) * 1000000)::bigint FROM payroll"
                + " ORDER BY employee_id");
    List<List<Object>> actual =
        snowflakeRows(
            "SELECT EMPLOYEE_ID, DATEDIFF(MICROSECOND, '00:00:00'::TIME, SHIFT_START) AS BADGE"
                + " FROM PAYROLL_CURRENT ORDER BY EMPLOYEE_ID");
    assertThat(actual).isEqualTo(expected);
  }

  private void theViewShowsEveryChangeTyped() throws Exception {
    assertThat(count("SELECT COUNT(*) FROM PAYROLL_VIEW"))
        .isEqualTo(count("SELECT COUNT(*) FROM PAYROLL"));
    assertThat(
            count(
                "SELECT COUNT(DISTINCT _OPERATION) FROM PAYROLL_VIEW WHERE _OPERATION IN ('c', 'u', 'd')"))
        .isEqualTo(3);
    assertThat(
            count(
                "SELECT COUNT(*) FROM PAYROLL_VIEW WHERE _OPERATION = 'd' AND EMPLOYEE_ID IS NULL"))
        .isZero();
    Map<String, String> types = new HashMap<>();
    try (Connection c = snowflake();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("DESC VIEW PAYROLL_VIEW")) {
      while (rs.next()) {
        types.put(rs.getString("name"), rs.getString("type"));
      }
    }
    LOG.info("PAYROLL_VIEW columns: {}", types);
    assertThat(types)
        .containsEntry("SALARY", "NUMBER(12,2)")
        .containsEntry("BONUS_RATE", "NUMBER(20,6)")
        .containsEntry("ACTIVE", "BOOLEAN")
        .hasEntrySatisfying("PHOTO", t -> assertThat(t).startsWith("BINARY"))
        .containsEntry("PROFILE", "VARIANT")
        .containsKeys("HIRED", "UPDATED", "UPDATED_TZ", "CREATED_AT", "_KAFKA_OFFSET");
    // The latest change of each live employee, read from the view, is the current row.
    assertThat(
            count(
                "SELECT COUNT(*) FROM (SELECT EMPLOYEE_ID, SALARY FROM PAYROLL_VIEW QUALIFY"
                    + " ROW_NUMBER() OVER (PARTITION BY EMPLOYEE_ID ORDER BY _COMMIT_LSN DESC,"
                    + " _EVENT_INDEX DESC) = 1 AND _OPERATION <> 'd') v JOIN PAYROLL_CURRENT c ON"
                    + " c.EMPLOYEE_ID = v.EMPLOYEE_ID AND c.SALARY IS NOT DISTINCT FROM v.SALARY"))
        .isEqualTo(count("SELECT COUNT(*) FROM PAYROLL_CURRENT"));
  }

  /** The seed's view, word for word, over the rows the unwrapping sink landed. */
  private void theSeedsViewQueryRunsOnTheLandedRows() throws Exception {
    try (Connection c = snowflake();
        Statement s = c.createStatement()) {
      s.execute(
          """
          CREATE OR REPLACE VIEW TOPIC_PAYROLL_VIEW AS
          SELECT
              RECORD_CONTENT,
              RECORD_CONTENT:employee_id::NUMBER AS EMPLOYEE_ID,

              TO_TIMESTAMP_NTZ(RECORD_METADATA:CreateTime::VARCHAR) as CREATED_AT
          FROM TOPIC_PAYROLL
          ;""");
      try (ResultSet rs =
          s.executeQuery("SELECT * FROM TOPIC_PAYROLL_VIEW ORDER BY CREATED_AT DESC")) {
        int rows = 0;
        while (rs.next()) {
          rows++;
          assertThat(rs.getBigDecimal("EMPLOYEE_ID")).isNotNull();
          assertThat(rs.getTimestamp("CREATED_AT")).isNotNull();
        }
        assertThat((long) rows).isEqualTo(count("SELECT COUNT(*) FROM TOPIC_PAYROLL"));
      }
    }
  }
}
