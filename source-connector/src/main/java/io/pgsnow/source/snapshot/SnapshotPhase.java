package io.pgsnow.source.snapshot;

import io.pgsnow.source.events.RecordSizeLimit;
import io.pgsnow.source.events.TransactionAssembler;
import io.pgsnow.source.replication.PgConnections;
import io.pgsnow.source.replication.ReplicationSetup.TableName;
import io.pgsnow.source.replication.StreamReader;
import io.pgsnow.source.snapshot.SnapshotPlan.Kind;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshot of a task's start and its thread: a slot created with an exported snapshot whose
 * tables are copied before streaming starts at the slot's consistent point; or chunks read between
 * watermarks while streaming (an interrupted snapshot's rest, {@code always} on an existing slot,
 * incremental snapshots). {@link SnapshotPlanner} decides which, {@link SnapshotCopy} copies.
 */
public final class SnapshotPhase implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotPhase.class);

  private final SnapshotScope scope;
  private final SnapshotPlan plan;
  private final List<TableName> lookupTables;
  private final SharedSnapshot.Assignment shared;
  private final SnapshotMetrics metrics;
  private volatile Throwable failure;
  private volatile boolean running = true;
  private Thread thread;
  private WatermarkSnapshotter watermarks;

  /**
   * @param shared the task's part of a snapshot spread over tasks, or null
   */
  private SnapshotPhase(
      SnapshotScope scope,
      SnapshotPlan plan,
      List<TableName> lookupTables,
      SharedSnapshot.Assignment shared) {
    this.scope = scope;
    this.plan = plan;
    this.lookupTables = lookupTables;
    this.shared = shared;
    this.metrics =
        new SnapshotMetrics().register(scope.connectorName(), shared == null ? 0 : shared.task());
  }

  /**
   * The committed offsets a task starts from: its own, and the reader to look up those of the other
   * tasks of a snapshot spread over several.
   *
   * @param own the task's committed offset, or null
   */
  public record TaskOffsets(Map<String, ?> own, OffsetStorageReader reader, String topicPrefix) {}

  /**
   * Decides what to snapshot and, when a snapshot is due and the slot does not exist yet, creates
   * the slot with an exported snapshot.
   *
   * @param offsets the task's committed offsets
   * @param captured the tables the connector captures
   * @param lookupTables the captured tables that a lookup join of the connector's chain takes
   *     in-line: their rows are snapshotted before any other table's
   * @param shared task 0's part of a snapshot spread over tasks, or null: task 0 reads its chunks
   *     under the connector's exported snapshot, then waits for the other tasks' chunks before it
   *     streams
   */
  public static SnapshotPhase prepare(
      PgConnections connections,
      SnapshotConfig config,
      String slotName,
      String connectorName,
      TaskOffsets offsets,
      List<TableName> captured,
      List<TableName> lookupTables,
      boolean slotExists,
      SharedSnapshot.Assignment shared)
      throws SQLException {
    SnapshotScope scope =
        new SnapshotScope(connections, config, slotName, connectorName, offsets, captured);
    if (shared != null) {
      Optional<SnapshotPlan> plan = SnapshotPlanner.shared(scope, shared);
      if (plan.isPresent()) {
        return new SnapshotPhase(scope, plan.get(), List.of(), shared);
      }
    }
    return new SnapshotPhase(
        scope, SnapshotPlanner.plan(scope, lookupTables, slotExists), lookupTables, null);
  }

  /**
   * A task other than task 0 of a snapshot spread over tasks: it reads its chunks under the
   * connector's exported snapshot and then has nothing more to do (task 0 streams).
   */
  public static SnapshotPhase prepareChunks(
      PgConnections connections,
      SnapshotConfig config,
      String connectorName,
      TaskOffsets offsets,
      SharedSnapshot.Assignment shared)
      throws SQLException {
    SnapshotScope scope =
        new SnapshotScope(connections, config, "", connectorName, offsets, List.of());
    SnapshotProgress own = shared.progress(offsets.own());
    Optional<SnapshotPlan> plan =
        own.complete() ? Optional.empty() : SnapshotPlanner.shared(scope, shared);
    return new SnapshotPhase(
        scope, plan.orElse(new SnapshotPlan(Kind.NONE, own, List.of(), null)), List.of(), shared);
  }

  /** Whether the tasks of a new slot take an initial snapshot: the connector exports one then. */
  public static boolean exportDue(SnapshotConfig.Mode mode, Map<String, ?> offset) {
    return SnapshotPlanner.exportDue(mode, offset);
  }

  /** The chunks of an initial snapshot read by {@code tasks} tasks, planned for all of them. */
  public static SnapshotProgress planForTasks(
      PgConnections connections, SnapshotConfig config, List<TableName> captured, int tasks)
      throws SQLException {
    return SnapshotPlanner.planForTasks(connections, config, captured, tasks);
  }

  /** Whether this start created the slot (with its exported snapshot). */
  public boolean createdSlot() {
    return plan.exported() != null && shared == null;
  }

  /** Whether the stream starts at the new slot's consistent point, not at the offsets. */
  public boolean streamsFromNewSlot() {
    return plan.kind() == Kind.EXPORTED;
  }

  /**
   * Starts the thread of a task other than task 0 of a snapshot spread over tasks: it copies the
   * chunks the task owns, if any are left, and ends.
   */
  public void startChunks(
      TransactionAssembler.Settings settings,
      BlockingQueue<SourceRecord> queue,
      RecordSizeLimit sizeLimit) {
    if (plan.kind() == Kind.NONE) {
      LOG.info("Task {} has no snapshot chunk to read", shared.task());
      return;
    }
    SnapshotRecords records = new SnapshotRecords(settings, System::currentTimeMillis);
    thread =
        new Thread(
            () -> run(records, queue, sizeLimit, () -> {}),
            "pgsnow-snapshot-" + shared.task() + "-" + settings.topicPrefix());
    thread.start();
  }

  /**
   * Starts the snapshot's thread: it copies the tables first when the slot was created with an
   * exported snapshot, then calls {@code startStreaming} (not for {@code initial_only}), then reads
   * chunks between watermarks for as long as the task runs.
   */
  public void start(
      TransactionAssembler.Settings settings,
      BlockingQueue<SourceRecord> queue,
      RecordSizeLimit sizeLimit,
      StreamReader reader,
      int serverVersionNum,
      Runnable startStreaming) {
    SnapshotRecords records = new SnapshotRecords(settings, System::currentTimeMillis);
    SnapshotConfig config = scope.config();
    TableName signal =
        config
            .signalTable()
            .map(
                s -> new TableName(s.substring(0, s.indexOf('.')), s.substring(s.indexOf('.') + 1)))
            .orElse(null);
    WatermarkWriter writer = new WatermarkWriter(scope.connections(), serverVersionNum, signal);
    WatermarkWindow[] window = new WatermarkWindow[1];
    WatermarkSnapshotter[] snapshotter = new WatermarkSnapshotter[1];
    window[0] =
        new WatermarkWindow(
            records,
            plan.progress(),
            scope.encodedCaptured(),
            config.signalTable().orElse(null),
            (type, data) -> snapshotter[0].signal(type, data));
    snapshotter[0] =
        new WatermarkSnapshotter(
            scope.connections(),
            config,
            records,
            plan.progress(),
            window[0],
            writer,
            metrics,
            scope::captured);
    watermarks = snapshotter[0];
    reader.observe(window[0]);
    if ((plan.kind() == Kind.WATERMARK) && !writer.available()) {
      throw new ConnectException(
          "A snapshot while streaming needs watermarks: PostgreSQL before 14 does not pass"
              + " logical messages through pgoutput, so set signal.data.collection to a signal"
              + " table the connector can insert into");
    }
    thread =
        new Thread(
            () -> run(records, queue, sizeLimit, startStreaming),
            "pgsnow-snapshot-" + scope.slotName());
    thread.start();
  }

  private void run(
      SnapshotRecords records,
      BlockingQueue<SourceRecord> queue,
      RecordSizeLimit sizeLimit,
      Runnable startStreaming) {
    try {
      if (plan.copies()) {
        new SnapshotCopy(scope, plan, lookupTables, shared, metrics, () -> running)
            .run(records, queue, sizeLimit);
      }
      if (plan.kind() == Kind.CHUNKS_ONLY) {
        LOG.info("Task {}'s snapshot chunks are read; task 0 streams", shared.task());
        return;
      }
      if (scope.config().mode() == SnapshotConfig.Mode.INITIAL_ONLY) {
        LOG.info("snapshot.mode=initial_only: the snapshot is done and nothing is streamed");
        return;
      }
      startStreaming.run();
      watermarks.run();
      if (watermarks.failure() != null) {
        failure = watermarks.failure();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable e) {
      if (running) {
        LOG.error("Snapshot failed", e);
        failure = e;
      }
    }
  }

  /** Fails the task when the snapshot failed. */
  public void throwIfFailed() {
    Throwable cause = failure;
    if (cause != null) {
      throw cause instanceof ConnectException ce
          ? ce
          : new ConnectException("Snapshot failed", cause);
    }
  }

  @Override
  public void close() {
    running = false;
    if (watermarks != null) {
      watermarks.stop();
    }
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (plan.exported() != null) {
      plan.exported().close();
    }
    metrics.close();
  }
}
