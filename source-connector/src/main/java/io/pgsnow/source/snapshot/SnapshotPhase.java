package io.pgsnow.source.snapshot;

import io.pgsnow.source.config.PublicationAutocreate;
import io.pgsnow.source.events.RecordSizeLimit;
import io.pgsnow.source.events.TransactionAssembler;
import io.pgsnow.source.replication.PgConnections;
import io.pgsnow.source.replication.ReplicationSetup.TableName;
import io.pgsnow.source.replication.StreamReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides at start what to snapshot ({@code snapshot.mode}, the offsets, the slot) and runs it: a
 * slot created with an exported snapshot whose tables are copied before streaming starts at the
 * slot's consistent point; or chunks read between watermarks while streaming (an interrupted
 * snapshot's rest, {@code always} on an existing slot, incremental snapshots).
 */
public final class SnapshotPhase implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotPhase.class);
  private static final long AWAIT_POLL_MILLIS = 500;

  /** How the snapshot of this start is read. */
  enum Kind {
    NONE,
    EXPORTED,
    /** Chunks of a snapshot spread over tasks, read by a task other than task 0. */
    CHUNKS_ONLY,
    WATERMARK,
    PLAIN
  }

  private final Kind kind;
  private final SnapshotConfig config;
  private final PgConnections connections;
  private final String slotName;
  private final SnapshotProgress progress;
  private final List<SnapshotTable> tables;
  private final List<TableName> captured;
  private final String tableList;
  private final ExportedSnapshot exported;
  private final SnapshotMetrics metrics;
  private List<TableName> lookupTables = List.of();
  private SharedSnapshot.Assignment shared;
  private TaskOffsets offsets;
  private volatile Throwable failure;
  private volatile boolean running = true;
  private Thread thread;
  private WatermarkSnapshotter watermarks;

  private SnapshotPhase(
      Kind kind,
      SnapshotConfig config,
      PgConnections connections,
      String slotName,
      SnapshotProgress progress,
      List<SnapshotTable> tables,
      List<TableName> captured,
      ExportedSnapshot exported,
      SnapshotMetrics metrics) {
    this.kind = kind;
    this.config = config;
    this.connections = connections;
    this.slotName = slotName;
    this.progress = progress;
    this.tables = tables;
    this.captured = captured;
    this.tableList = CapturedTables.encode(captured);
    this.exported = exported;
    this.metrics = metrics;
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
    Map<String, ?> offset = offsets.own();
    if (shared != null) {
      Optional<SnapshotPhase> phase =
          prepareShared(connections, config, slotName, connectorName, offsets, captured, shared);
      if (phase.isPresent()) {
        return phase.get();
      }
    }
    List<TableName> eligible = lookupTablesFirst(eligible(config, captured), lookupTables);
    SnapshotConfig.Mode mode = config.mode();
    boolean all = snapshotsAll(mode, offset == null || offset.isEmpty(), slotExists);
    // A snapshot spread over tasks: a chunk is done when the offsets of the task owning it say so.
    Optional<SnapshotProgress> stored =
        SharedSnapshot.merged(offset, offsets.reader(), offsets.topicPrefix())
            .or(() -> SnapshotProgress.fromOffset(offset));
    SnapshotProgress progress = new SnapshotProgress();
    List<SnapshotTable> tables = new ArrayList<>();
    Kind kind = Kind.NONE;
    ExportedSnapshot exported = null;
    if (all) {
      tables.addAll(loadSelectable(connections, eligible));
      InitialSnapshot.plan(progress, tables, config, config.maxThreads());
      if (!slotExists) {
        kind = Kind.EXPORTED;
        exported = ExportedSnapshot.createSlot(connections, slotName);
      } else {
        kind = mode == SnapshotConfig.Mode.INITIAL_ONLY ? Kind.PLAIN : Kind.WATERMARK;
        LOG.info(
            "Slot {} exists already, so the snapshot ({}) is read in chunks between watermarks"
                + " while streaming",
            slotName,
            mode.name().toLowerCase(java.util.Locale.ROOT));
      }
    } else if (stored.isPresent() && !stored.get().complete()) {
      progress = stored.get();
      kind = mode == SnapshotConfig.Mode.INITIAL_ONLY ? Kind.PLAIN : Kind.WATERMARK;
      LOG.info(
          "Resuming an unfinished snapshot: the chunks not yet in Kafka are read {}",
          kind == Kind.PLAIN ? "again" : "between watermarks while streaming");
      if (kind == Kind.PLAIN) {
        tables.addAll(load(connections, progress));
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
    SnapshotPhase phase =
        new SnapshotPhase(
            kind,
            config,
            connections,
            slotName,
            progress,
            tables,
            captured,
            exported,
            new SnapshotMetrics().register(connectorName, 0));
    phase.lookupTables = lookupTables;
    return phase;
  }

  /**
   * Task 0 of a snapshot spread over tasks: reads its chunks under the connector's exported
   * snapshot, then waits for the other tasks' chunks before it streams. Empty when the whole
   * snapshot is in Kafka already, or when the snapshot cannot be imported any more: then what is
   * left is read between watermarks, as after any interrupted snapshot.
   */
  private static Optional<SnapshotPhase> prepareShared(
      PgConnections connections,
      SnapshotConfig config,
      String slotName,
      String connectorName,
      TaskOffsets offsets,
      List<TableName> captured,
      SharedSnapshot.Assignment shared)
      throws SQLException {
    SnapshotProgress own = shared.progress(offsets.own());
    if (SharedSnapshot.merged(shared, own, offsets.reader(), offsets.topicPrefix()).complete()) {
      return Optional.empty();
    }
    ExportedSnapshot imported = ExportedSnapshot.imported(shared.export(), shared.consistentLsn());
    if (!imported.importable(connections)) {
      LOG.warn(
          "The snapshot the connector exported for its {} tasks cannot be imported any more: the"
              + " chunks not yet in Kafka are read between watermarks while streaming",
          shared.tasks());
      return Optional.empty();
    }
    SnapshotPhase phase =
        new SnapshotPhase(
            shared.task() == 0 ? Kind.EXPORTED : Kind.CHUNKS_ONLY,
            config,
            connections,
            slotName,
            own,
            load(connections, own),
            captured,
            imported,
            new SnapshotMetrics().register(connectorName, shared.task()));
    phase.shared = shared;
    phase.offsets = offsets;
    return Optional.of(phase);
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
    SnapshotProgress own = shared.progress(offsets.own());
    Optional<SnapshotPhase> phase =
        own.complete()
            ? Optional.empty()
            : prepareShared(connections, config, "", connectorName, offsets, List.of(), shared);
    if (phase.isPresent()) {
      return phase.get();
    }
    SnapshotPhase idle =
        new SnapshotPhase(
            Kind.NONE,
            config,
            connections,
            "",
            own,
            List.of(),
            List.of(),
            null,
            new SnapshotMetrics().register(connectorName, shared.task()));
    idle.shared = shared;
    return idle;
  }

  /** Whether the tasks of a new slot take an initial snapshot: the connector exports one then. */
  public static boolean exportDue(SnapshotConfig.Mode mode, Map<String, ?> offset) {
    return snapshotsAll(mode, offset == null || offset.isEmpty(), false);
  }

  /** The chunks of an initial snapshot read by {@code tasks} tasks, planned for all of them. */
  public static SnapshotProgress planForTasks(
      PgConnections connections, SnapshotConfig config, List<TableName> captured, int tasks)
      throws SQLException {
    SnapshotProgress plan = new SnapshotProgress();
    List<SnapshotTable> tables = loadSelectable(connections, eligible(config, captured));
    InitialSnapshot.plan(plan, tables, config, config.maxThreads() * tasks);
    return plan;
  }

  /**
   * {@code tables} with the lookup tables first: the chunks are planned, read between watermarks
   * and resumed in this order.
   */
  private static List<TableName> lookupTablesFirst(
      List<TableName> tables, List<TableName> lookupTables) {
    List<TableName> ordered = new ArrayList<>(tables);
    ordered.sort(Comparator.comparing(t -> !lookupTables.contains(t)));
    return ordered;
  }

  private static List<TableName> eligible(SnapshotConfig config, List<TableName> captured) {
    List<TableName> eligible = new ArrayList<>();
    String signal = config.signalTable().orElse("");
    for (TableName t : captured) {
      if (config.snapshots(t.schema(), t.table()) && !signal.equals(t.schema() + "." + t.table())) {
        eligible.add(t);
      }
    }
    return eligible;
  }

  private static boolean snapshotsAll(
      SnapshotConfig.Mode mode, boolean noOffset, boolean slotExists) {
    return switch (mode) {
      case INITIAL, INITIAL_ONLY -> noOffset;
      case WHEN_NEEDED -> noOffset || !slotExists;
      case ALWAYS -> true;
      case NO_DATA -> false;
    };
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

  private static void addNewTables(
      SnapshotProgress progress, List<TableName> eligible, String known) {
    CapturedTables before = CapturedTables.decode(known);
    for (TableName t : eligible) {
      if (!before.contains(t)) {
        progress.addKeyed(t.schema(), t.table());
        LOG.info("Table {} is captured since the last run: it gets an incremental snapshot", t);
      }
    }
  }

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

  /**
   * Adds the signal table to a publication whose table list the connector sets ({@code filtered});
   * a {@code FOR ALL TABLES} one has it already, a user-managed one must have it.
   */
  public static void publishSignalTable(
      Connection c, SnapshotConfig snapshot, PublicationAutocreate mode, String publicationName)
      throws SQLException {
    Optional<String> signal = snapshot.signalTable();
    if (signal.isEmpty() || mode != PublicationAutocreate.FILTERED) {
      return;
    }
    String[] parts = signal.get().split("\\.", 2);
    TableName name = new TableName(parts[0], parts[1]);
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT 1 FROM pg_catalog.pg_publication_tables"
                + " WHERE pubname = ? AND schemaname = ? AND tablename = ?")) {
      ps.setString(1, publicationName);
      ps.setString(2, parts[0]);
      ps.setString(3, parts[1]);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          return;
        }
      }
    }
    try (java.sql.Statement s = c.createStatement()) {
      s.execute(
          "ALTER PUBLICATION "
              + SnapshotTable.quote(publicationName)
              + " ADD TABLE "
              + name.quoted());
    } catch (SQLException e) {
      throw new ConnectException(
          "Cannot add the signal table "
              + name
              + " (signal.data.collection) to publication "
              + publicationName
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** Whether this start created the slot (with its exported snapshot). */
  public boolean createdSlot() {
    return exported != null && shared == null;
  }

  /** Whether the stream starts at the new slot's consistent point, not at the offsets. */
  public boolean streamsFromNewSlot() {
    return kind == Kind.EXPORTED;
  }

  /**
   * Starts the thread of a task other than task 0 of a snapshot spread over tasks: it copies the
   * chunks the task owns, if any are left, and ends.
   */
  public void startChunks(
      TransactionAssembler.Settings settings,
      BlockingQueue<SourceRecord> queue,
      RecordSizeLimit sizeLimit) {
    if (kind == Kind.NONE) {
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
    TableName signal =
        config
            .signalTable()
            .map(
                s -> new TableName(s.substring(0, s.indexOf('.')), s.substring(s.indexOf('.') + 1)))
            .orElse(null);
    WatermarkWriter writer = new WatermarkWriter(connections, serverVersionNum, signal);
    WatermarkWindow[] window = new WatermarkWindow[1];
    WatermarkSnapshotter[] snapshotter = new WatermarkSnapshotter[1];
    window[0] =
        new WatermarkWindow(
            records,
            progress,
            tableList,
            config.signalTable().orElse(null),
            (type, data) -> snapshotter[0].signal(type, data));
    snapshotter[0] =
        new WatermarkSnapshotter(
            connections, config, records, progress, window[0], writer, metrics, () -> captured);
    watermarks = snapshotter[0];
    reader.observe(window[0]);
    if ((kind == Kind.WATERMARK) && !writer.available()) {
      throw new ConnectException(
          "A snapshot while streaming needs watermarks: PostgreSQL before 14 does not pass"
              + " logical messages through pgoutput, so set signal.data.collection to a signal"
              + " table the connector can insert into");
    }
    thread =
        new Thread(
            () -> run(records, queue, sizeLimit, startStreaming), "pgsnow-snapshot-" + slotName);
    thread.start();
  }

  private void run(
      SnapshotRecords records,
      BlockingQueue<SourceRecord> queue,
      RecordSizeLimit sizeLimit,
      Runnable startStreaming) {
    try {
      if (kind == Kind.EXPORTED || kind == Kind.PLAIN || kind == Kind.CHUNKS_ONLY) {
        copy(records, queue, sizeLimit);
      }
      if (kind == Kind.CHUNKS_ONLY) {
        LOG.info("Task {}'s snapshot chunks are read; task 0 streams", shared.task());
        return;
      }
      if (config.mode() == SnapshotConfig.Mode.INITIAL_ONLY) {
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

  /** Copies the chunks not done under the exported snapshot (or one of its own, initial_only). */
  private void copy(
      SnapshotRecords records, BlockingQueue<SourceRecord> queue, RecordSizeLimit sizeLimit)
      throws SQLException, InterruptedException {
    Map<String, Object> offsetKeys = new HashMap<>();
    offsetKeys.put(WatermarkWindow.TABLES_KEY, tableList);
    int task = 0;
    if (shared != null) {
      offsetKeys.putAll(shared.offsetKeys());
      task = shared.task();
    }
    SnapshotEmitter emitter =
        new SnapshotEmitter(
            queue,
            sizeLimit,
            records,
            SharedSnapshot.partition(records.topicPrefix(), task),
            progress,
            () -> running,
            offsetKeys,
            task == 0);
    InitialSnapshot snapshot =
        new InitialSnapshot(connections, config, records, metrics, emitter, progress);
    if (kind == Kind.PLAIN) {
      snapshot.run(InitialSnapshot::plainReader, 0L, tables, lookupTables);
      return;
    }
    snapshot.run(exported::importInto, exported.consistentPoint(), tables, lookupTables);
    if (kind == Kind.EXPORTED && shared != null) {
      awaitOtherTasks();
    }
    exported.close();
    if (kind == Kind.EXPORTED) {
      checkSlotKeptWal();
    }
  }

  /**
   * Task 0 streams only once every chunk's records are in Kafka: a streamed change of a key must
   * come after the key's snapshot record. The other tasks' committed offsets say which are.
   */
  private void awaitOtherTasks() throws InterruptedException {
    long nextLog = 0;
    while (running) {
      SnapshotProgress whole =
          SharedSnapshot.merged(shared, progress, offsets.reader(), offsets.topicPrefix());
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
    try (Connection c = connections.regular();
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
    if (exported != null) {
      exported.close();
    }
    metrics.close();
  }
}
