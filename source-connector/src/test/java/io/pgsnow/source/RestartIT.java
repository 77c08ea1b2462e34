package io.pgsnow.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgsnow.testkit.ConnectCluster;
import io.pgsnow.testkit.LocalPostgres;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * Restarts the task while 60,000 rows stream through (multi-row INSERTs, a COPY whose rows share
 * WAL positions, and transactions large enough to be streamed in progress): no row is lost, and
 * with the worker's exactly-once source support none is repeated either, nor any transaction
 * metadata: each transaction has one BEGIN, one END counting its events, and events numbered 1 to
 * that count.
 */
class RestartIT {
  private static final int ROWS = 60_000;
  private static final int MARKER = ROWS + 1;

  @Test
  void everyRowArrivesAtLeastOnceAcrossTaskRestarts() throws Exception {
    Map<Integer, Integer> seen = run("restart_alo", SourceItSupport::sharedCluster, false);
    assertThat(seen).hasSize(ROWS);
  }

  @Test
  void everyRowArrivesExactlyOnceWithExactlyOnceSourceSupport() throws Exception {
    Map<Integer, Integer> seen =
        run(
            "restart_eos",
            () -> SourceItSupport.cluster().name("restart_eos").exactlyOnceSource().start(),
            true);
    assertThat(seen).hasSize(ROWS);
    assertThat(seen.values()).allMatch(count -> count == 1);
  }

  /** Transaction id to the total_order of each of its events received. */
  private final Map<String, List<Long>> orders = new HashMap<>();

  private Map<Integer, Integer> run(String name, Supplier<ConnectCluster> cluster, boolean eos)
      throws Exception {
    LocalPostgres pg = LocalPostgres.shared();
    pg.createDatabase(name);
    pg.executeIn(
        name,
        "CREATE TABLE bulk (id int PRIMARY KEY, payload text)",
        // Small enough that the large transactions below are streamed while in progress.
        "ALTER DATABASE " + name + " SET logical_decoding_work_mem = '64kB'");
    String topic = name + ".public.bulk";
    try (ConnectCluster connect = cluster.get()) {
      Map<String, String> config = SourceItSupport.connectorConfig(pg, name, name);
      config.put("max.batch.size", "500");
      config.put("key.converter.schemas.enable", "false");
      config.put("value.converter.schemas.enable", "false");
      if (eos) {
        config.put("exactly.once.support", "required");
        config.put("provide.transaction.metadata", "true");
      }
      connect.createConnector(name, config);
      connect.awaitRunning(name, 1, Duration.ofSeconds(60));
      pg.awaitSlotActive(name, name + "_slot");

      CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> write(pg, name));
      Map<Integer, Integer> seen = new HashMap<>();
      try (KafkaConsumer<byte[], byte[]> consumer = consumer(connect, topic)) {
        int restarts = 0;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        while (seen.size() < ROWS && System.nanoTime() < deadline) {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            received(r, seen);
          }
          if ((restarts == 0 && seen.size() > ROWS / 4)
              || (restarts == 1 && seen.size() > ROWS / 2)) {
            connect.connect().restartTask(name, 0);
            restarts++;
          }
        }
        writer.get(1, TimeUnit.MINUTES);
        assertThat(restarts).isEqualTo(2);
        // A row written after all others marks the end: a change sent twice stands before it.
        pg.executeIn(name, "INSERT INTO bulk VALUES (" + MARKER + ", 'marker')");
        Awaitility.await("the marker row")
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> {
                  for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    received(r, seen);
                  }
                  return seen.containsKey(MARKER);
                });
        seen.remove(MARKER);
      }
      assertThat(connect.failedTaskTrace(name)).isEmpty();
      if (eos) {
        assertTransactionMetadataExactlyOnce(connect, name + ".transaction");
      }
      // The large transactions really went through pgoutput's in-progress streaming.
      Awaitility.await("streamed transactions counted")
          .atMost(Duration.ofSeconds(30))
          .until(() -> SourceItSupport.streamedTransactions(pg, name, name + "_slot") > 0);
      connect.connect().deleteConnector(name);
      return seen;
    }
  }

  private void received(ConsumerRecord<byte[], byte[]> r, Map<Integer, Integer> seen)
      throws java.io.IOException {
    if (r.value() == null) {
      return;
    }
    JsonNode value = SourceItSupport.JSON.readTree(r.value());
    seen.merge(value.get("after").get("id").asInt(), 1, Integer::sum);
    JsonNode block = value.get("transaction");
    if (block != null && !block.isNull()) {
      orders
          .computeIfAbsent(block.get("id").asText(), id -> new ArrayList<>())
          .add(block.get("total_order").asLong());
    }
  }

  /** One BEGIN and one END per transaction, END's count equal to the events numbered 1 to it. */
  private void assertTransactionMetadataExactlyOnce(ConnectCluster connect, String topic)
      throws Exception {
    Map<String, Integer> begins = new HashMap<>();
    Map<String, List<Long>> ends = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(connect, topic)) {
      Awaitility.await("an END for each of the " + orders.size() + " transactions")
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                  JsonNode value = SourceItSupport.JSON.readTree(r.value());
                  String id = value.get("id").asText();
                  if ("BEGIN".equals(value.get("status").asText())) {
                    begins.merge(id, 1, Integer::sum);
                  } else {
                    ends.computeIfAbsent(id, k -> new ArrayList<>())
                        .add(value.get("event_count").asLong());
                  }
                }
                return ends.size() >= orders.size();
              });
    }
    assertThat(orders).isNotEmpty();
    assertThat(begins.keySet()).isEqualTo(orders.keySet());
    assertThat(ends.keySet()).isEqualTo(orders.keySet());
    orders.forEach(
        (id, received) -> {
          assertThat(begins.get(id)).as("BEGIN records of %s", id).isEqualTo(1);
          assertThat(ends.get(id))
              .as("END records of %s", id)
              .containsExactly((long) received.size());
          assertThat(received.stream().sorted().toList())
              .as("total_order of %s", id)
              .isEqualTo(LongStream.rangeClosed(1, received.size()).boxed().toList());
        });
  }

  private static KafkaConsumer<byte[], byte[]> consumer(ConnectCluster connect, String topic) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "verify-" + topic);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return connect.kafka().createConsumerAndSubscribeTo(props, topic);
  }

  /** 60,000 rows: multi-row INSERTs, large transactions and a COPY. */
  private static void write(LocalPostgres pg, String database) {
    try (Connection c = pg.connect(database);
        Statement s = c.createStatement()) {
      int id = 1;
      for (int batch = 0; batch < 30; batch++) {
        StringBuilder sql = new StringBuilder("INSERT INTO bulk VALUES ");
        for (int i = 0; i < 500; i++) {
          sql.append(i == 0 ? "" : ",").append("(").append(id++).append(", 'multi row')");
        }
        s.execute(sql.toString());
      }
      c.setAutoCommit(false);
      for (int tx = 0; tx < 3; tx++) {
        s.execute(
            "INSERT INTO bulk SELECT g, repeat('large transaction ', 8) FROM generate_series("
                + id
                + ", "
                + (id + 9_999)
                + ") g");
        id += 10_000;
        c.commit();
      }
      StringBuilder copy = new StringBuilder();
      for (int i = 0; i < 15_000; i++) {
        copy.append(id++).append("\tcopied\n");
      }
      c.unwrap(PGConnection.class)
          .getCopyAPI()
          .copyIn("COPY bulk FROM STDIN", new StringReader(copy.toString()));
      c.commit();
      assertThat(id - 1).isEqualTo(ROWS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
