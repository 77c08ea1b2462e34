package io.pgsnow.source.snapshot;

import io.pgsnow.source.decoding.TupleData;
import io.pgsnow.source.replication.PgConnections;
import io.pgsnow.source.replication.ReplicationSetup.TableName;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads snapshot chunks while the stream goes on, each between a low and a high watermark (see
 * {@link WatermarkWindow}): the block ranges an interrupted initial snapshot had not finished, and
 * the tables of incremental snapshots in key order, {@code incremental.snapshot.chunk.size} rows at
 * a time. Incremental snapshots start on a signal-table row or for tables captured since the last
 * run.
 */
public final class WatermarkSnapshotter implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(WatermarkSnapshotter.class);

  private final PgConnections connections;
  private final SnapshotConfig config;
  private final SnapshotRecords records;
  private final SnapshotProgress progress;
  private final WatermarkWindow window;
  private final WatermarkWriter writer;
  private final SnapshotMetrics metrics;
  private final Supplier<List<TableName>> captured;
  private final ConcurrentLinkedQueue<String[]> signals = new ConcurrentLinkedQueue<>();
  private final Map<String, Optional<SnapshotTable>> tables = new HashMap<>();
  private final AtomicLong chunkIds = new AtomicLong(System.currentTimeMillis());
  private final Object wakeUp = new Object();
  private volatile boolean running = true;
  private volatile Throwable failure;

  WatermarkSnapshotter(
      PgConnections connections,
      SnapshotConfig config,
      SnapshotRecords records,
      SnapshotProgress progress,
      WatermarkWindow window,
      WatermarkWriter writer,
      SnapshotMetrics metrics,
      Supplier<List<TableName>> captured) {
    this.connections = connections;
    this.config = config;
    this.records = records;
    this.progress = progress;
    this.window = window;
    this.writer = writer;
    this.metrics = metrics;
    this.captured = captured;
  }

  /** A signal-table row other than a watermark; handled on this thread. */
  void signal(String type, String data) {
    signals.add(new String[] {type, data});
    synchronized (wakeUp) {
      wakeUp.notifyAll();
    }
  }

  /** Queues incremental snapshots of {@code names} (tables captured since the last run). */
  void snapshotLater(List<TableName> names) {
    for (TableName name : names) {
      progress.addKeyed(name.schema(), name.table());
    }
  }

  Throwable failure() {
    return failure;
  }

  void stop() {
    running = false;
    synchronized (wakeUp) {
      wakeUp.notifyAll();
    }
  }

  @Override
  public void run() {
    try (Connection c = connections.regular()) {
      boolean announced = false;
      // Tables left by an interrupted snapshot or captured since the last run; signalled tables
      // are counted when their signal arrives.
      int carriedOver = progress.pendingTables();
      while (running) {
        handleSignals(c);
        if (!progress.complete() && !announced) {
          metrics.started(carriedOver, 0);
          carriedOver = 0;
          announced = true;
        }
        if (!readNextChunk(c)) {
          tables.clear(); // read the catalog again for the next snapshot: columns may change
          if (announced) {
            metrics.finished();
            announced = false;
          }
          synchronized (wakeUp) {
            if (signals.isEmpty() && running) {
              wakeUp.wait(1000);
            }
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      if (running) {
        LOG.error("Snapshot while streaming failed", e);
        failure = e;
      }
    } finally {
      writer.close();
    }
  }

  private boolean readNextChunk(Connection c) throws SQLException, InterruptedException {
    for (SnapshotProgress.TablePlan plan : progress.plans()) {
      for (int chunk = 0; chunk < plan.chunks(); chunk++) {
        if (!plan.isDone(chunk)) {
          readBlockChunk(c, plan, chunk);
          return true;
        }
      }
    }
    Optional<SnapshotProgress.KeyedTable> keyed = progress.currentKeyed();
    if (keyed.isPresent()) {
      readKeyChunk(c, keyed.get());
      return true;
    }
    return false;
  }

  private void readBlockChunk(Connection c, SnapshotProgress.TablePlan plan, int chunk)
      throws SQLException, InterruptedException {
    Optional<SnapshotTable> table = table(c, plan.schema(), plan.table());
    if (table.isEmpty()) {
      LOG.warn("Table {}.{} no longer exists; its snapshot ends", plan.schema(), plan.table());
      for (int i = 0; i < plan.chunks(); i++) {
        progress.chunkDone(plan, i);
      }
      return;
    }
    SnapshotTable t = table.get();
    String override = config.override(plan.schema(), plan.table()).orElse(null);
    String select = ChunkPlanner.select(t, plan, chunk, override);
    readBetweenWatermarks(
        c,
        t,
        select,
        rows -> {
          progress.chunkDone(plan, chunk);
          if (plan.complete()) {
            metrics.tableCompleted();
          }
        });
  }

  private void readKeyChunk(Connection c, SnapshotProgress.KeyedTable keyed)
      throws SQLException, InterruptedException {
    Optional<SnapshotTable> table = table(c, keyed.schema(), keyed.table());
    if (table.isEmpty() || !table.get().hasKey()) {
      LOG.error(
          table.isEmpty()
              ? "Table {}.{} does not exist; its incremental snapshot ends"
              : "Table {}.{} has no primary key: an incremental snapshot reads a table in key"
                  + " order and needs one (add a primary key or REPLICA IDENTITY USING INDEX);"
                  + " its incremental snapshot ends",
          keyed.schema(),
          keyed.table());
      progress.keyedChunkDone(keyed, null);
      return;
    }
    SnapshotTable t = table.get();
    String override = config.override(keyed.schema(), keyed.table()).orElse(null);
    StringBuilder select =
        new StringBuilder("SELECT ")
            .append(t.columnList())
            .append(" FROM ")
            .append(override == null ? t.name().quoted() : "(" + override + ") AS o");
    if (keyed.afterKey() != null) {
      select.append(" WHERE (").append(t.keyList()).append(") > (");
      int[] keys = t.keyIndexes();
      for (int i = 0; i < keys.length; i++) {
        select.append(i == 0 ? "" : ", ").append("CAST(");
        select.append(SnapshotTable.literal(keyed.afterKey().get(i)));
        select.append(" AS ").append(t.columnTypes().get(keys[i])).append(')');
      }
      select.append(')');
    }
    select.append(" ORDER BY ").append(t.keyList()).append(" LIMIT ").append(config.chunkSize());
    readBetweenWatermarks(
        c,
        t,
        select.toString(),
        rows -> {
          if (rows.size() < config.chunkSize()) {
            progress.keyedChunkDone(keyed, null);
            metrics.tableCompleted();
            LOG.info("Incremental snapshot of {} finished", t.name());
          } else {
            progress.keyedChunkDone(keyed, keyParts(t, rows.get(rows.size() - 1)));
          }
        });
  }

  private static List<String> keyParts(SnapshotTable t, TupleData row) {
    List<String> parts = new ArrayList<>();
    for (int index : t.keyIndexes()) {
      parts.add(row.text(index));
    }
    return parts;
  }

  @FunctionalInterface
  private interface ChunkDone {
    void run(List<TupleData> rows);
  }

  private void readBetweenWatermarks(Connection c, SnapshotTable t, String select, ChunkDone done)
      throws SQLException, InterruptedException {
    List<TupleData> tuples = new ArrayList<>();
    WatermarkWindow.Chunk chunk =
        new WatermarkWindow.Chunk(
            Long.toString(chunkIds.incrementAndGet()),
            records.schema(t).topic(),
            () -> done.run(tuples));
    window.register(chunk);
    writer.low(chunk.id);
    long readMillis = System.currentTimeMillis();
    int columns = t.relation().columns().size();
    try {
      ChunkReader.copy(c, select, columns, tuples::add);
    } catch (SQLException e) {
      throw InitialSnapshot.failure(t, e);
    }
    List<SnapshotRecords.Row> rows = new ArrayList<>(tuples.size());
    for (TupleData tuple : tuples) {
      rows.add(records.row(t, tuple, readMillis, "incremental", 0L, 0L));
    }
    chunk.rows = rows;
    writer.high(chunk.id);
    long waited = 0;
    while (running) {
      try {
        chunk.emitted.get(1, TimeUnit.SECONDS);
        break;
      } catch (TimeoutException e) {
        if (++waited % 60 == 0) {
          LOG.warn(
              "The high watermark of chunk {} of {} has not come back for {} s",
              chunk.id,
              t.name(),
              waited);
        }
      } catch (ExecutionException e) {
        throw new ConnectException("Chunk " + chunk.id + " failed", e.getCause());
      }
    }
    metrics.rowsRead(tuples.size());
    metrics.chunkCompleted();
  }

  private void handleSignals(Connection c) throws SQLException {
    String[] signal;
    while ((signal = signals.poll()) != null) {
      SignalData data = SignalData.parse(signal[1]);
      switch (signal[0]) {
        case "execute-snapshot" -> executeSnapshot(c, data);
        case "stop-snapshot" -> {
          progress.stopKeyed(data.collections());
          LOG.info(
              "Stopped incremental snapshots of {}",
              data.collections().isEmpty() ? "all tables" : data.collections());
        }
        default -> LOG.warn("Ignoring signal of unknown type {}", signal[0]);
      }
    }
  }

  private void executeSnapshot(Connection c, SignalData data) throws SQLException {
    if (!"incremental".equalsIgnoreCase(data.type())) {
      LOG.error("Snapshot signal of type {} is not supported; use incremental", data.type());
      return;
    }
    for (String pattern : data.collections()) {
      boolean matched = false;
      for (TableName name : captured.get()) {
        if (matches(name, pattern)) {
          matched = true;
          Optional<SnapshotTable> t = table(c, name.schema(), name.table());
          if (t.isPresent() && !t.get().hasKey()) {
            LOG.error(
                "Table {} has no primary key: an incremental snapshot reads a table in key order"
                    + " and needs one (add a primary key or REPLICA IDENTITY USING INDEX)",
                name);
          } else if (progress.addKeyed(name.schema(), name.table())) {
            metrics.started(1, t.map(SnapshotTable::estimatedRows).orElse(0L));
            LOG.info("Incremental snapshot of {} requested by signal", name);
          }
        }
      }
      if (!matched) {
        LOG.warn(
            "Snapshot signal names {}, which the connector does not capture (see table.include.list)",
            pattern);
      }
    }
  }

  private static boolean matches(TableName name, String pattern) {
    String full = name.schema() + "." + name.table();
    try {
      return full.equals(pattern) || full.matches(pattern);
    } catch (java.util.regex.PatternSyntaxException e) {
      return false;
    }
  }

  private Optional<SnapshotTable> table(Connection c, String schema, String table)
      throws SQLException {
    String key = schema + "." + table;
    Optional<SnapshotTable> t = tables.get(key);
    if (t == null) {
      t = SnapshotTable.load(c, new TableName(schema, table));
      tables.put(key, t);
    }
    return t;
  }
}
