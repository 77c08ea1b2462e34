package io.pgsnow.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnow.testkit.ConnectCluster;
import io.pgsnow.testkit.LocalPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorOffset;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The slot's confirmed_flush_lsn follows the offsets Kafka Connect committed: it advances after a
 * commit and never runs ahead of one, so the server keeps every change not yet durable in Kafka.
 */
class SlotConfirmationIT {

  @Test
  void confirmedFlushAdvancesOnlyAfterOffsetsAreCommitted() throws Exception {
    LocalPostgres pg = LocalPostgres.shared();
    String db = pg.createDatabase("slot_confirm");
    pg.executeIn(db, "CREATE TABLE t (id int PRIMARY KEY)");
    String topic = "held.public.t";

    // A worker that commits offsets only every 10 minutes: records reach Kafka, offsets do not.
    try (ConnectCluster connect =
        SourceItSupport.cluster()
            .name("held")
            .workerProperty("offset.flush.interval.ms", "600000")
            .start()) {
      connect.createConnector("held", SourceItSupport.connectorConfig(pg, db, "held"));
      connect.awaitRunning("held", 1, Duration.ofSeconds(60));
      pg.awaitSlotActive(db, "held_slot");
      long beforeInsert = currentLsn(pg, db);
      pg.executeIn(db, "INSERT INTO t VALUES (1)", "INSERT INTO t VALUES (2)");
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(() -> connect.kafka().endOffset(new TopicPartition(topic, 0)) >= 2);
      // Many status intervals (200 ms) pass; the slot must stay at or before the commit of the
      // first row not committed in Kafka, so that a restart gets that transaction again. (It may
      // pass WAL the server read before that commit: that does not skip the transaction.)
      Awaitility.await().pollDelay(Duration.ofSeconds(3)).until(() -> true);
      long firstCommit = firstCommitLsn(connect, topic);
      assertThat(Long.compareUnsigned(firstCommit, beforeInsert)).isPositive();
      assertThat(Long.compareUnsigned(confirmedFlush(pg, db, "held_slot"), firstCommit))
          .isLessThanOrEqualTo(0);

      // Stopping the task makes the worker commit its offsets; restarting reads them back.
      connect.connect().restartTask("held", 0);
      connect.awaitRunning("held", 1, Duration.ofSeconds(60));
      long committedLsn = committedCommitLsn(connect, "held");
      assertThat(Long.compareUnsigned(committedLsn, beforeInsert)).isPositive();
      Awaitility.await("confirmed_flush_lsn reaches the committed offset")
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> Long.compareUnsigned(confirmedFlush(pg, db, "held_slot"), committedLsn) >= 0);
      connect.connect().deleteConnector("held");
    }
  }

  @Test
  void confirmedFlushFollowsPeriodicOffsetCommits() throws Exception {
    LocalPostgres pg = LocalPostgres.shared();
    String db = pg.createDatabase("slot_follow");
    pg.executeIn(db, "CREATE TABLE t (id int PRIMARY KEY)");
    try (ConnectCluster connect = SourceItSupport.cluster().name("follow").start()) {
      connect.createConnector("follow", SourceItSupport.connectorConfig(pg, db, "follow"));
      connect.awaitRunning("follow", 1, Duration.ofSeconds(60));
      pg.awaitSlotActive(db, "follow_slot");
      for (int round = 1; round <= 3; round++) {
        long beforeInsert = currentLsn(pg, db);
        pg.executeIn(db, "INSERT INTO t VALUES (" + round + ")");
        Awaitility.await("round " + round + " confirmed")
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptions()
            .until(
                () ->
                    Long.compareUnsigned(committedCommitLsn(connect, "follow"), beforeInsert) > 0
                        && Long.compareUnsigned(confirmedFlush(pg, db, "follow_slot"), beforeInsert)
                            > 0);
      }
      connect.connect().deleteConnector("follow");
    }
  }

  @Test
  void theSlotAdvancesWhenOnlyUncapturedTablesChange() throws Exception {
    LocalPostgres pg = LocalPostgres.shared();
    String db = pg.createDatabase("slot_idle");
    pg.executeIn(
        db, "CREATE TABLE captured (id int PRIMARY KEY)", "CREATE TABLE busy (id int PRIMARY KEY)");
    try (ConnectCluster connect = SourceItSupport.cluster().name("idle").start()) {
      Map<String, String> config = SourceItSupport.connectorConfig(pg, db, "idle");
      config.put("table.include.list", "public\\.captured");
      connect.createConnector("idle", config);
      connect.awaitRunning("idle", 1, Duration.ofSeconds(60));
      pg.awaitSlotActive(db, "idle_slot");
      pg.executeIn(db, "INSERT INTO captured VALUES (1)");
      // Heavy writes to a table the connector does not capture: no record, yet the slot must not
      // hold their WAL.
      pg.executeIn(db, "INSERT INTO busy SELECT generate_series(1, 20000)");
      long afterWrites = currentLsn(pg, db);
      Awaitility.await("the captured row in Kafka")
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(
              () -> connect.kafka().endOffset(new TopicPartition("idle.public.captured", 0)) >= 1);
      Awaitility.await("slot passes the uncaptured writes")
          .atMost(Duration.ofSeconds(30))
          .until(() -> Long.compareUnsigned(confirmedFlush(pg, db, "idle_slot"), afterWrites) >= 0);
      // The captured row before those writes was committed to Kafka first.
      assertThat(committedCommitLsn(connect, "idle")).as("committed offset").isNotZero();
      assertThat(connect.kafka().endOffset(new TopicPartition("idle.public.captured", 0)))
          .isEqualTo(1);
      assertThat(connect.kafka().describeTopics("idle.public.busy").get("idle.public.busy"))
          .isEmpty();
      connect.connect().deleteConnector("idle");
    }
  }

  /** The commit LSN of the first record of a topic, from its {@code source.commit_lsn}. */
  private static long firstCommitLsn(ConnectCluster connect, String topic) throws Exception {
    byte[] value = connect.kafka().consume(1, 30_000, topic).iterator().next().value();
    return SourceItSupport.JSON.readTree(value).at("/payload/source/commit_lsn").asLong();
  }

  private static long committedCommitLsn(ConnectCluster connect, String connector) {
    for (ConnectorOffset offset : connect.connect().connectorOffsets(connector).offsets()) {
      Map<String, ?> values = offset.offset();
      if (values != null && values.get("lsn_commit") instanceof Number n) {
        return n.longValue();
      }
    }
    return 0L;
  }

  static long currentLsn(LocalPostgres pg, String db) throws Exception {
    return lsnQuery(pg, db, "SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::numeric::text");
  }

  static long confirmedFlush(LocalPostgres pg, String db, String slot) throws Exception {
    return lsnQuery(
        pg,
        db,
        "SELECT (confirmed_flush_lsn - '0/0'::pg_lsn)::numeric::text FROM pg_replication_slots"
            + " WHERE slot_name = '"
            + slot
            + "'");
  }

  private static long lsnQuery(LocalPostgres pg, String db, String sql) throws Exception {
    try (Connection c = pg.connect(db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).isTrue();
      return Long.parseUnsignedLong(rs.getString(1));
    }
  }
}
