package io.pgsnow.source;

import io.pgsnow.source.offsets.SourcePosition;
import io.pgsnow.source.replication.PgConnections;
import io.pgsnow.source.replication.ReplicationSetup;
import io.pgsnow.source.snapshot.ExportedSnapshot;
import io.pgsnow.source.snapshot.SharedSnapshot;
import io.pgsnow.source.snapshot.SnapshotPhase;
import io.pgsnow.source.snapshot.SnapshotProgress;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.connector.ConnectorContext;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector's side of an initial snapshot spread over {@code tasks.max} tasks (see {@link
 * SharedSnapshot}): creates the slot with an exported snapshot, plans the chunks, hands both to the
 * tasks in their configs, and keeps the exporting session open and idle until every chunk is in
 * Kafka, so that a task restarted meanwhile imports the same snapshot again. Should the session be
 * lost before, it asks Kafka Connect for new task configs without the snapshot: task 0 then reads
 * the chunks not done between watermarks.
 */
final class TaskSnapshotExport implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TaskSnapshotExport.class);
  private static final long CHECK_EVERY_MILLIS = 1000;

  private final PgConnections connections;
  private final ExportedSnapshot exported;
  private final String plan;
  private final int tasks;
  private final String topicPrefix;
  private final Thread watcher;
  private volatile boolean running = true;
  private volatile boolean lost;

  private TaskSnapshotExport(
      PgConnections connections,
      ExportedSnapshot exported,
      String plan,
      int tasks,
      String topicPrefix,
      OffsetStorageReader offsets,
      ConnectorContext context) {
    this.connections = connections;
    this.exported = exported;
    this.plan = plan;
    this.tasks = tasks;
    this.topicPrefix = topicPrefix;
    this.watcher =
        new Thread(() -> watch(offsets, context), "pgsnow-snapshot-export-" + topicPrefix);
  }

  /**
   * Exports a snapshot for {@code tasks} tasks when they are to take an initial snapshot under a
   * new slot; empty otherwise (the slot exists: task 0 goes on alone, as with one task).
   */
  static Optional<TaskSnapshotExport> createIfDue(
      PostgresCdcSourceConfig config,
      int tasks,
      OffsetStorageReader offsets,
      ConnectorContext context) {
    Map<String, Object> offset = offsets.offset(SourcePosition.partition(config.topicPrefix()));
    if (!SnapshotPhase.exportDue(config.snapshot().mode(), offset)) {
      return Optional.empty();
    }
    PgConnections connections = new PgConnections(config.connectionOptions());
    SnapshotProgress plan;
    ExportedSnapshot exported;
    try (Connection c = connections.regular()) {
      if (ReplicationSetup.slot(c, config.slotName()).isPresent()) {
        return Optional.empty();
      }
      // Before the slot: pgoutput reads the publication as of each change it decodes.
      ReplicationSetup.ensurePublication(
          c, config.publicationName(), config.publicationAutocreate(), config.tableFilter());
      SignalTablePublication.ensure(c, config);
      List<ReplicationSetup.TableName> captured =
          ReplicationSetup.capturedTables(c, config.tableFilter());
      plan = SnapshotPhase.planForTasks(connections, config.snapshot(), captured, tasks);
      exported = ExportedSnapshot.createSlot(connections, config.slotName());
    } catch (SQLException e) {
      throw new ConnectException(
          "Cannot create slot " + config.slotName() + " with a snapshot for the tasks", e);
    }
    int chunks = plan.plans().stream().mapToInt(SnapshotProgress.TablePlan::chunks).sum();
    LOG.info(
        "The initial snapshot ({} chunks) is spread over {} tasks; task 0 streams once all are in"
            + " Kafka",
        chunks,
        tasks);
    TaskSnapshotExport export =
        new TaskSnapshotExport(
            connections, exported, plan.encode(), tasks, config.topicPrefix(), offsets, context);
    export.watcher.start();
    return Optional.of(export);
  }

  /** Whether the tasks still get the snapshot: false once the exporting session was lost. */
  boolean valid() {
    return !lost;
  }

  /** One config per task, {@code props} with the task's assignment. */
  List<Map<String, String>> taskConfigs(Map<String, String> props) {
    List<Map<String, String>> configs = new ArrayList<>(tasks);
    for (int task = 0; task < tasks; task++) {
      configs.add(assignment(task).into(props));
    }
    return configs;
  }

  private SharedSnapshot.Assignment assignment(int task) {
    return new SharedSnapshot.Assignment(
        exported.snapshotName(), exported.consistentPoint(), plan, task, tasks);
  }

  private void watch(OffsetStorageReader offsets, ConnectorContext context) {
    try {
      while (running && !done(offsets, context)) {
        TimeUnit.MILLISECONDS.sleep(CHECK_EVERY_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether the exported snapshot is no longer needed (closed) or lost (tasks reconfigured). */
  private boolean done(OffsetStorageReader offsets, ConnectorContext context) {
    SharedSnapshot.Assignment first = assignment(0);
    try {
      Map<String, Object> own = offsets.offset(SharedSnapshot.partition(topicPrefix, 0));
      SnapshotProgress whole =
          SharedSnapshot.merged(first, first.progress(own), offsets, topicPrefix);
      if (whole.complete() || streaming(own)) {
        LOG.info("Every snapshot chunk is in Kafka: closing the exported snapshot");
        exported.close();
        return true;
      }
    } catch (RuntimeException e) {
      // The offsets could not be read this time; the snapshot stays until they can.
      LOG.debug("Cannot read the tasks' snapshot progress: {}", e.getMessage());
    }
    if (!exported.importable(connections)) {
      LOG.warn(
          "The session exporting the snapshot for the tasks was lost before every chunk was"
              + " in Kafka: the tasks restart and task 0 reads the chunks left between"
              + " watermarks while streaming");
      lost = true;
      context.requestTaskReconfiguration();
      return true;
    }
    return false;
  }

  /**
   * Whether task 0 committed a streamed record of this slot: its snapshot offsets are gone then,
   * and it streams only once every chunk is in Kafka.
   */
  private boolean streaming(Map<String, Object> own) {
    return SourcePosition.fromOffset(own)
        .filter(p -> Long.compareUnsigned(p.commitLsn(), exported.consistentPoint()) >= 0)
        .isPresent();
  }

  @Override
  public void close() {
    running = false;
    watcher.interrupt();
    try {
      watcher.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    exported.close();
  }
}
