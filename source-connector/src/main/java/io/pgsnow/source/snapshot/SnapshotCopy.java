package io.pgsnow.source.snapshot;

import io.pgsnow.source.events.RecordSizeLimit;
import io.pgsnow.source.replication.ReplicationSetup.TableName;
import io.pgsnow.source.snapshot.SnapshotPlan.Kind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the chunks not done under the exported snapshot (or under one of its own, {@code
 * initial_only}) before streaming starts; task 0 of a snapshot spread over tasks then waits until
 * the other tasks' chunks are in Kafka.
 */
final class SnapshotCopy {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotCopy.class);
  private static final long AWAIT_POLL_MILLIS = 500;

  private final SnapshotScope scope;
  private final SnapshotPlan plan;
  private final List<TableName> lookupTables;
  private final SharedSnapshot.Assignment shared;
  private final SnapshotMetrics metrics;
  private final BooleanSupplier running;

  /**
   * @param shared the task's part of a snapshot spread over tasks, or null
   * @param running false once the task stops
   */
  SnapshotCopy(
      SnapshotScope scope,
      SnapshotPlan plan,
      List<TableName> lookupTables,
      SharedSnapshot.Assignment shared,
      SnapshotMetrics metrics,
      BooleanSupplier running) {
    this.scope = scope;
    this.plan = plan;
    this.lookupTables = lookupTables;
    this.shared = shared;
    this.metrics = metrics;
    this.running = running;
  }

  void run(SnapshotRecords records, BlockingQueue<SourceRecord> queue, RecordSizeLimit sizeLimit)
      throws SQLException, InterruptedException {
    Map<String, Object> offsetKeys = new HashMap<>();
    offsetKeys.put(WatermarkWindow.TABLES_KEY, scope.encodedCaptured());
    int task = 0;
    if (shared != null) {
      offsetKeys.putAll(shared.offsetKeys());
      task = shared.task();
    }
    SnapshotProgress progress = plan.progress();
    SnapshotEmitter emitter =
        new SnapshotEmitter(
            queue,
            sizeLimit,
            records,
            SharedSnapshot.partition(records.topicPrefix(), task),
            progress,
            running,
            offsetKeys,
            task == 0);
    InitialSnapshot snapshot =
        new InitialSnapshot(
            scope.connections(), scope.config(), records, metrics, emitter, progress);
    if (plan.kind() == Kind.PLAIN) {
      snapshot.run(InitialSnapshot::plainReader, 0L, plan.tables(), lookupTables);
      return;
    }
    ExportedSnapshot exported = plan.exported();
    snapshot.run(exported::importInto, exported.consistentPoint(), plan.tables(), lookupTables);
    if (plan.kind() == Kind.EXPORTED && shared != null) {
      awaitOtherTasks();
    }
    exported.close();
    if (plan.kind() == Kind.EXPORTED) {
      checkSlotKeptWal();
    }
  }

  /**
   * Task 0 streams only once every chunk's records are in Kafka: a streamed change of a key must
   * come after the key's snapshot record. The other tasks' committed offsets say which are.
   */
  private void awaitOtherTasks() throws InterruptedException {
    long nextLog = 0;
    SnapshotPhase.TaskOffsets offsets = scope.offsets();
    while (running.getAsBoolean()) {
      SnapshotProgress whole =
          SharedSnapshot.merged(shared, plan.progress(), offsets.reader(), offsets.topicPrefix());
      if (whole.complete()) {
        LOG.info("The snapshot chunks of all {} tasks are in Kafka", shared.tasks());
        return;
      }
      long now = System.currentTimeMillis();
      if (now >= nextLog) {
        LOG.info(
            "Task 0 read its snapshot chunks; waiting for the other tasks' chunks of {} tables to"
                + " be committed before streaming",
            whole.pendingTables());
        nextLog = now + 30_000;
      }
      TimeUnit.MILLISECONDS.sleep(AWAIT_POLL_MILLIS);
    }
    throw new InterruptedException("Stopping");
  }

  private void checkSlotKeptWal() throws SQLException {
    String slotName = scope.slotName();
    try (Connection c = scope.connections().regular();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT wal_status FROM pg_catalog.pg_replication_slots WHERE slot_name = ?")) {
      ps.setString(1, slotName);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next() && "lost".equals(rs.getString(1))) {
          throw new ConnectException(
              "Replication slot "
                  + slotName
                  + " lost WAL it needed while the snapshot ran (its wal_status is lost):"
                  + " max_slot_wal_keep_size is smaller than the WAL written during the"
                  + " snapshot. Raise it (or set it to -1), drop the slot and restart the"
                  + " connector to take the snapshot again; snapshot.max.threads makes it shorter");
        }
      }
    }
  }
}
