package io.pgsnow.emulator;

import static io.pgsnow.emulator.EmulatorClients.exec;
import static io.pgsnow.emulator.EmulatorClients.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SQL through the real JDBC driver: DDL, DML with binds, types, VARIANT paths, errors. */
class JdbcSqlIT {

  private static SnowflakeEmulator emulator;

  @BeforeAll
  static void start() throws SQLException {
    emulator = EmulatorClients.startWithDatabase("SQL_DB");
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  private static Connection connect() throws SQLException {
    return EmulatorClients.password(emulator, "SQL_DB", "PUBLIC");
  }

  @Test
  void loginSelectsRequestedDatabaseAndSchema() throws SQLException {
    try (Connection conn = connect()) {
      assertThat(conn.getCatalog()).isEqualTo("SQL_DB");
      assertThat(conn.getSchema()).isEqualTo("PUBLIC");
      assertThat(rows(conn, "select current_database(), current_schema(), current_user()"))
          .containsExactly(List.of("SQL_DB", "PUBLIC", EmulatorClients.USER));
    }
  }

  @Test
  void resultSetTypesMatchSnowflake() throws SQLException {
    try (Connection conn = connect()) {
      exec(
          conn,
          "create or replace table typed (n number(10,2), i int, s string, b boolean, d date,"
              + " ts timestamp_ntz, v variant, bin binary, f float)",
          "insert into typed select 12.34, 7, 'txt', true, '2024-02-29'::date,"
              + " '2024-02-29 13:14:15.123456'::timestamp_ntz, parse_json('{\"a\":[1,2]}'),"
              + " 'CAFE'::binary, 1.5");
      try (Statement st = conn.createStatement();
          ResultSet rs = st.executeQuery("select * from typed")) {
        ResultSetMetaData md = rs.getMetaData();
        assertThat(md.getColumnName(1)).isEqualTo("N");
        assertThat(md.getColumnType(1)).isEqualTo(Types.DECIMAL);
        assertThat(md.getPrecision(1)).isEqualTo(10);
        assertThat(md.getScale(1)).isEqualTo(2);
        assertThat(md.getColumnType(3)).isEqualTo(Types.VARCHAR);
        assertThat(md.getColumnType(4)).isEqualTo(Types.BOOLEAN);
        assertThat(md.getColumnType(5)).isEqualTo(Types.DATE);
        assertThat(md.getColumnType(6)).isEqualTo(Types.TIMESTAMP);
        assertThat(md.getColumnTypeName(7)).isEqualTo("VARIANT");
        assertThat(md.getColumnType(8)).isEqualTo(Types.BINARY);
        assertThat(rs.next()).isTrue();
        assertThat(rs.getBigDecimal(1)).isEqualByComparingTo(new BigDecimal("12.34"));
        assertThat(rs.getLong(2)).isEqualTo(7L);
        assertThat(rs.getString(3)).isEqualTo("txt");
        assertThat(rs.getBoolean(4)).isTrue();
        assertThat(rs.getDate(5).toLocalDate()).isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(rs.getTimestamp(6).toLocalDateTime())
            .isEqualTo(LocalDateTime.of(2024, 2, 29, 13, 14, 15, 123_456_000));
        assertThat(rs.getString(7).replaceAll("\\s", "")).isEqualTo("{\"a\":[1,2]}");
        assertThat(rs.getBytes(8)).containsExactly(0xCA - 256, 0xFE - 256);
        assertThat(rs.getDouble(9)).isEqualTo(1.5);
      }
    }
  }

  @Test
  void bindsAndBatchInsert() throws SQLException {
    try (Connection conn = connect()) {
      exec(
          conn,
          "create or replace table people (id number, name varchar, born date, seen"
              + " timestamp_ntz)");
      try (PreparedStatement ps = conn.prepareStatement("insert into people values (?, ?, ?, ?)")) {
        for (int i = 1; i <= 3; i++) {
          ps.setInt(1, i);
          ps.setString(2, "p" + i);
          ps.setDate(3, Date.valueOf(LocalDate.of(2000, 1, i)));
          ps.setTimestamp(4, Timestamp.valueOf(LocalDateTime.of(2020, 5, i, 10, 0)));
          ps.addBatch();
        }
        int[] counts = ps.executeBatch();
        assertThat(counts).hasSize(3);
      }
      try (PreparedStatement ps =
          conn.prepareStatement("select name, born from people where id = ?")) {
        ps.setInt(1, 2);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).isEqualTo("p2");
          assertThat(rs.getDate(2).toLocalDate()).isEqualTo(LocalDate.of(2000, 1, 2));
        }
      }
      try (PreparedStatement ps =
          conn.prepareStatement("update people set name = ? where id > ?")) {
        ps.setString(1, "x");
        ps.setInt(2, 1);
        assertThat(ps.executeUpdate()).isEqualTo(2);
      }
      try (PreparedStatement ps = conn.prepareStatement("select count(*) from identifier(?)")) {
        ps.setString(1, "sql_db.public.people");
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          assertThat(rs.getInt(1)).isEqualTo(3);
        }
      }
    }
  }

  @Test
  void variantPathsCastsAndWindowFunctions() throws SQLException {
    try (Connection conn = connect()) {
      exec(
          conn,
          "create or replace table events (record_metadata variant, record_content variant)",
          "insert into events select parse_json('{\"CreateTime\": 1700000000000, \"offset\": 1}'),"
              + " parse_json('{\"employee_id\": 1081, \"name\": \"Ann\", \"a\": {\"b\":"
              + " [\"x\", \"y\"]}}')",
          "insert into events select parse_json('{\"CreateTime\": 1700000060000, \"offset\": 2}'),"
              + " parse_json('{\"employee_id\": 1081, \"name\": \"Ann B\", \"a\": {\"b\":"
              + " [\"z\"]}}')");
      assertThat(
              rows(
                  conn,
                  "select record_content:employee_id::number as id, record_content:name::string,"
                      + " record_content:a.b[0]::string, record_content:\"name\","
                      + " to_timestamp_ntz(record_metadata:CreateTime::varchar) from events"
                      + " order by record_metadata:offset::int"))
          .containsExactly(
              List.of("1081", "Ann", "x", "\"Ann\"", "2023-11-14 22:13:20.000"),
              List.of("1081", "Ann B", "z", "\"Ann B\"", "2023-11-14 22:14:20.000"));
      assertThat(
              rows(
                  conn,
                  "select record_content:name::string from events qualify row_number() over"
                      + " (partition by record_content:employee_id order by"
                      + " record_metadata:offset::number desc) = 1"))
          .containsExactly(List.of("Ann B"));
    }
  }

  @Test
  void ddlCatalogCommands() throws SQLException {
    try (Connection conn = connect()) {
      exec(
          conn,
          "create schema other",
          "use schema sql_db.public",
          "create table if not exists \"MixedCase\" (\"id\" number)",
          "create table if not exists \"MixedCase\" (\"id\" number)",
          "alter table \"MixedCase\" add column payload object",
          "create or replace view mixed_view as select \"id\", payload from \"MixedCase\"",
          "grant usage on database sql_db to role public",
          "use warehouse compute_wh",
          "use role accountadmin");
      assertThat(rows(conn, "desc table \"MixedCase\""))
          .extracting(r -> r.get(0) + ":" + r.get(1))
          .containsExactly("id:NUMBER(38,0)", "PAYLOAD:OBJECT");
      assertThat(rows(conn, "show tables like 'mixed%'"))
          .extracting(r -> r.get(1))
          .containsExactly("MixedCase");
      assertThat(rows(conn, "show schemas in database sql_db"))
          .extracting(r -> r.get(1))
          .contains("PUBLIC", "OTHER");
      assertThat(rows(conn, "select current_role(), current_warehouse()"))
          .containsExactly(List.of("ACCOUNTADMIN", "COMPUTE_WH"));
      assertThat(rows(conn, "select count(*) from mixed_view")).containsExactly(List.of("0"));
    }
  }

  /** The current-state upsert a CDC sink runs: MERGE from the latest change per key. */
  @Test
  void mergeUpsertsLatestChangePerKey() throws SQLException {
    try (Connection conn = connect()) {
      exec(
          conn,
          "create or replace table changes (record_metadata variant, record_content variant)",
          "insert into changes select parse_json(column1), parse_json(column2) from values"
              + " ('{\"offset\":1}', '{\"id\":1,\"name\":\"a\",\"op\":\"c\"}'),"
              + " ('{\"offset\":2}', '{\"id\":1,\"name\":\"b\",\"op\":\"u\"}'),"
              + " ('{\"offset\":3}', '{\"id\":2,\"name\":\"z\",\"op\":\"c\"}'),"
              + " ('{\"offset\":4}', '{\"id\":3,\"name\":\"x\",\"op\":\"c\"}')",
          "create or replace table current_state (id number, name string)",
          "insert into current_state values (3, 'old')");
      try (Statement st = conn.createStatement()) {
        int merged =
            st.executeUpdate(
                "merge into current_state t using (select record_content:id::number as id,"
                    + " record_content:name::string as name from changes qualify row_number() over"
                    + " (partition by record_content:id::number order by"
                    + " record_metadata:offset::number desc) = 1) s on t.id = s.id when matched"
                    + " then update set name = s.name when not matched then insert (id, name)"
                    + " values (s.id, s.name)");
        assertThat(merged).isEqualTo(3);
      }
      assertThat(rows(conn, "select id, name from current_state order by id"))
          .containsExactly(List.of("1", "b"), List.of("2", "z"), List.of("3", "x"));
    }
  }

  @Test
  void dynamicTableIsRefreshed() throws Exception {
    try (Connection conn = connect()) {
      exec(
          conn,
          "create or replace table src (k number, v string)",
          "insert into src values (1, 'a')",
          "create or replace dynamic table latest target_lag = '1 minute' warehouse = compute_wh"
              + " as select k, max(v) as v from src group by k");
      assertThat(rows(conn, "select k, v from latest")).containsExactly(List.of("1", "a"));
      exec(conn, "insert into src values (2, 'b')", "alter dynamic table latest refresh");
      assertThat(rows(conn, "select k, v from latest order by k"))
          .containsExactly(List.of("1", "a"), List.of("2", "b"));
      exec(conn, "insert into src values (3, 'c')");
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(rows(conn, "select count(*) from latest"))
                      .containsExactly(List.of("3")));
    }
  }

  @Test
  void multiStatementRequestsReturnEachResult() throws SQLException {
    try (Connection conn = connect();
        Statement st = conn.createStatement()) {
      DriverApi.setParameter(st, "MULTI_STATEMENT_COUNT", 0);
      st.execute(
          "create or replace table multi (a number); insert into multi values (1), (2);"
              + " select sum(a) from multi");
      assertThat(st.getUpdateCount()).isEqualTo(0);
      st.getMoreResults();
      assertThat(st.getUpdateCount()).isEqualTo(2);
      assertThat(st.getMoreResults()).isTrue();
      try (ResultSet rs = st.getResultSet()) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(3);
      }
      assertThat(st.getMoreResults()).isFalse();
    }
    try (Connection conn = connect()) {
      assertThatThrownBy(() -> rows(conn, "select 1; select 2"))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(8));
    }
  }

  @Test
  void dropsAndShowsEveryObjectKind() throws SQLException {
    try (Connection conn = connect()) {
      exec(
          conn,
          "create database scratch_db",
          "create schema work",
          "create table t1 as select 1 as a, 'x' as b",
          "create stage stage_one",
          "create stage stage_two",
          "create pipe pipe_one as copy into t1 from @stage_one file_format = (type = 'json')");
      assertThat(rows(conn, "select a, b from t1")).containsExactly(List.of("1", "x"));
      assertThat(rows(conn, "show databases like 'SCRATCH%'"))
          .extracting(r -> r.get(1))
          .containsExactly("SCRATCH_DB");
      assertThat(rows(conn, "show stages like '%one'"))
          .extracting(r -> r.get(1))
          .containsExactly("STAGE_ONE");
      assertThat(rows(conn, "show pipes")).extracting(r -> r.get(1)).containsExactly("PIPE_ONE");
      exec(
          conn,
          "drop pipe pipe_one",
          "drop stage stage_two",
          "drop table t1",
          "drop table if exists t1",
          "drop schema work",
          "drop database scratch_db");
      assertThatThrownBy(() -> rows(conn, "desc stage scratch_db.work.stage_two"))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(2003));
      assertThat(rows(conn, "show databases like 'SCRATCH%'")).isEmpty();
    }
  }

  @Test
  void semiStructuredAndZonedValues() throws SQLException {
    try (Connection conn = connect();
        Statement st = conn.createStatement();
        ResultSet rs =
            st.executeQuery(
                "select parse_json('[1,2,3]') as arr,"
                    + " parse_json('{\"k\":\"v\"}'):k as k,"
                    + " to_timestamp_ltz('2024-01-01 10:00:00') as ltz,"
                    + " array_size(parse_json('[1,2,3]')) as n, iff(1 > 0, 'yes', 'no') as i")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString("ARR").replaceAll("\\s", "")).isEqualTo("[1,2,3]");
      assertThat(rs.getString("K")).isEqualTo("\"v\"");
      assertThat(rs.getTimestamp("LTZ").toInstant())
          .isEqualTo(java.time.Instant.parse("2024-01-01T10:00:00Z"));
      assertThat(rs.getInt("N")).isEqualTo(3);
      assertThat(rs.getString("I")).isEqualTo("yes");
    }
  }

  @Test
  void timestampTzKeepsEachValuesOffset(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("zoned.json");
    Files.writeString(file, "{\"ID\": 5, \"TZ\": \"2024-03-01T23:15:00-08:00\"}\n");
    try (Connection conn = connect()) {
      exec(
          conn,
          "create or replace table zoned (id int, tz timestamp_tz, ltz timestamp_ltz)",
          "insert into zoned values (1, '2024-01-01 10:00:00 +02:00', '2024-01-01 10:00:00+02:00'),"
              + " (2, '2024-01-01 09:30:00.5-0530', null), (3, '2024-01-01 07:00:00', null)");
      try (PreparedStatement ps =
          conn.prepareStatement("insert into zoned (tz, id) values (?, ?)")) {
        ps.setString(1, "2024-06-01T12:00:00+09:00");
        ps.setInt(2, 4);
        assertThat(ps.executeUpdate()).isEqualTo(1);
      }
      exec(
          conn,
          "put file://" + file + " @%zoned",
          "copy into zoned from @%zoned file_format = (type = json)"
              + " match_by_column_name = case_insensitive");
      try (Statement st = conn.createStatement();
          ResultSet rs = st.executeQuery("select id, tz, ltz from zoned order by tz")) {
        ResultSetMetaData md = rs.getMetaData();
        assertThat(md.getColumnType(2)).isEqualTo(Types.TIMESTAMP_WITH_TIMEZONE);
        assertThat(md.getColumnTypeName(2)).isEqualTo("TIMESTAMPTZ");
        assertThat(md.getColumnTypeName(3)).isEqualTo("TIMESTAMPLTZ");
        List<String> ids = new ArrayList<>();
        List<String> rendered = new ArrayList<>();
        List<Instant> instants = new ArrayList<>();
        while (rs.next()) {
          ids.add(rs.getString(1));
          rendered.add(rs.getString(2));
          instants.add(rs.getTimestamp(2).toInstant());
        }
        // Ordered by instant, rendered at each value's own offset (a value without one is UTC).
        assertThat(ids).containsExactly("3", "1", "2", "5", "4");
        assertThat(rendered)
            .containsExactly(
                "2024-01-01 07:00:00.000 Z",
                "2024-01-01 10:00:00.000 +0200",
                "2024-01-01 09:30:00.500 -0530",
                "2024-03-01 23:15:00.000 -0800",
                "2024-06-01 12:00:00.000 +0900");
        assertThat(instants)
            .containsExactly(
                Instant.parse("2024-01-01T07:00:00Z"),
                Instant.parse("2024-01-01T08:00:00Z"),
                Instant.parse("2024-01-01T15:00:00.500Z"),
                Instant.parse("2024-03-02T07:15:00Z"),
                Instant.parse("2024-06-01T03:00:00Z"));
      }
      assertThat(
              rows(
                  conn,
                  "select id, to_timestamp_ntz(tz), to_timestamp_ltz(tz) from zoned"
                      + " where tz > '2024-01-01 08:30:00 +00:00'::timestamp_tz and id < 5"
                      + " order by id"))
          .containsExactly(
              List.of("2", "2024-01-01 09:30:00.500", "2024-01-01 15:00:00.500 Z"),
              List.of("4", "2024-06-01 12:00:00.000", "2024-06-01 03:00:00.000 Z"));
      assertThat(
              rows(
                  conn,
                  "select cast('2024-01-01 10:00:00 +02:00' as timestamp_tz),"
                      + " parse_json('{\"t\": \"2020-02-02 02:02:02 -01:00\"}'):t::timestamp_tz"))
          .containsExactly(
              List.of("2024-01-01 10:00:00.000 +0200", "2020-02-02 02:02:02.000 -0100"));
      assertThat(rows(conn, "desc table zoned").get(1)).startsWith("TZ", "TIMESTAMP_TZ(9)");
    }
  }

  @Test
  void quotedNamesResolveExactlyAndUnquotedOnesInUpperCase() throws SQLException {
    try (Connection conn = connect()) {
      exec(
          conn,
          "create or replace table \"exact_case\" (\"lower\" int, upper int, \"Mixed\" int)",
          "insert into \"exact_case\" values (1, 2, 3)",
          "create or replace view \"v_lower\" as select \"lower\" as \"l\" from \"exact_case\"");
      assertThat(
              rows(
                  conn,
                  "select \"lower\", UPPER, upper, \"UPPER\", \"Mixed\" as \"m\""
                      + " from \"exact_case\" order by \"m\""))
          .containsExactly(List.of("1", "2", "2", "2", "3"));
      assertThat(
              rows(
                  conn,
                  "with \"w\" as (select \"l\" as one from \"v_lower\")"
                      + " select ONE, w2.\"l\" from \"w\" join \"v_lower\" w2 on true"))
          .containsExactly(List.of("1", "1"));
      assertThatThrownBy(() -> rows(conn, "select lower from \"exact_case\""))
          .isInstanceOfSatisfying(
              SQLException.class,
              e -> {
                assertThat(e.getErrorCode()).isEqualTo(904);
                assertThat(e.getMessage()).contains("invalid identifier 'LOWER'");
              });
      assertThatThrownBy(() -> rows(conn, "select \"mixed\" from \"exact_case\""))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getMessage()).contains("'\"mixed\"'"));
      assertThatThrownBy(() -> rows(conn, "select * from exact_case"))
          .isInstanceOfSatisfying(
              SQLException.class,
              e -> {
                assertThat(e.getErrorCode()).isEqualTo(2003);
                assertThat(e.getMessage()).contains("'EXACT_CASE' does not exist");
              });
      assertThatThrownBy(() -> rows(conn, "select * from sql_db.public.v_lower"))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(2003));
    }
  }

  @Test
  void dmlResolvesNamesExactlyToo() throws SQLException {
    try (Connection conn = connect()) {
      exec(
          conn,
          "create or replace table \"dml_case\" (\"lower\" int, upper int, \"Mixed\" int)",
          "insert into \"dml_case\" (\"lower\", Upper) values (5, 6)",
          "update \"dml_case\" set \"Mixed\" = \"lower\" + UPPER where \"lower\" = 5",
          "insert into \"dml_case\" select \"lower\" + 1, upper, \"Mixed\" from \"dml_case\"");
      assertThat(rows(conn, "select \"lower\", upper, \"Mixed\" from \"dml_case\" order by 1"))
          .containsExactly(List.of("5", "6", "11"), List.of("6", "6", "11"));
      List<String> wrong =
          List.of(
              "insert into \"dml_case\" (lower) values (1)",
              "update \"dml_case\" set mixed = 1",
              "update \"dml_case\" set \"Mixed\" = 1 where lower = 5",
              "update \"dml_case\" set \"Mixed\" = \"upper\"",
              "delete from \"dml_case\" where LOWER = 5",
              "insert into \"dml_case\" select lower, 1, 2 from \"dml_case\"");
      for (String sql : wrong) {
        assertThatThrownBy(() -> exec(conn, sql))
            .as(sql)
            .isInstanceOfSatisfying(
                SQLException.class,
                e -> {
                  assertThat(e.getErrorCode()).isEqualTo(904);
                  assertThat(e.getMessage()).contains("invalid identifier");
                });
      }
      for (String sql :
          List.of(
              "insert into dml_case values (1, 2, 3)",
              "update DML_CASE set upper = 1",
              "delete from Dml_Case")) {
        assertThatThrownBy(() -> exec(conn, sql))
            .as(sql)
            .isInstanceOfSatisfying(
                SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(2003));
      }
      exec(conn, "delete from \"dml_case\" where \"lower\" = 5");
      assertThat(rows(conn, "select count(*) from \"dml_case\"")).containsExactly(List.of("1"));
    }
  }

  /**
   * A whole VARIANT cast to text answers as Snowflake documents it, the same through every form:
   *
   * <ul>
   *   <li>https://docs.snowflake.com/en/sql-reference/functions/to_char — "A string stored in
   *       VARIANT is preserved as is (i.e. it is not converted to a JSON string)", other VARIANT,
   *       OBJECT and ARRAY values give their JSON text, and for TO_VARCHAR "A JSON null value is
   *       converted to a string containing the word 'null'".
   *   <li>https://docs.snowflake.com/en/user-guide/semistructured-considerations (NULL values) —
   *       "To convert a VARIANT 'null' value to SQL NULL, cast it as a string."
   *   <li>https://docs.snowflake.com/en/user-guide/querying-semistructured (explicitly casting
   *       values) — {@code src:salesperson.name} is {@code "Frank Beasley"}, cast to string it is
   *       {@code Frank Beasley}; paths, brackets and FLATTEN's VALUE are VARIANTs like any other.
   * </ul>
   */
  @Test
  void variantCastToTextGivesTheBareStringAndJsonTextOtherwise() throws SQLException {
    try (Connection conn = connect()) {
      exec(
          conn,
          "create or replace table casts (id int, v variant)",
          "insert into casts select 1, parse_json('\"abc\"')",
          "insert into casts select 2, parse_json('1.5')",
          "insert into casts select 3, parse_json('{\"a\": 1, \"s\": \"x\"}')",
          "insert into casts select 4, parse_json('[1, \"b\"]')",
          "insert into casts select 5, parse_json('true')",
          "insert into casts select 6, parse_json('null')",
          "insert into casts select 7, null");
      assertThat(
              rows(
                  conn,
                  "select v::string, v::varchar, cast(v as string), try_cast(v as varchar),"
                      + " to_varchar(v) from casts order by id"))
          .containsExactly(
              List.of("abc", "abc", "abc", "abc", "abc"),
              List.of("1.5", "1.5", "1.5", "1.5", "1.5"),
              List.of(
                  "{\"a\":1,\"s\":\"x\"}",
                  "{\"a\":1,\"s\":\"x\"}",
                  "{\"a\":1,\"s\":\"x\"}",
                  "{\"a\":1,\"s\":\"x\"}",
                  "{\"a\":1,\"s\":\"x\"}"),
              List.of("[1,\"b\"]", "[1,\"b\"]", "[1,\"b\"]", "[1,\"b\"]", "[1,\"b\"]"),
              List.of("true", "true", "true", "true", "true"),
              Arrays.asList(null, null, null, null, "null"),
              Arrays.asList(null, null, null, null, null));
      assertThat(
              rows(
                  conn,
                  "select v:s::string, v['s']::string, cast(v['s'] as string), to_varchar(v:s),"
                      + " v[1]::string, to_varchar(v:a) from casts where id in (3, 4) order by id"))
          .containsExactly(
              Arrays.asList("x", "x", "x", "x", null, "1"),
              Arrays.asList(null, null, null, null, "b", null));
      assertThat(
              rows(
                  conn,
                  "select f.value::string, to_varchar(f.value) from casts c,"
                      + " lateral flatten(input => c.v) f where c.id = 4 order by f.index"))
          .containsExactly(List.of("1", "1"), List.of("b", "b"));
    }
  }

  @Test
  void flattenAndDateFunctions() throws SQLException {
    try (Connection conn = connect()) {
      exec(
          conn,
          "create or replace table orders (id int, doc variant)",
          "insert into orders select 1, parse_json('{\"lines\": [{\"sku\": \"a\", \"qty\": 2},"
              + " {\"sku\": \"b\", \"qty\": 5}], \"tags\": {\"vip\": true}}')",
          "insert into orders select 2, parse_json('{\"lines\": []}')");
      assertThat(
              rows(
                  conn,
                  "select o.id, f.index, f.value:sku::string, f.value:qty::number, f.path"
                      + " from orders o, lateral flatten(input => o.doc:lines) f"
                      + " order by o.id, f.index"))
          .containsExactly(List.of("1", "0", "a", "2", "[0]"), List.of("1", "1", "b", "5", "[1]"));
      assertThat(
              rows(
                  conn,
                  "select o.id, f.key, f.value::string from orders o,"
                      + " table(flatten(input => o.doc, path => 'tags', outer => true)) f"
                      + " order by o.id"))
          .containsExactly(List.of("1", "vip", "true"), Arrays.asList("2", null, null));
      assertThat(
              rows(
                  conn,
                  "select dateadd(day, 30, '2024-02-01'::date)::date,"
                      + " dateadd('hours', -1, '2024-01-01 00:30:00'::timestamp_ntz),"
                      + " datediff(month, '2023-12-31'::date, '2024-02-01'::date),"
                      + " date_trunc(year, '2024-05-06'::date)::date"))
          .containsExactly(List.of("2024-03-02", "2023-12-31 23:30:00.000", "2", "2024-01-01"));
    }
  }

  @Test
  void objectAndArrayColumnsAnswerWithTheirOwnRowtype() throws SQLException {
    try (Connection conn = connect()) {
      exec(
          conn,
          "create or replace table shapes (o object, a array, v variant)",
          "insert into shapes select parse_json('{\"k\": 1}'), parse_json('[1, 2]'),"
              + " parse_json('3')");
      for (String sql :
          List.of(
              "select o, a, v from shapes",
              "select * from shapes",
              "select s.o, s.a, s.v from shapes s")) {
        try (Statement st = conn.createStatement();
            ResultSet rs = st.executeQuery(sql)) {
          ResultSetMetaData md = rs.getMetaData();
          assertThat(
                  List.of(
                      md.getColumnTypeName(1), md.getColumnTypeName(2), md.getColumnTypeName(3)))
              .as(sql)
              .containsExactly("OBJECT", "ARRAY", "VARIANT");
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1).replaceAll("\\s", "")).isEqualTo("{\"k\":1}");
          assertThat(rs.getString(2).replaceAll("\\s", "")).isEqualTo("[1,2]");
        }
      }
      try (Statement st = conn.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "select object_construct('a', 1), array_construct(1, 2), o:k from shapes")) {
        ResultSetMetaData md = rs.getMetaData();
        assertThat(md.getColumnTypeName(1)).isEqualTo("OBJECT");
        assertThat(md.getColumnTypeName(2)).isEqualTo("ARRAY");
        assertThat(md.getColumnTypeName(3)).isEqualTo("VARIANT");
      }
      try (Statement st = conn.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "select object_agg('k', v), array_agg(v), listagg(v, ',') from shapes")) {
        ResultSetMetaData md = rs.getMetaData();
        assertThat(
                List.of(md.getColumnTypeName(1), md.getColumnTypeName(2), md.getColumnTypeName(3)))
            .containsExactly("OBJECT", "ARRAY", "VARCHAR");
      }
      try (Statement st = conn.createStatement();
          ResultSet rs = st.executeQuery("select object_construct(*), typeof(v) from shapes")) {
        ResultSetMetaData md = rs.getMetaData();
        assertThat(List.of(md.getColumnTypeName(1), md.getColumnTypeName(2)))
            .containsExactly("OBJECT", "VARCHAR");
      }
    }
  }

  @Test
  void showScopesAccountDatabaseAndSchema() throws SQLException {
    try (Connection conn = connect()) {
      exec(
          conn,
          "create database if not exists SHOW_A",
          "create or replace table SHOW_A.PUBLIC.SCOPED_A (x int)",
          "create database if not exists SHOW_B",
          "create schema if not exists SHOW_B.SHOWN",
          "create or replace table SHOW_B.SHOWN.SCOPED_B (x int)",
          "use database SQL_DB");
      assertThat(rows(conn, "show tables like 'SCOPED_%' in account"))
          .extracting(r -> r.get(2) + "." + r.get(3) + "." + r.get(1))
          .containsExactly("SHOW_A.PUBLIC.SCOPED_A", "SHOW_B.SHOWN.SCOPED_B");
      assertThat(rows(conn, "show tables like 'SCOPED_%'")).isEmpty();
      assertThat(rows(conn, "show tables in database SHOW_B"))
          .extracting(r -> r.get(1))
          .containsExactly("SCOPED_B");
      exec(conn, "use database SHOW_B");
      assertThat(rows(conn, "show tables in schema SHOWN"))
          .extracting(r -> r.get(1))
          .containsExactly("SCOPED_B");
      assertThat(rows(conn, "show tables in schema PUBLIC")).isEmpty();
      assertThat(rows(conn, "show schemas like 'SHOWN' in account"))
          .extracting(r -> r.get(4) + "." + r.get(1))
          .containsExactly("SHOW_B.SHOWN");
    }
  }

  @Test
  void closingTheConnectionLogsOut() throws SQLException {
    int before = emulator.openSessions();
    Connection conn = connect();
    assertThat(emulator.openSessions()).isEqualTo(before + 1);
    conn.close();
    assertThat(emulator.openSessions()).isEqualTo(before);
  }

  @Test
  void errorsCarrySnowflakeCodes() throws SQLException {
    try (Connection conn = connect()) {
      assertThatThrownBy(() -> rows(conn, "select * from no_such_table"))
          .isInstanceOfSatisfying(
              SQLException.class,
              e -> {
                assertThat(e.getErrorCode()).isEqualTo(2003);
                assertThat(e.getSQLState()).isEqualTo("02000");
              });
      assertThatThrownBy(() -> rows(conn, "selec 1"))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1003));
      exec(conn, "create or replace table err (a number)");
      assertThatThrownBy(() -> rows(conn, "select nope from err"))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(904));
    }
  }

  private static void assertNoCurrent(Connection conn, String sql, int code, String message) {
    assertThatThrownBy(() -> exec(conn, sql))
        .isInstanceOfSatisfying(
            SQLException.class,
            e -> {
              assertThat(e.getErrorCode()).as(sql).isEqualTo(code);
              assertThat(e.getSQLState()).as(sql).isEqualTo("22000");
              assertThat(e.getMessage()).as(sql).isEqualTo(message);
            });
  }

  @Test
  void droppingTheCurrentSchemaOrDatabaseLeavesTheSessionWithout() throws SQLException {
    String noSchema =
        ". This session does not have a current schema. Call 'USE SCHEMA', or use a"
            + " qualified name.";
    String noDatabase =
        ". This session does not have a current database. Call 'USE DATABASE', or"
            + " use a qualified name.";
    try (Connection conn = connect();
        Connection other = connect()) {
      exec(
          conn,
          "create or replace table SQL_DB.PUBLIC.KEPT (a int)",
          "create or replace schema GONE",
          "create table in_gone (a int)",
          "drop schema GONE");
      assertNoCurrent(conn, "select * from in_gone", 90106, "Cannot perform SELECT" + noSchema);
      assertNoCurrent(conn, "select * from kept", 90106, "Cannot perform SELECT" + noSchema);
      assertNoCurrent(
          conn, "create table t (a int)", 90106, "Cannot perform CREATE TABLE" + noSchema);
      assertNoCurrent(
          conn, "insert into kept values (1)", 90106, "Cannot perform INSERT" + noSchema);
      assertThat(
              rows(conn, "select current_database(), current_schema(), count(*) from public.kept"))
          .containsExactly(Arrays.asList("SQL_DB", null, "0"));

      exec(conn, "create or replace schema TAKEN", "create table in_taken (a int)");
      exec(other, "drop schema SQL_DB.TAKEN");
      assertNoCurrent(conn, "select * from in_taken", 90106, "Cannot perform SELECT" + noSchema);

      exec(conn, "create or replace database DROPPED_DB", "drop database DROPPED_DB");
      assertNoCurrent(conn, "select * from kept", 90105, "Cannot perform SELECT" + noDatabase);
      assertNoCurrent(conn, "drop table kept", 90105, "Cannot perform DROP" + noDatabase);
      assertThat(
              rows(
                  conn,
                  "select current_database(), current_schema(), count(*) from"
                      + " SQL_DB.PUBLIC.kept"))
          .containsExactly(Arrays.asList(null, null, "0"));
      // A database is named alone: one that is missing is told so, current database or not.
      assertThatThrownBy(() -> exec(conn, "use database NO_SUCH_DB"))
          .isInstanceOfSatisfying(
              SQLException.class,
              e -> {
                assertThat(e.getErrorCode()).isEqualTo(2003);
                assertThat(e.getMessage()).contains("Database 'NO_SUCH_DB' does not exist");
              });
      exec(conn, "use database SQL_DB");
      assertThat(rows(conn, "select current_database(), current_schema()"))
          .containsExactly(Arrays.asList("SQL_DB", "PUBLIC"));
    }
  }
}
