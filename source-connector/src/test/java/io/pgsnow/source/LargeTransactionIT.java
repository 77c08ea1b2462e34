package io.pgsnow.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgsnow.testkit.ConnectCluster;
import io.pgsnow.testkit.LocalPostgres;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A transaction larger than {@code pgoutput.streaming.max.buffered.bytes} while PostgreSQL streams
 * it in progress: the task stops holding it, reopens the stream without in-progress streaming, and
 * every row (of it, of a transaction committed while it was open, and of later ones) arrives once,
 * in commit order.
 */
class LargeTransactionIT {
  private static final String DB = "large_tx";
  private static final int LARGE = 20_000;

  @Test
  void aTransactionOverTheMemoryBoundArrivesWholeAfterTheStreamFallsBack() throws Exception {
    LocalPostgres pg = LocalPostgres.shared();
    pg.createDatabase(DB);
    pg.executeIn(
        DB,
        "CREATE TABLE bulk (id int PRIMARY KEY, payload text)",
        // Small enough that PostgreSQL streams the large transaction while it is in progress.
        "ALTER DATABASE " + DB + " SET logical_decoding_work_mem = '64kB'");
    try (ConnectCluster connect = SourceItSupport.sharedCluster()) {
      Map<String, String> config = SourceItSupport.connectorConfig(pg, DB, DB);
      config.put("pgoutput.streaming.max.buffered.bytes", Long.toString(1L << 20));
      config.put("key.converter.schemas.enable", "false");
      config.put("value.converter.schemas.enable", "false");
      connect.createConnector(DB, config);
      connect.awaitRunning(DB, 1, Duration.ofSeconds(60));
      pg.awaitSlotActive(DB, DB + "_slot");

      write(pg);

      List<Integer> ids = new ArrayList<>();
      try (KafkaConsumer<byte[], byte[]> consumer = consumer(connect, DB + ".public.bulk")) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (ids.size() < LARGE + 3 && System.nanoTime() < deadline) {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            JsonNode after = SourceItSupport.JSON.readTree(r.value()).get("after");
            ids.add(after.get("id").asInt());
          }
        }
        // Anything after the last row would be a repeat; give it a moment to show.
        long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() < settle) {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            ids.add(SourceItSupport.JSON.readTree(r.value()).get("after").get("id").asInt());
          }
        }
      }
      assertThat(connect.failedTaskTrace(DB)).isEmpty();
      // Commit order: row 0 first, then the row committed while the large one was open (-1),
      // then the large transaction's rows in statement order, then the last row.
      List<Integer> expected = new ArrayList<>(List.of(0, -1));
      for (int id = 1; id <= LARGE; id++) {
        expected.add(id);
      }
      expected.add(LARGE + 1);
      assertThat(ids).containsExactlyElementsOf(expected);

      ObjectName metrics =
          new ObjectName("io.pgsnow.source:type=task-metrics,connector=" + ObjectName.quote(DB));
      var server = ManagementFactory.getPlatformMBeanServer();
      assertThat((Long) server.getAttribute(metrics, "StreamingFallbacks")).isEqualTo(1L);
      // PostgreSQL did stream the large transaction in progress before the fallback.
      Awaitility.await("streamed transactions counted")
          .atMost(Duration.ofSeconds(30))
          .until(() -> SourceItSupport.streamedTransactions(pg, DB, DB + "_slot") > 0);
      connect.connect().deleteConnector(DB);
    }
  }

  /** Row 0; then a large transaction, with row -1 committed by another session while it is open. */
  private static void write(LocalPostgres pg) throws Exception {
    pg.executeIn(DB, "INSERT INTO bulk VALUES (0, 'before')");
    try (Connection large = pg.connect(DB);
        Statement s = large.createStatement()) {
      large.setAutoCommit(false);
      s.execute(
          "INSERT INTO bulk SELECT g, repeat('large transaction payload ', 8)"
              + " FROM generate_series(1, "
              + LARGE / 2
              + ") g");
      pg.executeIn(DB, "INSERT INTO bulk VALUES (-1, 'committed meanwhile')");
      s.execute(
          "INSERT INTO bulk SELECT g, repeat('large transaction payload ', 8)"
              + " FROM generate_series("
              + (LARGE / 2 + 1)
              + ", "
              + LARGE
              + ") g");
      large.commit();
    }
    pg.executeIn(DB, "INSERT INTO bulk VALUES (" + (LARGE + 1) + ", 'after')");
  }

  private static KafkaConsumer<byte[], byte[]> consumer(ConnectCluster connect, String topic) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "verify-" + topic);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return connect.kafka().createConsumerAndSubscribeTo(props, topic);
  }
}
