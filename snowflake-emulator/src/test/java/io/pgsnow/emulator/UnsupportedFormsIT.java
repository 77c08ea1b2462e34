package io.pgsnow.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Statements the emulator does not implement fail through the driver with Snowflake's
 * unsupported-feature shape (002040, SQLSTATE 0A000), never with a success message; the few it
 * accepts and ignores (listed in its README) still answer success.
 */
class UnsupportedFormsIT {

  private static SnowflakeEmulator emulator;

  /** The session the refused forms run in: a statement that fails changes nothing in it. */
  private static Connection refused;

  @BeforeAll
  static void start() throws SQLException {
    emulator = EmulatorClients.startWithDatabase("FORMS_DB");
    refused = EmulatorClients.password(emulator, "FORMS_DB", "PUBLIC");
  }

  @AfterAll
  static void stop() throws SQLException {
    refused.close();
    emulator.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "create sequence seq1",
        "create file format ff type = json",
        "create task t1 as select 1",
        "create stream s1 on table t",
        "alter pipe p1 refresh",
        "alter stage st1 set url = 'x'",
        "alter schema public rename to other",
        "drop user someone",
        "drop sequence seq1",
        "show warehouses",
        "show file formats",
        "call my_procedure()",
        "explain select 1",
        "set v = 1",
        "undrop table t",
        "create dynamic table dt1 target_lag = '1 minute' warehouse = wh refresh_mode = full"
            + " as select 1 as a",
        "create dynamic table dt1 target_lag = '1 minute' warehouse = wh initialize = on_schedule"
            + " as select 1 as a",
        "create dynamic table dt1 target_lag = '1 minute' warehouse = wh cluster by (a)"
            + " as select 1 as a",
        "create dynamic table dt1 target_lag = '1 minute' warehouse = wh comment = 'x'"
            + " as select 1 as a",
        "create dynamic table dt1 (a) target_lag = '1 minute' warehouse = wh as select 1 as a",
        "create temporary table tt1 (a int)",
        "create database db1 clone forms_db",
        "create schema s1 with managed access",
        "create stage st1 url = 's3://bucket/path'",
        "create stage st1 file_format = (type = json)",
        "create view v1 (x) as select 1 as a",
        "create pipe p1 auto_ingest = true as copy into t from @st",
        "copy into t from @st file_format = (type = json) purge = true",
        "copy into t from @st file_format = (type = json) validation_mode = return_errors",
        "copy into t from @st file_format = (format_name = my_format)",
        "copy into t from @st file_format = (type = json strip_null_values = true)",
        "copy into t from @st file_format = (type = json) on_error = skip_file_3",
        "copy into t from @st file_format = (type = csv)",
        "copy into @st from forms_db.public.t",
        "select * from t at(offset => -60)",
        "select * from t before(statement => '01a2b3c4')",
        "select * from t changes(information => default) at(offset => -60)",
        "show tables limit 1",
        "show tables starts with 'A'",
        "drop schema public restrict",
        "revoke usage on database forms_db from role sysadmin",
        "drop role sysadmin",
        "alter role sysadmin rename to other",
        "create or replace role r9",
        "use secondary roles all",
        "grant all on schema public to role sysadmin",
        "grant select on table t to role sysadmin",
        "grant ownership on table t to role sysadmin",
        "grant usage on future schemas in database forms_db to role sysadmin",
        "grant usage on database forms_db to role sysadmin with grant option",
        "grant usage on database forms_db to share s1",
        "grant role sysadmin to role accountadmin"
      })
  void failsWithTheUnsupportedFeatureError(String sql) throws SQLException {
    SQLException e = failure(sql);
    assertThat(e.getErrorCode()).isEqualTo(2040);
    assertThat(e.getSQLState()).isEqualTo("0A000");
    assertThat(e.getMessage())
        .contains("Unsupported feature")
        .contains("pgsnow Snowflake emulator does not implement it");
  }

  /** What DuckDB refuses answers with Snowflake's code, chosen by DuckDB's error type. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "select no_such_function(1)        | 2140   | Unknown function NO_SUCH_FUNCTION",
        "select 'abc'::integer             | 100038 | abc"
      })
  void engineFailuresMapToSnowflakeCodes(String sql, int code, String message) throws SQLException {
    SQLException e = failure(sql);
    assertThat(e.getErrorCode()).isEqualTo(code);
    assertThat(e.getMessage()).contains(message).doesNotContain("exception_type");
  }

  /** The driver's exception for {@code sql}, which must fail. */
  private static SQLException failure(String sql) throws SQLException {
    try (Statement st = refused.createStatement()) {
      SQLException e = catchThrowableOfType(SQLException.class, () -> st.execute(sql));
      assertThat((Throwable) e).as("the failure of %s", sql).isNotNull();
      return e;
    }
  }

  @Test
  void acceptedAndIgnoredFormsStillSucceed() throws SQLException {
    try (Connection conn = EmulatorClients.password(emulator, "FORMS_DB", "PUBLIC");
        Statement st = conn.createStatement()) {
      for (String sql :
          new String[] {
            "alter session set timezone = 'UTC'",
            "create warehouse wh1",
            "alter warehouse wh1 set warehouse_size = 'XSMALL'",
            "drop warehouse wh1",
            "create role r1",
            "grant usage on warehouse wh1 to role r1",
            "begin",
            "commit",
            "create dynamic table dt2 target_lag = '1 minute' warehouse = any_wh as select 1 as a",
            "create dynamic table if not exists dt2 target_lag = downstream warehouse = other_wh"
                + " as select 2 as a",
            "create transient table tr1 (a int)",
            "create secure view sv1 as select 1 as a",
            "create view v2 comment = 'x' copy grants as select 1 as a",
            "create stage st2 comment = 'x'",
            "create table pt (a variant)",
            "create pipe pp comment = 'x' as copy into pt from @st2 file_format = (type = json)",
            "copy into pt from @st2 file_format = (type = json, compression = gzip)",
            "create user u2 password = 'p2' default_role = r1 login_name = 'u2'",
            "alter user u2 set display_name = 'U 2'",
            "use role sysadmin",
            "use warehouse wh1",
            "start transaction",
            "rollback",
            "alter dynamic table dt2 suspend",
            "show terse tables",
            // last: each makes itself current (and the drop removes the current schema)
            "create schema s2 data_retention_time_in_days = 1 comment = 'x'",
            "drop schema s2 cascade",
            "create database db2 max_data_extension_time_in_days = 1"
          }) {
        assertThatCode(() -> st.execute(sql)).as(sql).doesNotThrowAnyException();
      }
    }
  }

  /**
   * TARGET_LAG and WAREHOUSE are required and TARGET_LAG is at least one minute
   * (https://docs.snowflake.com/en/user-guide/dynamic-tables/target-lag: "The minimum target lag is
   * 60 seconds. Values below this fail validation").
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "create dynamic table dt3 warehouse = wh as select 1 as a",
        "create dynamic table dt3 target_lag = '1 minute' as select 1 as a",
        "create dynamic table dt3 target_lag = '59 seconds' warehouse = wh as select 1 as a",
        "create dynamic table dt3 target_lag = 'soon' warehouse = wh as select 1 as a",
        "create dynamic table dt3 target_lag = upstream warehouse = wh as select 1 as a"
      })
  void dynamicTableOptionsSnowflakeRejectsFailAsCompilationErrors(String sql) throws SQLException {
    SQLException e = failure(sql);
    assertThat(e.getErrorCode()).isEqualTo(1003);
    assertThat(e.getMessage())
        .startsWith("SQL compilation error")
        .matches("(?s).*(Missing option\\(s\\): \\[\\w+]|parameter 'TARGET_LAG').*");
    try (Connection conn = EmulatorClients.password(emulator, "FORMS_DB", "PUBLIC")) {
      assertThat(EmulatorClients.rows(conn, "show dynamic tables like 'DT3'")).isEmpty();
    }
  }
}
