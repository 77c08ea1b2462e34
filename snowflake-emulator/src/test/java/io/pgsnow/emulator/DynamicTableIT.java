package io.pgsnow.emulator;

import static io.pgsnow.emulator.EmulatorClients.exec;
import static io.pgsnow.emulator.EmulatorClients.rows;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dynamic tables and the SQL of the sink's current-state models: CREATE OR REPLACE DYNAMIC TABLE
 * with TARGET_LAG and WAREHOUSE, refreshed after the base table changes; window functions with
 * frames over VARIANT paths, QUALIFY mixing a window with a plain predicate, dotted and quoted path
 * keys, BASE64_DECODE_BINARY, DATEADD on TIME and TIMESTAMP, CONTAINS, TO_JSON.
 */
class DynamicTableIT {

  private static SnowflakeEmulator emulator;

  @BeforeAll
  static void start() throws SQLException {
    emulator =
        SnowflakeEmulator.builder()
            .user(EmulatorClients.USER, EmulatorClients.PASSWORD)
            .dynamicTableRefresh(Duration.ofMillis(200))
            .start();
    try (Connection conn = EmulatorClients.password(emulator)) {
      exec(conn, "CREATE DATABASE DT_DB");
    }
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  private static Connection connect() throws SQLException {
    return EmulatorClients.password(emulator, "DT_DB", "PUBLIC");
  }

  private static String change(int lsn, String op, int id, String name, String unchanged) {
    String meta =
        "{\"key\": {\"id\": "
            + id
            + "}"
            + (unchanged == null ? "" : ", \"headers\": {\"a.b\": \"" + unchanged + "\"}")
            + "}";
    String row =
        "{\"id\": " + id + ", \"name\": " + (name == null ? "null" : '"' + name + '"') + "}";
    return "SELECT PARSE_JSON('"
        + meta
        + "'), PARSE_JSON('{\"op\": \""
        + op
        + "\", \"source\": {\"lsn\": "
        + lsn
        + "}, \"after\": "
        + row
        + "}')";
  }

  private static final String LATEST =
      "SELECT ID, FIRST_VALUE(NAME) OVER (PARTITION BY K, G ORDER BY LSN) AS NAME FROM (SELECT *,"
          + " COUNT(IFF(CONTAINS(',' || COALESCE(U, '') || ',', ',name,'), NULL, 1)) OVER"
          + " (PARTITION BY K ORDER BY LSN ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS G"
          + " FROM (SELECT TO_JSON(RECORD_METADATA:\"key\") AS K, RECORD_METADATA:\"headers\".\"a.b\"::VARCHAR"
          + " AS U, RECORD_CONTENT:\"source\".\"lsn\"::NUMBER AS LSN, RECORD_CONTENT:\"op\"::VARCHAR AS"
          + " OP, RECORD_CONTENT:\"after\".\"id\"::NUMBER(38,0) AS ID, RECORD_CONTENT:\"after\".\"name\""
          + "::VARCHAR AS NAME FROM CHANGES)) QUALIFY ROW_NUMBER() OVER (PARTITION BY K ORDER BY LSN"
          + " DESC) = 1 AND OP <> 'd'";

  @Test
  void aDynamicTableKeepsTheLatestStateOfEachKeyAsItsBaseTableChanges() throws SQLException {
    try (Connection conn = connect()) {
      exec(
          conn,
          "CREATE TABLE CHANGES (RECORD_METADATA VARIANT, RECORD_CONTENT VARIANT)",
          "INSERT INTO CHANGES "
              + change(10, "c", 1, "one", null)
              + " UNION ALL "
              + change(30, "u", 1, null, "name")
              + " UNION ALL "
              + change(20, "c", 2, "two", null),
          "CREATE OR REPLACE DYNAMIC TABLE LATEST TARGET_LAG = '1 minute' WAREHOUSE = COMPUTE_WH AS "
              + LATEST);
      assertThat(rows(conn, "SELECT ID, NAME FROM LATEST ORDER BY ID"))
          .containsExactly(List.of("1", "one"), List.of("2", "two"));
      assertThat(rows(conn, "SHOW DYNAMIC TABLES LIKE 'LATEST'")).hasSize(1);

      exec(
          conn,
          "INSERT INTO CHANGES "
              + change(40, "d", 2, null, null)
              + " UNION ALL "
              + change(50, "u", 1, null, null));
      Awaitility.await("the dynamic table refreshed")
          .atMost(Duration.ofSeconds(10))
          .until(() -> rows(conn, "SELECT ID, NAME FROM LATEST ORDER BY ID").size() == 1);
      assertThat(rows(conn, "SELECT ID, NAME FROM LATEST"))
          .containsExactly(Arrays.asList("1", null));

      exec(
          conn,
          "CREATE OR REPLACE DYNAMIC TABLE LATEST TARGET_LAG = DOWNSTREAM WAREHOUSE = COMPUTE_WH AS"
              + " SELECT ID FROM ("
              + LATEST
              + ")");
      assertThat(rows(conn, "SELECT * FROM LATEST")).containsExactly(List.of("1"));
    }
  }

  /**
   * TARGET_LAG = DOWNSTREAM: Snowflake refreshes such a table only when a dynamic table that
   * depends on it refreshes (https://docs.snowflake.com/en/user-guide/dynamic-tables-target-lag),
   * and computes it when it is created. CREATE DYNAMIC TABLE IF NOT EXISTS leaves an existing table
   * as it is.
   */
  @Test
  void aDownstreamTableRefreshesOnlyForTheDynamicTablesThatDependOnIt() throws SQLException {
    try (Connection conn = connect()) {
      exec(
          conn,
          "CREATE TABLE BASE_ROWS (ID NUMBER)",
          "INSERT INTO BASE_ROWS VALUES (1)",
          "CREATE DYNAMIC TABLE MIDDLE TARGET_LAG = DOWNSTREAM WAREHOUSE = COMPUTE_WH AS"
              + " SELECT ID FROM BASE_ROWS",
          "INSERT INTO BASE_ROWS VALUES (2)");
      // Many refresh intervals (200 ms) pass: nothing depends on MIDDLE, so it keeps its content.
      Awaitility.await("MIDDLE left as created")
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(5))
          .until(() -> rows(conn, "SELECT ID FROM MIDDLE").equals(List.of(List.of("1"))));

      exec(
          conn,
          "CREATE DYNAMIC TABLE TOP TARGET_LAG = '1 minute' WAREHOUSE = COMPUTE_WH AS"
              + " SELECT ID FROM MIDDLE");
      Awaitility.await("MIDDLE refreshed for TOP")
          .atMost(Duration.ofSeconds(10))
          .until(() -> rows(conn, "SELECT ID FROM TOP ORDER BY ID").size() == 2);
      assertThat(rows(conn, "SELECT ID FROM MIDDLE ORDER BY ID"))
          .containsExactly(List.of("1"), List.of("2"));

      exec(
          conn,
          "CREATE DYNAMIC TABLE IF NOT EXISTS TOP TARGET_LAG = '2 minutes' WAREHOUSE = COMPUTE_WH"
              + " AS SELECT 0 AS ID");
      assertThat(rows(conn, "SHOW DYNAMIC TABLES LIKE 'TOP'"))
          .extracting(r -> r.get(4))
          .containsExactly("1 minute");
    }
  }

  @Test
  void binaryAndTemporalConversionsOfTheModels() throws SQLException {
    try (Connection conn = connect()) {
      assertThat(
              rows(
                  conn,
                  "SELECT BASE64_DECODE_BINARY('AQID'),"
                      + " DATEADD(DAY, 19000, '1970-01-01'::DATE)::DATE,"
                      + " DATEADD(MICROSECOND, 1700000000123456, '1970-01-01'::TIMESTAMP_NTZ(6))"
                      + "::TIMESTAMP_NTZ(6) = '2023-11-14 22:13:20.123456'::TIMESTAMP_NTZ,"
                      + " DATEDIFF(MICROSECOND, '00:00:00'::TIME, DATEADD(MICROSECOND, 3723000001,"
                      + " '00:00:00'::TIME(6))::TIME(6))"))
          .containsExactly(List.of("010203", "2022-01-08", "TRUE", "3723000001"));
      assertThat(
              rows(
                  conn,
                  "SELECT STRIP_NULL_VALUE(PARSE_JSON('{\"a\": null}'):\"a\") IS NULL,"
                      + " PARSE_JSON('{\"a\": null}'):\"a\" IS NULL,"
                      + " STRIP_NULL_VALUE(PARSE_JSON('{\"a\": [1]}'):\"a\")"))
          .containsExactly(List.of("TRUE", "FALSE", "[1]"));
    }
  }
}
