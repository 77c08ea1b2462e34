package io.pgsnow.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgsnow.testkit.ConnectCluster;
import io.pgsnow.testkit.LocalPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Incremental snapshots while streaming goes on: one requested through Debezium's signal table
 * while rows of the table change and another table streams, and one for a table added to the
 * include list later.
 */
class IncrementalSnapshotIT {
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

  @Test
  void aSignalledSnapshotOfOneTableKeepsTheStreamsOrderWhileAnotherTableStreams() throws Exception {
    String db = "incr_signal";
    pg.createDatabase(db);
    pg.executeIn(
        db,
        "CREATE TABLE orders (id int PRIMARY KEY, v int NOT NULL)",
        "CREATE TABLE events (id int PRIMARY KEY, note text)",
        "CREATE TABLE dbz_signal (id varchar(64) PRIMARY KEY, type varchar(32), data text)",
        "INSERT INTO orders SELECT g, 0 FROM generate_series(1, 20000) g");
    Map<String, String> config = SourceItSupport.connectorConfig(pg, db, db);
    config.put("snapshot.mode", "no_data");
    config.put("signal.data.collection", "public.dbz_signal");
    config.put("incremental.snapshot.chunk.size", "500");
    config.put("table.include.list", "public.orders,public.events");
    config.put("publication.autocreate.mode", "filtered");
    config.put("key.converter.schemas.enable", "false");
    config.put("value.converter.schemas.enable", "false");
    connect.createConnector(db, config);
    connect.awaitRunning(db, 1, Duration.ofSeconds(60));
    pg.awaitSlotActive(db, db + "_slot");

    AtomicBoolean writing = new AtomicBoolean(true);
    CompletableFuture<Integer> writer = CompletableFuture.supplyAsync(() -> write(db, writing));
    pg.executeIn(
        db,
        "INSERT INTO dbz_signal VALUES ('s1', 'execute-snapshot',"
            + " '{\"data-collections\": [\"public.orders\"], \"type\": \"incremental\"}')");
    String orders = db + ".public.orders";
    Awaitility.await("the incremental snapshot read the whole table")
        .atMost(Duration.ofMinutes(2))
        .ignoreExceptions()
        .until(() -> count(orders, "r") >= 15_000);
    writing.set(false);
    int events = writer.get(1, TimeUnit.MINUTES);

    Map<Integer, Integer> expected = new HashMap<>();
    try (Connection c = pg.connect(db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, v FROM orders")) {
      while (rs.next()) {
        expected.put(rs.getInt(1), rs.getInt(2));
      }
    }
    Awaitility.await("latest record per key equals the table")
        .atMost(Duration.ofMinutes(2))
        .ignoreExceptions()
        .until(() -> latest(orders).equals(expected));
    List<JsonNode> snapshotRows =
        values(orders).stream().filter(v -> v != null && "r".equals(v.get("op").asText())).toList();
    assertThat(snapshotRows)
        .extracting(v -> v.get("source").get("snapshot").asText())
        .containsOnly("incremental");
    // The other table streamed all along.
    String eventsTopic = db + ".public.events";
    Awaitility.await("every streamed event")
        .atMost(Duration.ofMinutes(2))
        .ignoreExceptions()
        .until(() -> count(eventsTopic, "c") == events);
    assertThat(connect.failedTaskTrace(db)).isEmpty();
    connect.connect().deleteConnector(db);
  }

  @Test
  void aTableAddedToTheIncludeListLaterIsSnapshotted() throws Exception {
    String db = "incr_added";
    pg.createDatabase(db);
    pg.executeIn(
        db,
        "CREATE TABLE first (id int PRIMARY KEY, v text)",
        "CREATE TABLE later (id bigint, k text, v text, PRIMARY KEY (id, k))",
        "INSERT INTO first SELECT g, 'f' FROM generate_series(1, 100) g",
        "INSERT INTO later SELECT g, 'k' || (g % 3), 'l' FROM generate_series(1, 2500) g");
    Map<String, String> config = SourceItSupport.connectorConfig(pg, db, db);
    config.put("table.include.list", "public.first");
    config.put("incremental.snapshot.chunk.size", "700");
    config.put("key.converter.schemas.enable", "false");
    config.put("value.converter.schemas.enable", "false");
    connect.createConnector(db, config);
    connect.awaitRunning(db, 1, Duration.ofSeconds(60));
    Awaitility.await("the first table's snapshot")
        .atMost(Duration.ofMinutes(1))
        .ignoreExceptions() // the topic exists once the first record is sent
        .until(() -> count(db + ".public.first", "r") == 100);
    pg.awaitSlotActive(db, db + "_slot");

    config.put("table.include.list", "public.first,public.later");
    connect.connect().configureConnector(db, config);
    String later = db + ".public.later";
    Awaitility.await("the added table's rows")
        .atMost(Duration.ofMinutes(1))
        .ignoreExceptions()
        .until(() -> count(later, "r") == 2500);
    pg.executeIn(db, "UPDATE later SET v = 'changed' WHERE id = 7");
    Awaitility.await("a change after the snapshot")
        .atMost(Duration.ofMinutes(1))
        .ignoreExceptions()
        .until(() -> count(later, "u") == 1);
    assertThat(count(db + ".public.first", "r")).isEqualTo(100);
    connect.connect().deleteConnector(db);
  }

  /** Updates orders and inserts events until told to stop; returns the events written. */
  private static int write(String db, AtomicBoolean writing) {
    Random random = new Random(5);
    int events = 0;
    try (Connection c = pg.connect(db);
        Statement s = c.createStatement()) {
      while (writing.get() || events < 200) {
        int id = 1 + random.nextInt(20_000);
        if (random.nextInt(5) == 0) {
          s.execute("DELETE FROM orders WHERE id = " + id);
          s.execute("INSERT INTO orders VALUES (" + id + ", -1) ON CONFLICT DO NOTHING");
        } else {
          s.execute("UPDATE orders SET v = v + 1 WHERE id = " + id);
        }
        s.execute("INSERT INTO events VALUES (" + ++events + ", 'e')");
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return events;
  }

  private static List<JsonNode> values(String topic) throws Exception {
    List<JsonNode> values = new ArrayList<>();
    long end = connect.kafka().endOffset(new TopicPartition(topic, 0));
    for (ConsumerRecord<byte[], byte[]> r : connect.kafka().consume((int) end, 30_000, topic)) {
      values.add(r.value() == null ? null : SourceItSupport.JSON.readTree(r.value()));
    }
    return values;
  }

  private static long count(String topic, String op) throws Exception {
    return values(topic).stream().filter(v -> v != null && op.equals(v.get("op").asText())).count();
  }

  private static Map<Integer, Integer> latest(String topic) throws Exception {
    Map<Integer, Integer> latest = new HashMap<>();
    long end = connect.kafka().endOffset(new TopicPartition(topic, 0));
    for (ConsumerRecord<byte[], byte[]> r : connect.kafka().consume((int) end, 30_000, topic)) {
      int id = SourceItSupport.JSON.readTree(r.key()).get("id").asInt();
      JsonNode value = r.value() == null ? null : SourceItSupport.JSON.readTree(r.value());
      if (value == null || "d".equals(value.get("op").asText())) {
        latest.remove(id);
      } else {
        latest.put(id, value.get("after").get("v").asInt());
      }
    }
    return latest;
  }
}
