package io.pgsnow.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgsnow.testkit.ConnectCluster;
import io.pgsnow.testkit.LocalPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bad situations of a snapshot, through a real Connect worker and PostgreSQL: a table dropped
 * while the snapshot runs, a SELECT override, the stop-snapshot signal, an incremental snapshot of
 * a table without a primary key, a user without SELECT, and a slot that loses its WAL while the
 * snapshot runs. Each ends in a clear error or a logged skip, and nothing else is lost.
 */
class SnapshotFaultsIT {
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

  /**
   * Makes the snapshot of {@code table} read it through a SELECT override that waits for advisory
   * lock {@code lock}: while the test holds it, a reader stays inside that table.
   */
  private static void holdSnapshotOf(Map<String, String> config, String table, int lock) {
    config.put("snapshot.select.statement.overrides", "public." + table);
    config.put(
        "snapshot.select.statement.overrides.public." + table,
        "SELECT * FROM "
            + table
            + " WHERE (SELECT count(*) FROM (SELECT pg_advisory_lock_shared("
            + lock
            + ")) l) > 0");
  }

  @Test
  void aTableDroppedDuringTheSnapshotFailsTheTaskClearlyAndTheRestartLosesNothingElse()
      throws Exception {
    String db = "snap_dropped";
    pg.createDatabase(db);
    pg.executeIn(
        db,
        "CREATE TABLE a_kept (id int PRIMARY KEY, v text)",
        "CREATE TABLE b_victim (id int PRIMARY KEY, v text)",
        "INSERT INTO a_kept SELECT g, 'k' || g FROM generate_series(1, 3000) g",
        "INSERT INTO b_victim SELECT g, 'v' FROM generate_series(1, 100) g");
    Map<String, String> config = SourceItSupport.connectorConfig(pg, db, db);
    config.put("snapshot.max.threads", "1");
    holdSnapshotOf(config, "a_kept", 71);
    config.put("key.converter.schemas.enable", "false");
    config.put("value.converter.schemas.enable", "false");
    CompletableFuture<Void> drop;
    try (Connection holder = pg.connect(db);
        Statement hold = holder.createStatement()) {
      hold.execute("SELECT pg_advisory_lock(71)");
      connect.createConnector(db, config);
      awaitWaiting(db, "advisory");
      // The reader waits inside a_kept; nobody has read b_victim yet.
      drop = CompletableFuture.runAsync(() -> pg.executeIn(db, "DROP TABLE b_victim"));
      awaitWaiting(db, "relation");
      hold.execute("SELECT pg_advisory_unlock(71)");
    }
    Awaitility.await("the task fails")
        .atMost(Duration.ofMinutes(1))
        .ignoreExceptions()
        .until(() -> !connect.failedTaskTrace(db).isEmpty());
    assertThat(connect.failedTaskTrace(db))
        .contains("The snapshot stopped at table public.b_victim")
        .contains("DROP TABLE")
        .contains("restart the task");
    drop.get(30, TimeUnit.SECONDS);

    connect.connect().restartTask(db, 0);
    connect.awaitRunning(db, 1, Duration.ofSeconds(60));
    pg.awaitSlotActive(db, db + "_slot");
    pg.executeIn(
        db, "INSERT INTO a_kept VALUES (5000, 'after'); UPDATE a_kept SET v = 'u' WHERE id = 7");
    Map<Integer, String> expected = rows(db, "SELECT id, v FROM a_kept");
    Awaitility.await("a_kept's topic equals the table")
        .atMost(Duration.ofMinutes(1))
        .ignoreExceptions()
        .until(() -> latest(db + ".public.a_kept", "v").equals(expected));
    assertThat(connect.failedTaskTrace(db)).isEmpty();
    connect.connect().deleteConnector(db);
  }

  @Test
  void aSelectOverrideFiltersTheSnapshotAndTheStreamStillCarriesEveryChange() throws Exception {
    String db = "snap_override";
    pg.createDatabase(db);
    pg.executeIn(
        db,
        "CREATE TABLE orders (id int PRIMARY KEY, year int NOT NULL)",
        "CREATE TABLE other (id int PRIMARY KEY)",
        "INSERT INTO orders SELECT g, 2000 + g % 30 FROM generate_series(1, 3000) g",
        "INSERT INTO other SELECT g FROM generate_series(1, 10) g");
    Map<String, String> config = SourceItSupport.connectorConfig(pg, db, db);
    config.put("snapshot.select.statement.overrides", "public.orders");
    config.put(
        "snapshot.select.statement.overrides.public.orders",
        "SELECT * FROM public.orders WHERE year >= 2025");
    config.put("key.converter.schemas.enable", "false");
    config.put("value.converter.schemas.enable", "false");
    connect.createConnector(db, config);
    connect.awaitRunning(db, 1, Duration.ofSeconds(60));
    Map<Integer, String> recent = rows(db, "SELECT id, year FROM orders WHERE year >= 2025");
    assertThat(recent).hasSize(500);
    Awaitility.await("the filtered snapshot")
        .atMost(Duration.ofMinutes(1))
        .ignoreExceptions()
        .until(() -> latest(db + ".public.orders", "year").equals(recent));
    assertThat(latest(db + ".public.other", "id")).hasSize(10);
    pg.awaitSlotActive(db, db + "_slot");
    pg.executeIn(db, "UPDATE orders SET year = 2001 WHERE id = 1");
    Awaitility.await("a change of a filtered-out row")
        .atMost(Duration.ofMinutes(1))
        .ignoreExceptions()
        .until(() -> "2001".equals(latest(db + ".public.orders", "year").get(1)));
    assertThat(values(db + ".public.orders"))
        .filteredOn(v -> "r".equals(v.get("op").asText()))
        .hasSize(500);
    connect.connect().deleteConnector(db);
  }

  @Test
  void aStopSnapshotSignalEndsTheIncrementalSnapshotWhileStreamingGoesOn() throws Exception {
    String db = "snap_stop";
    pg.createDatabase(db);
    pg.executeIn(
        db,
        "CREATE TABLE orders (id int PRIMARY KEY, v int NOT NULL)",
        "CREATE TABLE dbz_signal (id varchar(64) PRIMARY KEY, type varchar(32), data text)",
        "INSERT INTO orders SELECT g, 0 FROM generate_series(1, 100000) g");
    Map<String, String> config = signalConfig(db, "no_data");
    config.put("incremental.snapshot.chunk.size", "100");
    connect.createConnector(db, config);
    connect.awaitRunning(db, 1, Duration.ofSeconds(60));
    pg.awaitSlotActive(db, db + "_slot");
    String topic = db + ".public.orders";
    signal(db, "s1", "execute-snapshot", "public.orders");
    Awaitility.await("the incremental snapshot runs")
        .atMost(Duration.ofMinutes(1))
        .ignoreExceptions()
        .until(() -> endOffset(topic) >= 1000);
    try (LogCapture log = new LogCapture("io.pgsnow.source.snapshot")) {
      signal(db, "s2", "stop-snapshot", "public.orders");
      // Logged between chunks: the rows of the chunk read last are queued by then.
      Awaitility.await("the stop handled")
          .atMost(Duration.ofMinutes(2))
          .until(
              () ->
                  log.lines().stream()
                      .anyMatch(
                          l -> l.contains("Stopped incremental snapshots of [public.orders]")));
    }
    pg.executeIn(db, "UPDATE orders SET v = 1 WHERE id = 99999");
    AtomicReference<List<JsonNode>> records = new AtomicReference<>(List.of());
    Awaitility.await("streaming goes on")
        .atMost(Duration.ofMinutes(1))
        .ignoreExceptions()
        .until(
            () -> {
              records.set(values(topic));
              return records.get().stream().anyMatch(v -> "u".equals(v.get("op").asText()));
            });
    // The update is the last record: no snapshot row came after the stop; and the snapshot did
    // not read the whole table.
    List<JsonNode> all = records.get();
    assertThat(all.get(all.size() - 1).get("op").asText()).isEqualTo("u");
    assertThat(all).hasSizeLessThan(100_000);
    assertThat(connect.failedTaskTrace(db)).isEmpty();
    connect.connect().deleteConnector(db);
  }

  @Test
  void aTableWithoutPrimaryKeyIsSnapshottedButItsIncrementalSnapshotIsRefusedByName()
      throws Exception {
    String db = "snap_nokey";
    pg.createDatabase(db);
    pg.executeIn(
        db,
        "CREATE TABLE nokey (v text)",
        "CREATE TABLE dbz_signal (id varchar(64) PRIMARY KEY, type varchar(32), data text)",
        "INSERT INTO nokey SELECT 'n' || g FROM generate_series(1, 50) g");
    connect.createConnector(db, signalConfig(db, "initial"));
    connect.awaitRunning(db, 1, Duration.ofSeconds(60));
    String topic = db + ".public.nokey";
    Awaitility.await("the initial snapshot of the keyless table")
        .atMost(Duration.ofMinutes(1))
        .ignoreExceptions()
        .until(() -> endOffset(topic) == 50);
    assertThat(values(topic)).extracting(v -> v.get("op").asText()).containsOnly("r");
    pg.awaitSlotActive(db, db + "_slot");
    try (LogCapture log = new LogCapture("io.pgsnow.source.snapshot")) {
      signal(db, "s1", "execute-snapshot", "public.nokey");
      Awaitility.await("the refusal naming the table")
          .atMost(Duration.ofMinutes(1))
          .until(
              () ->
                  log.lines().stream()
                      .anyMatch(
                          l ->
                              l.startsWith("ERROR Table public.nokey has no primary key")
                                  && l.contains("REPLICA IDENTITY USING INDEX")));
    }
    pg.executeIn(db, "INSERT INTO nokey VALUES ('streamed')");
    Awaitility.await("streaming goes on, and no incremental row came")
        .atMost(Duration.ofMinutes(1))
        .ignoreExceptions()
        .until(() -> endOffset(topic) == 51);
    assertThat(values(topic).get(50).get("op").asText()).isEqualTo("c");
    assertThat(connect.failedTaskTrace(db)).isEmpty();
    connect.connect().deleteConnector(db);
  }

  @Test
  void aUserWithoutSelectOnATableIsRejectedOnTheUserByValidate() {
    String db = "snap_validate_select";
    pg.createDatabase(db);
    pg.executeIn(
        db,
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'snap_partial') THEN"
            + " CREATE ROLE snap_partial LOGIN REPLICATION PASSWORD 'partial-pw'; END IF; END $$",
        "CREATE TABLE open_rows (id int PRIMARY KEY)",
        "CREATE TABLE secret (id int PRIMARY KEY)",
        "GRANT SELECT ON open_rows TO snap_partial",
        "CREATE PUBLICATION snap_validate_select_pub FOR ALL TABLES");
    Map<String, String> config = SourceItSupport.connectorConfig(pg, db, db);
    config.put("database.user", "snap_partial");
    config.put("database.password", "partial-pw");
    config.put("publication.autocreate.mode", "disabled");
    assertThat(errors(config))
        .containsOnlyKeys("database.user")
        .extractingByKey("database.user")
        .asString()
        .contains("lacks SELECT on public.secret")
        .contains("snapshot.mode=initial")
        .contains("GRANT SELECT ON public.secret TO snap_partial")
        .doesNotContain("open_rows");
    config.put("snapshot.include.collection.list", "public\\.open_rows");
    assertThat(errors(config)).isEmpty();
    config.remove("snapshot.include.collection.list");
    config.put("snapshot.mode", "no_data");
    assertThat(errors(config)).isEmpty();
  }

  @Test
  void aSlotThatLosesItsWalDuringTheSnapshotFailsTheTaskInsteadOfStreamingWithAGap()
      throws Exception {
    try (LocalPostgres own = LocalPostgres.builder().start()) {
      String db = "snap_lost_wal";
      own.createDatabase(db);
      own.execute("ALTER SYSTEM SET max_slot_wal_keep_size = '1MB'", "SELECT pg_reload_conf()");
      own.executeIn(
          db,
          "CREATE TABLE held (id int PRIMARY KEY, v text)",
          "CREATE TABLE filler (id int, pad text)",
          "INSERT INTO held SELECT g, 'h' FROM generate_series(1, 100) g");
      Map<String, String> config = SourceItSupport.connectorConfig(own, db, db);
      config.put("table.include.list", "public.held");
      holdSnapshotOf(config, "held", 72);
      try (Connection holder = own.connect(db);
          Statement hold = holder.createStatement()) {
        hold.execute("SELECT pg_advisory_lock(72)");
        connect.createConnector(db, config);
        awaitWaiting(own, db, "advisory");
        // The snapshot is under way; the server writes far more WAL than the slot may keep.
        own.executeIn(
            db,
            "INSERT INTO filler SELECT g, repeat('x', 2000) FROM generate_series(1, 40000) g",
            "SELECT pg_switch_wal()",
            "CHECKPOINT");
        Awaitility.await("the slot lost its WAL")
            .atMost(Duration.ofMinutes(1))
            .until(() -> "lost".equals(slotStatus(own, db, db + "_slot")));
        hold.execute("SELECT pg_advisory_unlock(72)");
      }
      Awaitility.await("the task fails")
          .atMost(Duration.ofMinutes(1))
          .ignoreExceptions()
          .until(() -> !connect.failedTaskTrace(db).isEmpty());
      assertThat(connect.failedTaskTrace(db))
          .contains("Replication slot " + db + "_slot lost WAL")
          .contains("max_slot_wal_keep_size");
      connect.connect().deleteConnector(db);
    }
  }

  private static Map<String, String> signalConfig(String db, String mode) {
    Map<String, String> config = SourceItSupport.connectorConfig(pg, db, db);
    config.put("snapshot.mode", mode);
    config.put("signal.data.collection", "public.dbz_signal");
    config.put("publication.autocreate.mode", "filtered");
    config.put("key.converter.schemas.enable", "false");
    config.put("value.converter.schemas.enable", "false");
    return config;
  }

  private static void signal(String db, String id, String type, String table) {
    pg.executeIn(
        db,
        "INSERT INTO dbz_signal VALUES ('"
            + id
            + "', '"
            + type
            + "', '{\"data-collections\": [\""
            + table
            + "\"], \"type\": \"incremental\"}')");
  }

  private static void awaitWaiting(String db, String lockType) {
    awaitWaiting(pg, db, lockType);
  }

  /** Waits until a session of {@code db} waits for a lock of {@code lockType}. */
  private static void awaitWaiting(LocalPostgres server, String db, String lockType) {
    Awaitility.await("a session waiting for a " + lockType + " lock")
        .atMost(Duration.ofMinutes(1))
        .until(
            () -> {
              try (Connection c = server.connect(db);
                  Statement s = c.createStatement();
                  ResultSet rs =
                      s.executeQuery(
                          "SELECT count(*) FROM pg_locks WHERE NOT granted AND locktype = '"
                              + lockType
                              + "'")) {
                rs.next();
                return rs.getInt(1) > 0;
              }
            });
  }

  private static String slotStatus(LocalPostgres server, String db, String slot) throws Exception {
    try (Connection c = server.connect(db);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT wal_status FROM pg_replication_slots WHERE slot_name = '" + slot + "'")) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private static Map<String, String> errors(Map<String, String> config) {
    return SourceItSupport.validationErrors(connect, config);
  }

  private static Map<Integer, String> rows(String db, String sql) throws Exception {
    Map<Integer, String> rows = new HashMap<>();
    try (Connection c = pg.connect(db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        rows.put(rs.getInt(1), rs.getString(2));
      }
    }
    return rows;
  }

  private static long endOffset(String topic) throws Exception {
    return connect.kafka().endOffset(new TopicPartition(topic, 0));
  }

  private static List<JsonNode> values(String topic) throws Exception {
    return SourceItSupport.values(connect, topic);
  }

  /** The latest value of {@code column} per id in the topic, deletes applied. */
  private static Map<Integer, String> latest(String topic, String column) throws Exception {
    Map<Integer, String> latest = new HashMap<>();
    for (JsonNode value : values(topic)) {
      JsonNode row =
          "d".equals(value.get("op").asText()) ? value.get("before") : value.get("after");
      int id = row.get("id").asInt();
      if ("d".equals(value.get("op").asText())) {
        latest.remove(id);
      } else {
        latest.put(id, row.get(column).asText());
      }
    }
    return latest;
  }
}
