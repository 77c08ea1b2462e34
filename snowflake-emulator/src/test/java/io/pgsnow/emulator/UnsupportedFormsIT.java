package io.pgsnow.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Statements the emulator does not implement fail through the driver with Snowflake's
 * unsupported-feature shape (002040, SQLSTATE 0A000), never with a success message; the few it
 * accepts and ignores (listed in its README) still answer success.
 */
class UnsupportedFormsIT {

  private static SnowflakeEmulator emulator;

  @BeforeAll
  static void start() throws SQLException {
    emulator =
        SnowflakeEmulator.builder().user(EmulatorClients.USER, EmulatorClients.PASSWORD).start();
    try (Connection conn = EmulatorClients.password(emulator);
        Statement st = conn.createStatement()) {
      st.execute("CREATE DATABASE FORMS_DB");
    }
  }

  @AfterAll
  static void stop() {
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
        "undrop table t"
      })
  void failsWithTheUnsupportedFeatureError(String sql) throws SQLException {
    try (Connection conn = EmulatorClients.password(emulator, "FORMS_DB", "PUBLIC");
        Statement st = conn.createStatement()) {
      assertThatThrownBy(() -> st.execute(sql))
          .isInstanceOfSatisfying(
              SQLException.class,
              e -> {
                assertThat(e.getErrorCode()).isEqualTo(2040);
                assertThat(e.getSQLState()).isEqualTo("0A000");
                assertThat(e.getMessage())
                    .contains("Unsupported feature")
                    .contains("pgsnow Snowflake emulator does not implement it");
              });
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
            "grant usage on database forms_db to role r1",
            "revoke usage on database forms_db from role r1",
            "drop role r1",
            "begin",
            "commit"
          }) {
        assertThatCode(() -> st.execute(sql)).as(sql).doesNotThrowAnyException();
      }
    }
  }
}
