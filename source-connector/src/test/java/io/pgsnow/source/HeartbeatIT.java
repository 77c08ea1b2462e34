package io.pgsnow.source;

import static io.pgsnow.source.SlotQueries.committedCommitLsn;
import static io.pgsnow.source.SlotQueries.confirmedFlush;
import static io.pgsnow.source.SlotQueries.currentLsn;
import static io.pgsnow.source.SlotQueries.retainedBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnow.testkit.ConnectCluster;
import io.pgsnow.testkit.LocalPostgres;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Heartbeats on Debezium's heartbeat topic, and the slot of an idle database while only another
 * database on the same server writes: with heartbeats the retained WAL stays bounded and the
 * committed offset follows; without them the slot still advances (from the server's keepalives) but
 * the committed offset stays at the last captured change.
 */
class HeartbeatIT {
  private static final int ROUNDS = 4;

  /** WAL one round of writes in the other database produces, roughly. */
  private static final long ROUND_WAL_BYTES = 3L << 20;

  @Test
  void heartbeatsKeepTheSlotAndOffsetMovingWhileAnotherDatabaseWrites() throws Exception {
    LocalPostgres pg = LocalPostgres.shared();
    String beating = pg.createDatabase("hb_beating");
    String quiet = pg.createDatabase("hb_quiet");
    String other = pg.createDatabase("hb_other");
    for (String db : List.of(beating, quiet)) {
      pg.executeIn(
          db,
          "CREATE TABLE t (id int PRIMARY KEY)",
          "CREATE TABLE heartbeat_log (at timestamptz NOT NULL)");
    }
    // No autovacuum on the written table: its WAL would count as retained by the slots.
    pg.executeIn(
        other, "CREATE TABLE busy (id int, filler text) WITH (autovacuum_enabled = false)");

    try (ConnectCluster connect = SourceItSupport.sharedCluster()) {
      Map<String, String> withBeats = SourceItSupport.connectorConfig(pg, beating, "beating");
      withBeats.put("table.include.list", "public\\.t");
      withBeats.put("heartbeat.interval.ms", "300");
      withBeats.put("heartbeat.action.query", "INSERT INTO heartbeat_log VALUES (now())");
      Map<String, String> without = SourceItSupport.connectorConfig(pg, quiet, "quiet");
      without.put("table.include.list", "public\\.t");
      connect.createConnector("beating", withBeats);
      connect.createConnector("quiet", without);
      connect.awaitRunning("beating", 1, Duration.ofSeconds(60));
      connect.awaitRunning("quiet", 1, Duration.ofSeconds(60));
      pg.awaitSlotActive(beating, "beating_slot");
      pg.awaitSlotActive(quiet, "quiet_slot");
      pg.executeIn(beating, "INSERT INTO t VALUES (1)");
      pg.executeIn(quiet, "INSERT INTO t VALUES (1)");
      awaitRecords(connect, "beating.public.t", 1);
      awaitRecords(connect, "quiet.public.t", 1);
      Awaitility.await("quiet's first offset committed")
          .atMost(Duration.ofSeconds(30))
          .until(() -> committedCommitLsn(connect, "quiet") != 0);
      long quietCommitted = committedCommitLsn(connect, "quiet");

      long afterWrites = 0;
      for (int round = 1; round <= ROUNDS; round++) {
        pg.executeIn(
            other, "INSERT INTO busy SELECT g, repeat('x', 100) FROM generate_series(1, 20000) g");
        afterWrites = currentLsn(pg, other);
        long target = afterWrites;
        for (String[] slot :
            List.of(new String[] {beating, "beating_slot"}, new String[] {quiet, "quiet_slot"})) {
          Awaitility.await(slot[1] + " passes round " + round)
              .atMost(Duration.ofSeconds(30))
              .until(() -> Long.compareUnsigned(confirmedFlush(pg, slot[0], slot[1]), target) >= 0);
          assertThat(retainedBytes(pg, slot[0], slot[1]))
              .as("WAL %s retains after round %d", slot[1], round)
              .isLessThan(ROUND_WAL_BYTES);
        }
      }
      assertThat(currentLsn(pg, other) - quietCommitted)
          .as("the other database wrote more than any slot retained")
          .isGreaterThan(ROUNDS * ROUND_WAL_BYTES / 2);

      // With heartbeats, the committed offset passes the other database's WAL too.
      long written = afterWrites;
      Awaitility.await("a heartbeat offset past the writes is committed")
          .atMost(Duration.ofSeconds(30))
          .until(() -> Long.compareUnsigned(committedCommitLsn(connect, "beating"), written) >= 0);
      // Without, it stays at the last captured change.
      assertThat(committedCommitLsn(connect, "quiet")).isEqualTo(quietCommitted);

      List<SourceItSupport.Event> beats =
          SourceItSupport.events(
              connect.kafka().consume(2, 30_000, "__debezium-heartbeat.beating"));
      SourceItSupport.Event beat = beats.get(0);
      assertThat(beat.key().at("/schema/name").asText())
          .isEqualTo("io.debezium.connector.common.ServerNameKey");
      assertThat(beat.keyPayload().get("serverName").asText()).isEqualTo("beating");
      assertThat(beat.value().at("/schema/name").asText())
          .isEqualTo("io.debezium.connector.common.Heartbeat");
      assertThat(beat.payload().get("ts_ms").asLong()).isPositive();
      assertThat(
              Long.parseLong(SlotQueries.value(pg, beating, "SELECT count(*) FROM heartbeat_log")))
          .as("heartbeat.action.query ran")
          .isPositive();
      assertThat(Long.parseLong(SlotQueries.value(pg, quiet, "SELECT count(*) FROM heartbeat_log")))
          .isZero();

      // A restart from a heartbeat's offset neither loses nor repeats a change.
      pg.executeIn(beating, "INSERT INTO t VALUES (2)");
      awaitRecords(connect, "beating.public.t", 2);
      connect.connect().restartTask("beating", 0);
      connect.awaitRunning("beating", 1, Duration.ofSeconds(60));
      // Row 4 marks the end: a change read twice would stand before it in the topic.
      pg.executeIn(beating, "INSERT INTO t VALUES (3)", "INSERT INTO t VALUES (4)");
      awaitRecords(connect, "beating.public.t", 4);
      List<Integer> ids =
          SourceItSupport.events(connect.kafka().consume(4, 30_000, "beating.public.t")).stream()
              .map(e -> e.after().get("id").asInt())
              .toList();
      assertThat(ids).containsExactly(1, 2, 3, 4);
      assertThat(connect.kafka().endOffset(new TopicPartition("beating.public.t", 0))).isEqualTo(4);
      connect.connect().deleteConnector("beating");
      connect.connect().deleteConnector("quiet");
    }
  }

  private static void awaitRecords(ConnectCluster connect, String topic, long count) {
    Awaitility.await(count + " records in " + topic)
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> connect.kafka().endOffset(new TopicPartition(topic, 0)) >= count);
  }
}
