package io.pgsnow.emulator;

import static io.pgsnow.emulator.EmulatorClients.exec;
import static io.pgsnow.emulator.EmulatorClients.rows;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A data directory keeps databases, tables, stages, pipes, users and load history. */
class PersistenceIT {

  @Test
  void stateSurvivesRestart(@TempDir Path dir) throws Exception {
    try (SnowflakeEmulator first =
        SnowflakeEmulator.builder()
            .dataDirectory(dir)
            .user(EmulatorClients.USER, EmulatorClients.PASSWORD)
            .start()) {
      try (Connection conn = EmulatorClients.password(first)) {
        exec(
            conn,
            "create database keep_db",
            "create table t (v variant)",
            "insert into t select parse_json('{\"k\": 1}')",
            "create stage st",
            "create pipe pp as copy into t from @st file_format = (type = 'json')");
        DriverApi.uploadStream(
            conn,
            "st",
            "",
            new ByteArrayInputStream("{\"k\": 2}".getBytes(StandardCharsets.UTF_8)),
            "f.json",
            false);
        exec(conn, "copy into t from @st file_format = (type = json)");
      }
    }
    try (SnowflakeEmulator second = SnowflakeEmulator.builder().dataDirectory(dir).start();
        Connection conn = EmulatorClients.password(second, "KEEP_DB", "PUBLIC")) {
      assertThat(rows(conn, "select v:k::number from t order by 1"))
          .containsExactly(List.of("1"), List.of("2"));
      assertThat(rows(conn, "list @st")).extracting(r -> r.get(0)).containsExactly("st/f.json");
      assertThat(rows(conn, "show pipes")).extracting(r -> r.get(1)).containsExactly("PP");
      assertThat(rows(conn, "copy into t from @st file_format = (type = json)").get(0).get(0))
          .isEqualTo("Copy executed with 0 files processed.");
    }
  }
}
