package io.pgsnow.source;

import static io.pgsnow.source.SlotQueries.committedCommitLsn;
import static io.pgsnow.source.SlotQueries.confirmedFlush;
import static io.pgsnow.source.SlotQueries.currentLsn;
import static io.pgsnow.source.SlotQueries.repliedSince;
import static io.pgsnow.source.SlotQueries.serverClock;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnow.testkit.ConnectCluster;
import io.pgsnow.testkit.LocalPostgres;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The slot's confirmed_flush_lsn follows the offsets Kafka Connect committed: it advances after a
 * commit and never runs ahead of one, so the server keeps every change not yet durable in Kafka.
 */
class SlotConfirmationIT {
  /** The worker of the tests that need no special worker settings. */
  private static ConnectCluster worker;

  @BeforeAll
  static void startWorker() {
    worker = SourceItSupport.sharedCluster();
  }

  @AfterAll
  static void stopWorker() {
    worker.close();
  }

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
      // Many status updates (one each 200 ms) reach the server after the rows reached Kafka; the
      // slot must stay at or before the commit of the first row not committed in Kafka, so that a
      // restart gets that transaction again. (It may pass WAL the server read before that commit:
      // that does not skip the transaction.)
      String rowsInKafka = serverClock(pg, db);
      Awaitility.await("status updates for a second after the rows reached Kafka")
          .atMost(Duration.ofSeconds(30))
          .until(() -> repliedSince(pg, db, "held_slot", rowsInKafka, Duration.ofSeconds(1)));
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
    worker.createConnector("follow", SourceItSupport.connectorConfig(pg, db, "follow"));
    worker.awaitRunning("follow", 1, Duration.ofSeconds(60));
    pg.awaitSlotActive(db, "follow_slot");
    for (int round = 1; round <= 3; round++) {
      long beforeInsert = currentLsn(pg, db);
      pg.executeIn(db, "INSERT INTO t VALUES (" + round + ")");
      Awaitility.await("round " + round + " confirmed")
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(
              () ->
                  Long.compareUnsigned(committedCommitLsn(worker, "follow"), beforeInsert) > 0
                      && Long.compareUnsigned(confirmedFlush(pg, db, "follow_slot"), beforeInsert)
                          > 0);
    }
    worker.connect().deleteConnector("follow");
  }

  @Test
  void theSlotAdvancesWhenOnlyUncapturedTablesChange() throws Exception {
    LocalPostgres pg = LocalPostgres.shared();
    String db = pg.createDatabase("slot_idle");
    pg.executeIn(
        db, "CREATE TABLE captured (id int PRIMARY KEY)", "CREATE TABLE busy (id int PRIMARY KEY)");
    Map<String, String> config = SourceItSupport.connectorConfig(pg, db, "idle");
    config.put("table.include.list", "public\\.captured");
    worker.createConnector("idle", config);
    worker.awaitRunning("idle", 1, Duration.ofSeconds(60));
    pg.awaitSlotActive(db, "idle_slot");
    pg.executeIn(db, "INSERT INTO captured VALUES (1)");
    // Heavy writes to a table the connector does not capture: no record, yet the slot must not
    // hold their WAL.
    pg.executeIn(db, "INSERT INTO busy SELECT generate_series(1, 20000)");
    long afterWrites = currentLsn(pg, db);
    Awaitility.await("the captured row in Kafka")
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> worker.kafka().endOffset(new TopicPartition("idle.public.captured", 0)) >= 1);
    Awaitility.await("slot passes the uncaptured writes")
        .atMost(Duration.ofSeconds(30))
        .until(() -> Long.compareUnsigned(confirmedFlush(pg, db, "idle_slot"), afterWrites) >= 0);
    // The captured row before those writes was committed to Kafka first.
    assertThat(committedCommitLsn(worker, "idle")).as("committed offset").isNotZero();
    assertThat(worker.kafka().endOffset(new TopicPartition("idle.public.captured", 0)))
        .isEqualTo(1);
    assertThat(worker.kafka().describeTopics("idle.public.busy").get("idle.public.busy")).isEmpty();
    worker.connect().deleteConnector("idle");
  }

  /** The commit LSN of the first record of a topic, from its {@code source.commit_lsn}. */
  private static long firstCommitLsn(ConnectCluster connect, String topic) throws Exception {
    byte[] value = connect.kafka().consume(1, 30_000, topic).iterator().next().value();
    return SourceItSupport.JSON.readTree(value).at("/payload/source/commit_lsn").asLong();
  }
}
