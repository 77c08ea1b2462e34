package io.pgsnow.emulator;

import static io.pgsnow.emulator.EmulatorClients.exec;
import static io.pgsnow.emulator.EmulatorClients.rows;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sessions that create the same objects at the same moment, as the tasks of one sink connector do
 * at their start. In Snowflake each DDL statement is atomic, so {@code CREATE ... IF NOT EXISTS}
 * succeeds in every session: one creates the object, the others find it
 * (https://docs.snowflake.com/en/sql-reference/sql/create-table: "IF NOT EXISTS ... the statement
 * succeeds without creating a new table if a table with the same name exists").
 */
class ConcurrentDdlIT {

  private static final int SESSIONS = 4;
  private static final int ROUNDS = 15;

  private static SnowflakeEmulator emulator;

  @BeforeAll
  static void start() throws SQLException {
    emulator = EmulatorClients.startWithDatabase("DDL_DB");
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  @Test
  void createIfNotExistsSucceedsInEverySessionThatRacesForIt() throws Exception {
    List<Connection> sessions = new ArrayList<>();
    ExecutorService threads = Executors.newFixedThreadPool(SESSIONS);
    try {
      for (int i = 0; i < SESSIONS; i++) {
        sessions.add(EmulatorClients.password(emulator, "DDL_DB", "PUBLIC"));
      }
      for (int round = 0; round < ROUNDS; round++) {
        String table = "EVENTS_" + round;
        String stage = "STAGE_" + round;
        CyclicBarrier start = new CyclicBarrier(SESSIONS);
        List<Future<Void>> results = new ArrayList<>();
        for (Connection session : sessions) {
          results.add(
              threads.submit(
                  () -> {
                    start.await();
                    exec(
                        session,
                        "create table if not exists "
                            + table
                            + " (record_metadata variant, record_content variant)",
                        "create stage if not exists " + stage);
                    return null;
                  }));
        }
        for (Future<Void> result : results) {
          result.get();
        }
        try (Connection conn = EmulatorClients.password(emulator, "DDL_DB", "PUBLIC")) {
          assertThat(rows(conn, "desc table " + table))
              .extracting(r -> r.get(0) + " " + r.get(1))
              .containsExactly("RECORD_METADATA VARIANT", "RECORD_CONTENT VARIANT");
        }
      }
    } finally {
      threads.shutdownNow();
      for (Connection session : sessions) {
        session.close();
      }
    }
  }
}
