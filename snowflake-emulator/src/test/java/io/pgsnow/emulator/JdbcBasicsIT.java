package io.pgsnow.emulator;

import static io.pgsnow.emulator.EmulatorClients.exec;
import static io.pgsnow.emulator.EmulatorClients.rows;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JdbcBasicsIT {

  private static SnowflakeEmulator emulator;

  @BeforeAll
  static void start() {
    emulator =
        SnowflakeEmulator.builder().user(EmulatorClients.USER, EmulatorClients.PASSWORD).start();
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  @Test
  void passwordLoginRunsDdlAndQueries() throws Exception {
    try (Connection conn = EmulatorClients.password(emulator)) {
      exec(
          conn,
          "CREATE DATABASE basics_db",
          "create table t (id number, name string)",
          "insert into t values (1, 'a'), (2, 'b')");
      assertThat(rows(conn, "select id, name from t order by id"))
          .containsExactly(java.util.List.of("1", "a"), java.util.List.of("2", "b"));
    }
  }
}
