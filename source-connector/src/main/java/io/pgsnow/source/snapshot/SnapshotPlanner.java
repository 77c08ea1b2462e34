package io.pgsnow.source.snapshot;

import io.pgsnow.source.replication.PgConnections;
import io.pgsnow.source.replication.ReplicationSetup.TableName;
import io.pgsnow.source.snapshot.SnapshotPlan.Kind;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides at start what to snapshot from {@code snapshot.mode}, the committed offsets and the slot,
 * and plans its chunks; creates the slot with an exported snapshot when a snapshot is due and the
 * slot does not exist yet.
 */
final class SnapshotPlanner {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotPlanner.class);

  private SnapshotPlanner() {}

  /**
   * The snapshot of a task reading alone, or of task 0 when a snapshot spread over tasks can no
   * longer be imported.
   *
   * @param lookupTables the captured tables that a lookup join of the connector's chain takes
   *     in-line: their rows are snapshotted before any other table's
   */
  static SnapshotPlan plan(SnapshotScope scope, List<TableName> lookupTables, boolean slotExists)
      throws SQLException {
    SnapshotConfig config = scope.config();
    Map<String, ?> offset = scope.offsets().own();
    List<TableName> eligible = lookupTablesFirst(eligible(config, scope.captured()), lookupTables);
    SnapshotConfig.Mode mode = config.mode();
    boolean all = snapshotsAll(mode, offset == null || offset.isEmpty(), slotExists);
    // An unfinished snapshot's progress, read only when no full snapshot is due. Of a snapshot
    // spread over tasks, a chunk is done when the offsets of the task owning it say so.
    Optional<SnapshotProgress> stored =
        all
            ? Optional.empty()
            : SharedSnapshot.merged(offset, scope.offsets().reader(), scope.offsets().topicPrefix())
                .or(() -> SnapshotProgress.fromOffset(offset));
    SnapshotProgress progress = new SnapshotProgress();
    List<SnapshotTable> tables = new ArrayList<>();
    Kind kind = Kind.NONE;
    ExportedSnapshot exported = null;
    if (all) {
      tables.addAll(loadSelectable(scope.connections(), eligible));
      InitialSnapshot.plan(progress, tables, config, config.maxThreads());
      if (!slotExists) {
        kind = Kind.EXPORTED;
        exported = ExportedSnapshot.createSlot(scope.connections(), scope.slotName());
      } else {
        kind = mode == SnapshotConfig.Mode.INITIAL_ONLY ? Kind.PLAIN : Kind.WATERMARK;
        LOG.info(
            "Slot {} exists already, so the snapshot ({}) is read in chunks between watermarks"
                + " while streaming",
            scope.slotName(),
            mode.name().toLowerCase(Locale.ROOT));
      }
    } else if (stored.isPresent() && !stored.get().complete()) {
      progress = stored.get();
      kind = mode == SnapshotConfig.Mode.INITIAL_ONLY ? Kind.PLAIN : Kind.WATERMARK;
      LOG.info(
          "Resuming an unfinished snapshot: the chunks not yet in Kafka are read {}",
          kind == Kind.PLAIN ? "again" : "between watermarks while streaming");
      if (kind == Kind.PLAIN) {
        tables.addAll(load(scope.connections(), progress));
      }
    } else if (mode != SnapshotConfig.Mode.NO_DATA
        && offset != null
        && offset.get(WatermarkWindow.TABLES_KEY) instanceof String known) {
      addNewTables(progress, eligible, known);
      kind = progress.complete() ? Kind.NONE : Kind.WATERMARK;
    }
    if (kind != Kind.NONE && !lookupTables.isEmpty()) {
      LOG.info(
          "Tables {} are lookup tables of a join in this connector's chain: the snapshot emits"
              + " all their rows before any other table's",
          lookupTables);
    }
    return new SnapshotPlan(kind, progress, tables, exported);
  }

  /**
   * The chunks a task of a snapshot spread over tasks reads under the connector's exported
   * snapshot. Empty when the whole snapshot is in Kafka already, or when the snapshot cannot be
   * imported any more: then what is left is read between watermarks, as after any interrupted
   * snapshot.
   */
  static Optional<SnapshotPlan> shared(SnapshotScope scope, SharedSnapshot.Assignment shared)
      throws SQLException {
    SnapshotPhase.TaskOffsets offsets = scope.offsets();
    SnapshotProgress own = shared.progress(offsets.own());
    if (SharedSnapshot.merged(shared, own, offsets.reader(), offsets.topicPrefix()).complete()) {
      return Optional.empty();
    }
    ExportedSnapshot imported = ExportedSnapshot.imported(shared.export(), shared.consistentLsn());
    if (!imported.importable(scope.connections())) {
      LOG.warn(
          "The snapshot the connector exported for its {} tasks cannot be imported any more: the"
              + " chunks not yet in Kafka are read between watermarks while streaming",
          shared.tasks());
      return Optional.empty();
    }
    return Optional.of(
        new SnapshotPlan(
            shared.task() == 0 ? Kind.EXPORTED : Kind.CHUNKS_ONLY,
            own,
            load(scope.connections(), own),
            imported));
  }

  /** Whether the tasks of a new slot take an initial snapshot: the connector exports one then. */
  static boolean exportDue(SnapshotConfig.Mode mode, Map<String, ?> offset) {
    return snapshotsAll(mode, offset == null || offset.isEmpty(), false);
  }

  /** The chunks of an initial snapshot read by {@code tasks} tasks, planned for all of them. */
  static SnapshotProgress planForTasks(
      PgConnections connections, SnapshotConfig config, List<TableName> captured, int tasks)
      throws SQLException {
    SnapshotProgress plan = new SnapshotProgress();
    List<SnapshotTable> tables = loadSelectable(connections, eligible(config, captured));
    InitialSnapshot.plan(plan, tables, config, config.maxThreads() * tasks);
    return plan;
  }

  /** Whether a start snapshots every eligible table. */
  static boolean snapshotsAll(SnapshotConfig.Mode mode, boolean noOffset, boolean slotExists) {
    return switch (mode) {
      case INITIAL, INITIAL_ONLY -> noOffset;
      case WHEN_NEEDED -> noOffset || !slotExists;
      case ALWAYS -> true;
      case NO_DATA -> false;
    };
  }

  /**
   * {@code tables} with the lookup tables first: the chunks are planned, read between watermarks
   * and resumed in this order.
   */
  static List<TableName> lookupTablesFirst(List<TableName> tables, List<TableName> lookupTables) {
    List<TableName> ordered = new ArrayList<>(tables);
    ordered.sort(Comparator.comparing(t -> !lookupTables.contains(t)));
    return ordered;
  }

  /**
   * The captured tables that {@code snapshot.include.collection.list} keeps, but the signal table.
   */
  static List<TableName> eligible(SnapshotConfig config, List<TableName> captured) {
    List<TableName> eligible = new ArrayList<>();
    String signal = config.signalTable().orElse("");
    for (TableName t : captured) {
      if (config.snapshots(t.schema(), t.table()) && !signal.equals(t.schema() + "." + t.table())) {
        eligible.add(t);
      }
    }
    return eligible;
  }

  /** Plans an incremental snapshot of the eligible tables not among the {@code known} ones. */
  static void addNewTables(SnapshotProgress progress, List<TableName> eligible, String known) {
    CapturedTables before = CapturedTables.decode(known);
    for (TableName t : eligible) {
      if (!before.contains(t)) {
        progress.addKeyed(t.schema(), t.table());
        LOG.info("Table {} is captured since the last run: it gets an incremental snapshot", t);
      }
    }
  }

  private static List<SnapshotTable> loadSelectable(
      PgConnections connections, List<TableName> names) throws SQLException {
    List<SnapshotTable> tables = new ArrayList<>();
    try (Connection c = connections.regular()) {
      for (TableName name : names) {
        SnapshotTable t = SnapshotTable.load(c, name).orElse(null);
        if (t == null) {
          continue;
        }
        if (!t.selectable()) {
          throw InitialSnapshot.failure(
              t, new SQLException("permission denied for table " + name, "42501"));
        }
        tables.add(t);
      }
    }
    return tables;
  }

  /** The planned tables that still exist; the chunks of a dropped one are done. */
  private static List<SnapshotTable> load(PgConnections connections, SnapshotProgress progress)
      throws SQLException {
    List<SnapshotTable> tables = new ArrayList<>();
    try (Connection c = connections.regular()) {
      for (SnapshotProgress.TablePlan plan : progress.plans()) {
        Optional<SnapshotTable> t =
            SnapshotTable.load(c, new TableName(plan.schema(), plan.table()));
        if (t.isPresent()) {
          tables.add(t.get());
        } else {
          for (int i = 0; i < plan.chunks(); i++) {
            progress.chunkDone(plan, i);
          }
        }
      }
    }
    return tables;
  }
}
