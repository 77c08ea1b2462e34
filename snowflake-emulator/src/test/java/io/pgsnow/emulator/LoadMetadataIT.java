package io.pgsnow.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bulk load metadata through the driver, as Snowflake documents it:
 *
 * <ul>
 *   <li>https://docs.snowflake.com/en/user-guide/data-load-considerations-load — "Snowflake
 *       maintains detailed metadata for each table into which data is loaded … This load metadata
 *       expires after 64 days"; a file already loaded into the table is skipped unless FORCE.
 *   <li>https://docs.snowflake.com/en/sql-reference/sql/truncate-table — TRUNCATE "also deletes the
 *       load metadata for the table, which allows the same files to be loaded into the table again
 *       after the command completes".
 *   <li>https://docs.snowflake.com/en/sql-reference/sql/create-table — CREATE OR REPLACE drops the
 *       existing table and creates a new one, which has no load metadata.
 * </ul>
 */
class LoadMetadataIT {

  private static final String NOTHING = "Copy executed with 0 files processed.";
  private static final String COPY =
      "copy into events from @files/day1 file_format = (type = json)"
          + " match_by_column_name = case_insensitive";

  private static SnowflakeEmulator emulator;

  @BeforeAll
  static void start() throws SQLException {
    emulator =
        SnowflakeEmulator.builder().user(EmulatorClients.USER, EmulatorClients.PASSWORD).start();
    try (Connection conn = EmulatorClients.password(emulator);
        Statement st = conn.createStatement()) {
      st.execute("create database load_db");
    }
    try (Connection conn = connect()) {
      exec(conn, "create stage files");
      DriverApi.uploadStream(
          conn,
          "files",
          "day1",
          new ByteArrayInputStream("{\"id\": 1}\n{\"id\": 2}".getBytes(StandardCharsets.UTF_8)),
          "events.json",
          false);
    }
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  private static Connection connect() throws SQLException {
    return EmulatorClients.password(emulator, "LOAD_DB", "PUBLIC");
  }

  @Test
  void aLoadedFileIsSkippedUntilTheTableIsTruncated() throws SQLException {
    try (Connection conn = connect()) {
      exec(conn, "create or replace table events (id number)");
      assertThat(firstColumn(conn, COPY)).containsExactly("files/day1/events.json");
      assertThat(firstColumn(conn, COPY)).containsExactly(NOTHING);
      assertThat(firstColumn(conn, COPY + " force = true"))
          .containsExactly("files/day1/events.json");
      assertThat(firstColumn(conn, "select count(*) from events")).containsExactly("4");

      exec(conn, "truncate table events");
      assertThat(firstColumn(conn, "select count(*) from events")).containsExactly("0");
      assertThat(firstColumn(conn, COPY)).containsExactly("files/day1/events.json");
      assertThat(firstColumn(conn, "select count(*) from events")).containsExactly("2");
      exec(conn, "truncate events");
      assertThat(firstColumn(conn, COPY)).containsExactly("files/day1/events.json");
    }
  }

  @Test
  void aReplacedTableLoadsTheSameFilesAgain() throws SQLException {
    try (Connection conn = connect()) {
      exec(conn, "create or replace table events (id number)");
      assertThat(firstColumn(conn, COPY)).containsExactly("files/day1/events.json");
      exec(conn, "create or replace table events (id number)");
      assertThat(firstColumn(conn, COPY)).containsExactly("files/day1/events.json");
      assertThat(firstColumn(conn, "select count(*) from events")).containsExactly("2");
    }
  }

  /**
   * The load history keeps COPY INTO's loads through TRUNCATE and loses them with the table
   * (https://docs.snowflake.com/en/sql-reference/functions/copy_history,
   * https://docs.snowflake.com/en/sql-reference/info-schema/load_history).
   */
  @Test
  void theLoadHistoryKeepsEachCopyUntilTheTableIsDropped() throws SQLException {
    String copy = COPY.replace("copy into events", "copy into history_events");
    String copyHistory =
        "select file_name, status, row_count, row_parsed, table_catalog_name, table_schema_name,"
            + " table_name, pipe_name from table(information_schema.copy_history("
            + "table_name => 'HISTORY_EVENTS', start_time => dateadd(hours, -1,"
            + " current_timestamp())))";
    String loadHistory =
        "select schema_name, file_name, table_name, status, row_count, error_count"
            + " from load_db.information_schema.load_history where table_name = 'HISTORY_EVENTS'";
    try (Connection conn = connect()) {
      exec(conn, "create or replace table history_events (id number)");
      assertThat(firstColumn(conn, copy)).containsExactly("files/day1/events.json");
      assertThat(firstColumn(conn, copy)).containsExactly(NOTHING);
      exec(conn, "truncate table history_events");
      assertThat(firstColumn(conn, copy)).containsExactly("files/day1/events.json");

      List<String> loaded =
          Arrays.asList(
              "day1/events.json", "Loaded", "2", "2", "LOAD_DB", "PUBLIC", "HISTORY_EVENTS", null);
      assertThat(EmulatorClients.rows(conn, copyHistory)).containsExactly(loaded, loaded);
      List<String> view =
          List.of("PUBLIC", "day1/events.json", "HISTORY_EVENTS", "LOADED", "2", "0");
      assertThat(EmulatorClients.rows(conn, loadHistory)).containsExactly(view, view);
      assertThat(
              firstColumn(
                  conn,
                  "select count(*) from table(load_db.information_schema.copy_history("
                      + "table_name => 'LOAD_DB.PUBLIC.HISTORY_EVENTS',"
                      + " start_time => dateadd(hours, -1, current_timestamp()),"
                      + " end_time => dateadd(hours, -2, current_timestamp())))"))
          .containsExactly("0");

      exec(conn, "create or replace table history_events (id number)");
      assertThat(EmulatorClients.rows(conn, copyHistory)).isEmpty();
      assertThat(EmulatorClients.rows(conn, loadHistory)).isEmpty();
    }
  }

  @Test
  void truncateOfAMissingTableFailsUnlessIfExists() throws SQLException {
    try (Connection conn = connect()) {
      exec(conn, "truncate table if exists no_such_table");
      try (Statement st = conn.createStatement()) {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> st.execute("truncate table no_such_table"))
            .isInstanceOfSatisfying(
                SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(2003));
      }
    }
  }

  private static void exec(Connection conn, String sql) throws SQLException {
    try (Statement st = conn.createStatement()) {
      st.execute(sql);
    }
  }

  private static List<String> firstColumn(Connection conn, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
