package io.pgsnow.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgsnow.source.replication.ReplicationSetup;
import io.pgsnow.source.snapshot.ChunkPlanner;
import io.pgsnow.source.snapshot.SnapshotProgress;
import io.pgsnow.source.snapshot.SnapshotTable;
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
import java.util.concurrent.Callable;
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
import org.apache.kafka.connect.runtime.rest.entities.ConnectorOffsets;
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

  /**
   * The writers' statements before the interruption: at most one per this many rows, so that the
   * bound on snapshot records stays well under two copies of the table on a slow machine too.
   */
  private static final int WRITES_BEFORE_INTERRUPTION = 10;

  private static final int WRITES_AFTER_INTERRUPTION = 2_000;

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
            UnaryOperator.identity(),
            config -> current[0].put("/connectors/" + db + "/config", json(config)),
            () ->
                SourceItSupport.JSON
                    .readValue(
                        current[0].get("/connectors/" + db + "/offsets"), ConnectorOffsets.class)
                    .offsets(),
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
   * topic then equals the table, and that the number of snapshot records stays within what the plan
   * allows.
   *
   * @param committed the connector's committed offsets
   */
  private static void run(
      ConnectCluster connect,
      String db,
      int rows,
      UnaryOperator<Map<String, String>> configure,
      Consumer<Map<String, String>> create,
      Callable<List<ConnectorOffset>> committed,
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
    configure.apply(config);
    Chunks chunks = Chunks.planned(pg, db, config);
    create.accept(config);

    CompletableFuture<Void> consumer =
        CompletableFuture.runAsync(
            () -> consume(connect, topic, latest, snapshotRecords, consuming));
    Writes writes = new Writes(rows / WRITES_BEFORE_INTERRUPTION);
    CompletableFuture<Void> writer =
        CompletableFuture.runAsync(() -> write(pg, db, rows, writing, writes));

    Awaitility.await("half the snapshot in Kafka")
        .atMost(Duration.ofMinutes(5))
        .until(() -> snapshotRecords.get() > rows / 2);
    // Progress only grows: the chunks done in the offsets committed before the interruption are
    // done in those the resumed snapshot starts from too.
    long notDone = chunks.rowsNotDone(committed.call());
    interrupt.run();
    long writesAtRestart = writes.statements.get();
    writes.allowed.set(Long.MAX_VALUE);
    Awaitility.await("writers busy after the restart")
        .atMost(Duration.ofMinutes(2))
        .until(() -> writes.statements.get() > writesAtRestart + WRITES_AFTER_INTERRUPTION);
    writing.set(false);
    writer.get(1, TimeUnit.MINUTES);

    Map<Integer, String> expected = table(pg, db);
    Awaitility.await("the topic's latest rows equal the table")
        .atMost(Duration.ofMinutes(6))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> latest.size() == expected.size() && latest.equals(expected));
    consuming.set(false);
    consumer.get(1, TimeUnit.MINUTES);
    assertThat(latest).isEqualTo(expected);
    // Before the interruption each row of the exported snapshot is read once at most; afterwards
    // only the chunks not done are read, as they are then: their rows, plus the row versions the
    // writers put anywhere (an update may move a row into such a chunk). So no chunk done before
    // the interruption was read again. A row no writer touched is read at least once.
    assertThat(snapshotRecords.get())
        .as(
            "snapshot records of %d rows, of which %d in chunks not done at the interruption;"
                + " the writers wrote %d row versions and updated or deleted %d rows",
            rows, notDone, writes.rowsWritten.get(), writes.rowsTouched.get())
        .isBetween(rows - writes.rowsTouched.get(), rows + notDone + writes.rowsWritten.get());
  }

  /**
   * The block-range chunks the connector plans for the table (the same planner, the same table
   * size, as many threads as the config gives all tasks) and the rows of each, counted before any
   * write.
   */
  private record Chunks(SnapshotProgress.TablePlan plan, long[] rows, int tasks) {
    static Chunks planned(LocalPostgres pg, String db, Map<String, String> config)
        throws Exception {
      int tasks = Integer.parseInt(config.getOrDefault("tasks.max", "1"));
      int threads = Integer.parseInt(config.get("snapshot.max.threads")) * tasks;
      try (Connection c = pg.connect(db);
          Statement s = c.createStatement()) {
        SnapshotTable table =
            SnapshotTable.load(c, new ReplicationSetup.TableName("public", "big")).orElseThrow();
        SnapshotProgress.TablePlan plan = ChunkPlanner.plan(table, threads, false);
        long[] rows = new long[plan.chunks()];
        for (int i = 0; i < rows.length; i++) {
          try (ResultSet rs =
              s.executeQuery(
                  "SELECT count(*) FROM (" + ChunkPlanner.select(table, plan, i, null) + ") c")) {
            rs.next();
            rows[i] = rs.getLong(1);
          }
        }
        return new Chunks(plan, rows, tasks);
      }
    }

    /**
     * The rows of the chunks that {@code offsets} do not mark done. Of a snapshot spread over
     * tasks, chunk {@code i} is task {@code i % tasks}'s, and done when that task's progress (in
     * its own source partition) says so; a task without offsets has done none of its chunks.
     */
    long rowsNotDone(List<ConnectorOffset> offsets) {
      Map<Integer, SnapshotProgress.TablePlan> byTask = new HashMap<>();
      for (ConnectorOffset o : offsets) {
        Object task = o.partition().get("snapshot_task");
        SnapshotProgress.fromOffset(o.offset())
            .filter(p -> !p.plans().isEmpty())
            .ifPresent(
                p ->
                    byTask.put(
                        task == null ? 0 : Integer.parseInt(String.valueOf(task)),
                        p.plans().get(0)));
      }
      long sum = 0;
      for (int i = 0; i < rows.length; i++) {
        SnapshotProgress.TablePlan done = byTask.get(i % tasks);
        if (done == null || !done.isDone(i)) {
          sum += rows[i];
        } else {
          assertThat(done.chunks()).as("the connector's plan").isEqualTo(plan.chunks());
        }
      }
      return sum;
    }
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
          configure,
          config -> connect.createConnector(db, config),
          () -> connect.connect().connectorOffsets(db).offsets(),
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

  /**
   * What the writers did: statements, rows they wrote a new version of (inserted or updated), rows
   * they updated or deleted; at most {@code allowed} statements.
   */
  private static final class Writes {
    final AtomicLong statements = new AtomicLong();
    final AtomicLong rowsWritten = new AtomicLong();
    final AtomicLong rowsTouched = new AtomicLong();
    final AtomicLong allowed;

    Writes(long allowed) {
      this.allowed = new AtomicLong(allowed);
    }
  }

  /**
   * Small transactions of updates, deletes and inserts spread over the whole table; once {@code
   * writes.allowed} statements are done, the writer waits until more are allowed.
   */
  private static void write(
      LocalPostgres pg, String db, int rows, AtomicBoolean writing, Writes writes) {
    Random random = new Random(11);
    int nextId = rows + 1;
    try (Connection c = pg.connect(db);
        Statement s = c.createStatement()) {
      while (writing.get()) {
        if (writes.statements.get() >= writes.allowed.get()) {
          Awaitility.await("more writes allowed")
              .atMost(Duration.ofMinutes(10))
              .until(() -> !writing.get() || writes.statements.get() < writes.allowed.get());
          continue;
        }
        int id = 1 + random.nextInt(rows);
        switch (random.nextInt(4)) {
          case 0 ->
              writes.rowsTouched.addAndGet(s.executeUpdate("DELETE FROM big WHERE id = " + id));
          case 1 ->
              writes.rowsWritten.addAndGet(
                  s.executeUpdate("INSERT INTO big VALUES (" + nextId++ + ", 1, 'inserted')"));
          default -> {
            int updated =
                s.executeUpdate(
                    "UPDATE big SET v = v + 1, payload = 'updated ' || v WHERE id IN ("
                        + id
                        + ", "
                        + (1 + random.nextInt(rows))
                        + ")");
            writes.rowsWritten.addAndGet(updated);
            writes.rowsTouched.addAndGet(updated);
          }
        }
        writes.statements.incrementAndGet();
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
