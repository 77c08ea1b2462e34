package io.pgsnow.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgsnow.testkit.ConnectCluster;
import io.pgsnow.testkit.ConnectWorkerProcess;
import io.pgsnow.testkit.LocalPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorOffset;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A table of 1,000,000 rows is snapshotted in parallel chunks while writers insert, update and
 * delete rows; in the middle of the snapshot its worker is killed (SIGKILL: nothing committed since
 * the last periodic flush). Afterwards the topic's latest record per key equals the table exactly,
 * and the chunks finished before the interruption were not read again. The same with a table of
 * 300,000 rows whose task is restarted (gracefully: offsets committed), and with the snapshot of
 * 100,000 rows spread over two tasks, one of them restarted, or the connector restarted.
 */
class SnapshotResumeIT {
  private static final int ROWS = 1_000_000;

  /**
   * The graceful restart reads 300,000 rows (12 chunks of 256 blocks for 4 threads: chunks done and
   * chunks to do at half way); the killed worker's case keeps the 1,000,000 rows.
   */
  private static final int ROWS_RESTARTED = 300_000;

  private static final int ROWS_SPREAD = 100_000;

  @Test
  void aSnapshotWhoseTaskIsRestartedMidwayResumesAndEndsExactlyAsTheTable() throws Exception {
    interrupted(
        "snap_resume",
        ROWS_RESTARTED,
        config -> config,
        (connect, db) -> connect.restartTask(db, 0));
  }

  /**
   * {@code tasks.max=2}: the snapshot is spread over two tasks importing the connector's exported
   * snapshot; task 1 is restarted midway, imports the same snapshot again and reads the chunks it
   * had not finished, and task 0 streams only once both tasks' chunks are in Kafka.
   */
  @Test
  void aSnapshotSpreadOverTwoTasksOneRestartedMidwayEndsExactlyAsTheTable() throws Exception {
    List<ConnectorOffset> offsets =
        interrupted(
            "snap_tasks",
            ROWS_SPREAD,
            SnapshotResumeIT::spreadOverTwoTasks,
            (c, db) -> c.restartTask(db, 1));
    // Task 1 read chunks: its progress is in the offsets of its own source partition.
    assertThat(offsets)
        .anySatisfy(
            o -> assertThat(String.valueOf(o.partition().get("snapshot_task"))).isEqualTo("1"));
  }

  /**
   * {@code tasks.max=2}, and the connector itself restarts midway: its exported snapshot is gone,
   * so the new task 0 (alone now) reads the chunks neither task had finished between watermarks
   * while streaming.
   */
  @Test
  void aSnapshotSpreadOverTwoTasksWhoseConnectorRestartsMidwayEndsExactlyAsTheTable()
      throws Exception {
    interrupted(
        "snap_tasks_restart",
        ROWS_SPREAD,
        SnapshotResumeIT::spreadOverTwoTasks,
        (c, db) -> c.restartConnector(db));
  }

  /**
   * The worker is killed with SIGKILL in the middle of the snapshot: no task is stopped and no
   * offset flushed, so the records sent since the last offset commit are in Kafka while the offsets
   * do not cover them. Another worker takes the connector over.
   */
  @Test
  void aSnapshotWhoseWorkerIsKilledMidwayResumesAndEndsExactlyAsTheTable() throws Exception {
    String db = "snap_killed";
    // The shared cluster provides the broker; the connector runs on worker processes.
    try (ConnectCluster broker = SourceItSupport.sharedCluster()) {
      ConnectWorkerProcess.Builder worker =
          ConnectWorkerProcess.onThisClassPath()
              .workDirectory(Path.of("target", db, "first"))
              .bootstrapServers(broker.bootstrapServers())
              .pluginPath(SourceItSupport.PLUGINS)
              .property("group.id", db)
              .property("config.storage.topic", db + "-configs")
              .property("offset.storage.topic", db + "-offsets")
              .property("status.storage.topic", db + "-status")
              .property("offset.flush.interval.ms", "2000")
              .property("plugin.discovery", "service_load")
              // Hand the killed worker's task to the new one soon, not after five minutes.
              .property("scheduled.rebalance.max.delay.ms", "5000");
      ConnectWorkerProcess[] current = {worker.start()};
      try {
        run(
            broker,
            db,
            ROWS,
            config -> current[0].put("/connectors/" + db + "/config", json(config)),
            () -> {
              current[0].kill();
              current[0] = worker.workDirectory(Path.of("target", db, "restarted")).start();
            });
        assertThat(current[0].get("/connectors/" + db + "/status")).doesNotContain("FAILED");
      } finally {
        current[0].close();
      }
    }
  }

  /**
   * Creates the connector, interrupts it once half the snapshot is in Kafka, and checks that the
   * topic then equals the table.
   */
  private static void run(
      ConnectCluster connect,
      String db,
      int rows,
      Consumer<Map<String, String>> create,
      Runnable interrupt)
      throws Exception {
    LocalPostgres pg = LocalPostgres.shared();
    pg.createDatabase(db);
    pg.executeIn(
        db,
        "CREATE TABLE big (id int PRIMARY KEY, v int NOT NULL, payload text)",
        "INSERT INTO big SELECT g, 0, md5(g::text) FROM generate_series(1, " + rows + ") g",
        "VACUUM ANALYZE big");
    String topic = db + ".public.big";
    Map<Integer, String> latest = new ConcurrentHashMap<>();
    AtomicLong snapshotRecords = new AtomicLong();
    AtomicBoolean consuming = new AtomicBoolean(true);
    AtomicBoolean writing = new AtomicBoolean(true);
    Map<String, String> config = SourceItSupport.connectorConfig(pg, db, db);
    config.put("snapshot.max.threads", "4");
    config.put("key.converter.schemas.enable", "false");
    config.put("value.converter.schemas.enable", "false");
    create.accept(config);

    CompletableFuture<Void> consumer =
        CompletableFuture.runAsync(
            () -> consume(connect, topic, latest, snapshotRecords, consuming));
    AtomicLong writes = new AtomicLong();
    CompletableFuture<Void> writer =
        CompletableFuture.runAsync(() -> write(pg, db, rows, writing, writes));

    Awaitility.await("half the snapshot in Kafka")
        .atMost(Duration.ofMinutes(3))
        .until(() -> snapshotRecords.get() > rows / 2);
    interrupt.run();
    long writesAtRestart = writes.get();
    Awaitility.await("writers busy after the restart")
        .atMost(Duration.ofMinutes(1))
        .until(() -> writes.get() > writesAtRestart + 2_000);
    writing.set(false);
    writer.get(1, TimeUnit.MINUTES);

    Map<Integer, String> expected = table(pg, db);
    Awaitility.await("the topic's latest rows equal the table")
        .atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> latest.size() == expected.size() && latest.equals(expected));
    consuming.set(false);
    consumer.get(1, TimeUnit.MINUTES);
    assertThat(latest).isEqualTo(expected);
    // Chunks finished before the interruption were not read again: far fewer than two copies.
    assertThat(snapshotRecords.get()).isBetween((long) rows - rows / 20, rows * 3L / 2);
  }

  /**
   * {@link #run} in the shared Connect cluster, interrupted by {@code interrupt} (which restarts
   * only this connector or its task); no task failed.
   *
   * @return the connector's offsets at the end
   */
  private static List<ConnectorOffset> interrupted(
      String db,
      int rows,
      UnaryOperator<Map<String, String>> configure,
      BiConsumer<EmbeddedConnectCluster, String> interrupt)
      throws Exception {
    try (ConnectCluster connect = SourceItSupport.sharedCluster()) {
      run(
          connect,
          db,
          rows,
          config -> connect.createConnector(db, configure.apply(config)),
          () -> interrupt.accept(connect.connect(), db));
      assertThat(connect.failedTaskTrace(db)).isEmpty();
      List<ConnectorOffset> offsets = connect.connect().connectorOffsets(db).offsets();
      connect.connect().deleteConnector(db);
      return offsets;
    }
  }

  /**
   * Two tasks, each reading one chunk at a time, and small producer buffers: the chunks are read
   * about as fast as they reach Kafka, so the interruption comes with chunks done and chunks to do.
   */
  private static Map<String, String> spreadOverTwoTasks(Map<String, String> config) {
    config.put("tasks.max", "2");
    config.put("snapshot.max.threads", "1");
    config.put("producer.override.buffer.memory", "524288");
    return config;
  }

  private static String json(Map<String, String> config) {
    try {
      return SourceItSupport.JSON.writeValueAsString(config);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void consume(
      ConnectCluster connect,
      String topic,
      Map<Integer, String> latest,
      AtomicLong snapshotRecords,
      AtomicBoolean consuming) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "verify-" + topic);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
    try (KafkaConsumer<byte[], byte[]> consumer =
        connect.kafka().createConsumerAndSubscribeTo(props, topic)) {
      while (consuming.get()) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          int id = SourceItSupport.JSON.readTree(r.key()).get("id").asInt();
          if (r.value() == null) {
            latest.remove(id);
            continue;
          }
          JsonNode value = SourceItSupport.JSON.readTree(r.value());
          String op = value.get("op").asText();
          if ("r".equals(op)) {
            snapshotRecords.incrementAndGet();
          }
          if ("d".equals(op)) {
            latest.remove(id);
          } else {
            JsonNode after = value.get("after");
            latest.put(id, after.get("v").asInt() + "|" + after.get("payload").asText());
          }
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Small transactions of updates, deletes and inserts spread over the whole table. */
  private static void write(
      LocalPostgres pg, String db, int rows, AtomicBoolean writing, AtomicLong writes) {
    Random random = new Random(11);
    int nextId = rows + 1;
    try (Connection c = pg.connect(db);
        Statement s = c.createStatement()) {
      while (writing.get()) {
        int id = 1 + random.nextInt(rows);
        switch (random.nextInt(4)) {
          case 0 -> s.execute("DELETE FROM big WHERE id = " + id);
          case 1 -> s.execute("INSERT INTO big VALUES (" + nextId++ + ", 1, 'inserted')");
          default ->
              s.execute(
                  "UPDATE big SET v = v + 1, payload = 'updated ' || v WHERE id IN ("
                      + id
                      + ", "
                      + (1 + random.nextInt(rows))
                      + ")");
        }
        writes.incrementAndGet();
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<Integer, String> table(LocalPostgres pg, String db) throws Exception {
    Map<Integer, String> rows = new HashMap<>();
    try (Connection c = pg.connect(db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, v, payload FROM big")) {
      while (rs.next()) {
        rows.put(rs.getInt(1), rs.getInt(2) + "|" + rs.getString(3));
      }
    }
    return rows;
  }
}
