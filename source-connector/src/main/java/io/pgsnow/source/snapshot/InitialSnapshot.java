package io.pgsnow.source.snapshot;

import io.pgsnow.source.events.TableSchema;
import io.pgsnow.source.replication.PgConnections;
import io.pgsnow.source.replication.ReplicationSetup;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the tables under the slot's exported snapshot: every reader imports the snapshot, so all
 * of them see the database exactly as of the slot's consistent point, and reads block-range chunks
 * of any table with COPY until none is left. Rows go straight to the bounded queue, so memory does
 * not grow with the table.
 */
public final class InitialSnapshot {
  private static final Logger LOG = LoggerFactory.getLogger(InitialSnapshot.class);
  private static final String UNDEFINED_TABLE = "42P01";
  private static final String INSUFFICIENT_PRIVILEGE = "42501";
  private static final String LOCK_NOT_AVAILABLE = "55P03";
  private static final int PROGRESS_EVERY = 1024;

  private final PgConnections connections;
  private final SnapshotConfig config;
  private final SnapshotRecords records;
  private final SnapshotMetrics metrics;
  private final SnapshotEmitter emitter;
  private final SnapshotProgress progress;

  private record Work(SnapshotTable table, SnapshotProgress.TablePlan plan, int chunk) {}

  public InitialSnapshot(
      PgConnections connections,
      SnapshotConfig config,
      SnapshotRecords records,
      SnapshotMetrics metrics,
      SnapshotEmitter emitter,
      SnapshotProgress progress) {
    this.connections = connections;
    this.config = config;
    this.records = records;
    this.metrics = metrics;
    this.emitter = emitter;
    this.progress = progress;
  }

  /** Plans the chunks of {@code tables} into the progress, for {@code threads} readers. */
  public static void plan(
      SnapshotProgress progress, List<SnapshotTable> tables, SnapshotConfig config, int threads) {
    for (SnapshotTable t : tables) {
      boolean overridden = config.override(t.name().schema(), t.name().table()).isPresent();
      progress.addPlan(ChunkPlanner.plan(t, threads, overridden));
    }
  }

  /** Prepares a reader's transaction before its first chunk. */
  @FunctionalInterface
  public interface ReaderSetup {
    void prepare(Connection reader) throws SQLException;
  }

  /**
   * Reads every planned chunk of {@code tables} not done yet, each reader prepared by {@code setup}
   * (importing the exported snapshot), rows marked as consistent with {@code lsn}. The chunks of
   * {@code first} are all read, by all readers, before any other: a lookup join in the connector's
   * chain must hold every row of its table before it joins the other tables' rows against it. Other
   * tables wait rather than being read ahead, because their rows could only be held in memory
   * beyond the bounded queue; lookup tables are usually the small ones.
   */
  public void run(
      ReaderSetup setup,
      long lsn,
      List<SnapshotTable> tables,
      List<ReplicationSetup.TableName> first)
      throws InterruptedException {
    ConcurrentLinkedQueue<Work> leading = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Work> rest = new ConcurrentLinkedQueue<>();
    Map<SnapshotProgress.TablePlan, AtomicInteger> chunksLeft = new ConcurrentHashMap<>();
    long estimated = 0;
    int tablesToRead = 0;
    for (SnapshotProgress.TablePlan plan : progress.plans()) {
      if (plan.complete()) {
        continue; // read already, by another task, or dropped (then not among the tables)
      }
      SnapshotTable table = find(tables, plan);
      int left = queueChunks(table, plan, first.contains(table.name()) ? leading : rest);
      chunksLeft.put(plan, new AtomicInteger(left));
      // This task's share: the other tasks of a snapshot spread over tasks read the rest.
      estimated += table.estimatedRows() * left / plan.chunks();
      tablesToRead++;
    }
    metrics.started(tablesToRead, estimated);
    int chunks = leading.size() + rest.size();
    int threads = Math.max(1, Math.min(config.maxThreads(), chunks));
    LOG.info(
        "Snapshot of {} tables (about {} rows) in {} chunks with {} threads, consistent with {}",
        tablesToRead,
        estimated,
        chunks,
        threads,
        Long.toUnsignedString(lsn));
    List<Connection> readers = new ArrayList<>();
    Connection guard = null;
    ExecutorService pool =
        Executors.newFixedThreadPool(threads, r -> new Thread(r, "pgsnow-snapshot-reader"));
    try {
      // Every reader imports the snapshot while the exporting session is open and idle.
      for (int i = 0; i < threads; i++) {
        Connection c = connections.regular();
        readers.add(c);
        setup.prepare(c);
      }
      // Before any reader touches a table, as pg_dump does: a DROP or ALTER issued later waits
      // for the snapshot instead of changing a table under it.
      guard = connections.regular();
      lockAll(guard, tables);
      readInTurn(List.of(leading, rest), readers, pool, chunksLeft, lsn);
      emitter.finish();
      metrics.finished();
    } catch (SQLException e) {
      throw new ConnectException("Cannot start the snapshot's readers: " + e.getMessage(), e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof InterruptedException ie) {
        throw ie;
      }
      throw cause instanceof ConnectException ce
          ? ce
          : new ConnectException("Snapshot failed: " + cause.getMessage(), cause);
    } finally {
      pool.shutdownNow();
      for (Connection c : readers) {
        close(c);
      }
      if (guard != null) {
        close(guard);
      }
    }
  }

  /** Queues the chunks of {@code plan} not done yet; returns how many. */
  private static int queueChunks(
      SnapshotTable table, SnapshotProgress.TablePlan plan, ConcurrentLinkedQueue<Work> work) {
    int left = 0;
    for (int chunk = 0; chunk < plan.chunks(); chunk++) {
      if (!plan.isDone(chunk)) {
        work.add(new Work(table, plan, chunk));
        left++;
      }
    }
    return left;
  }

  /**
   * All readers read the chunks of each queue in turn: a queue only once the one before is done.
   */
  private void readInTurn(
      List<ConcurrentLinkedQueue<Work>> queues,
      List<Connection> readers,
      ExecutorService pool,
      Map<SnapshotProgress.TablePlan, AtomicInteger> chunksLeft,
      long lsn)
      throws InterruptedException, ExecutionException {
    for (ConcurrentLinkedQueue<Work> work : queues) {
      // The first reader to fail fails the snapshot at once; the others are interrupted.
      CompletionService<Void> done = new ExecutorCompletionService<>(pool);
      for (Connection c : readers) {
        done.submit(
            () -> {
              readAll(c, work, chunksLeft, lsn);
              return null;
            });
      }
      for (int i = 0; i < readers.size(); i++) {
        done.take().get();
      }
    }
  }

  private void readAll(
      Connection c,
      ConcurrentLinkedQueue<Work> work,
      Map<SnapshotProgress.TablePlan, AtomicInteger> chunksLeft,
      long lsn)
      throws SQLException, InterruptedException {
    Work w;
    while ((w = work.poll()) != null) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException();
      }
      SnapshotTable table = w.table();
      String override = config.override(table.name().schema(), table.name().table()).orElse(null);
      String select = ChunkPlanner.select(table, w.plan(), w.chunk(), override);
      long readMillis = System.currentTimeMillis();
      long[] ordinal = {0};
      int columns = table.relation().columns().size();
      TableSchema schema = records.schema(table);
      Savepoint savepoint = c.setSavepoint();
      try {
        lockNowait(c, table);
        long rows =
            ChunkReader.copy(
                c,
                select,
                columns,
                tuple -> {
                  emitter.put(
                      records.row(table, schema, tuple, readMillis, "true", lsn, ordinal[0]++));
                  if ((ordinal[0] & (PROGRESS_EVERY - 1)) == 0) {
                    metrics.rowsRead(PROGRESS_EVERY);
                  }
                });
        c.releaseSavepoint(savepoint);
        metrics.rowsRead(rows & (PROGRESS_EVERY - 1));
      } catch (SQLException e) {
        if (!UNDEFINED_TABLE.equals(e.getSQLState())) {
          throw failure(table, e);
        }
        c.rollback(savepoint);
        LOG.warn(
            "Table {} was dropped during the snapshot; it is left out (its topic holds the rows"
                + " copied before the drop)",
            table.name());
      }
      emitter.chunkDone(w.plan(), w.chunk());
      metrics.chunkCompleted();
      if (chunksLeft.get(w.plan()).decrementAndGet() == 0) {
        metrics.tableCompleted();
      }
    }
  }

  /**
   * Takes ACCESS SHARE locks on every table in one transaction held until the snapshot ends. A
   * table dropped since the slot's snapshot is left to the readers, which skip it.
   */
  private static void lockAll(Connection guard, List<SnapshotTable> tables) throws SQLException {
    guard.setAutoCommit(false);
    for (SnapshotTable table : tables) {
      Savepoint savepoint = guard.setSavepoint();
      try (java.sql.Statement s = guard.createStatement()) {
        s.execute("LOCK TABLE ONLY " + table.name().quoted() + " IN ACCESS SHARE MODE");
        guard.releaseSavepoint(savepoint);
      } catch (SQLException e) {
        if (!UNDEFINED_TABLE.equals(e.getSQLState())) {
          throw failure(table, e);
        }
        guard.rollback(savepoint);
      }
    }
  }

  /**
   * A reader's lock on the table of its chunk. The guard holds one already, so this waits only when
   * another session queued a conflicting lock (DROP, ALTER, TRUNCATE…) behind the guard's: waiting
   * then would deadlock the snapshot, so it fails at once and names the table.
   */
  private static void lockNowait(Connection c, SnapshotTable table) throws SQLException {
    try (java.sql.Statement s = c.createStatement()) {
      s.execute("LOCK TABLE ONLY " + table.name().quoted() + " IN ACCESS SHARE MODE NOWAIT");
    }
  }

  /** A reader with a snapshot of its own, for {@code initial_only} after a restart. */
  static void plainReader(Connection c) throws SQLException {
    c.setAutoCommit(false);
    try (java.sql.Statement s = c.createStatement()) {
      s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    }
  }

  static ConnectException failure(SnapshotTable table, SQLException e) {
    if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
      return new ConnectException(
          "The snapshot stopped at table "
              + table.name()
              + ": another session waits for a lock on it that conflicts with reading it (DROP"
              + " TABLE, ALTER TABLE, TRUNCATE, VACUUM FULL, CLUSTER, LOCK TABLE). The snapshot"
              + " holds ACCESS SHARE locks on its tables until it ends and cannot wait behind"
              + " that statement without a deadlock. That statement runs now; restart the task"
              + " and the snapshot resumes with the chunks not yet in Kafka (a dropped table is"
              + " left out). Run such statements after the snapshot (SnapshotRunning=false)",
          e);
    }
    if (INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
      return new ConnectException(
          "The snapshot cannot read table "
              + table.name()
              + ": the connector's database.user lacks SELECT on it. GRANT SELECT ON "
              + table.name()
              + " to it, or leave the table out with table.include.list or"
              + " snapshot.include.collection.list",
          e);
    }
    return new ConnectException(
        "The snapshot of table " + table.name() + " failed: " + e.getMessage(), e);
  }

  private static SnapshotTable find(List<SnapshotTable> tables, SnapshotProgress.TablePlan plan) {
    for (SnapshotTable t : tables) {
      if (t.name().schema().equals(plan.schema()) && t.name().table().equals(plan.table())) {
        return t;
      }
    }
    throw new IllegalStateException("No table for plan " + plan.schema() + "." + plan.table());
  }

  private static void close(Connection c) {
    try {
      c.rollback();
      c.close();
    } catch (SQLException e) {
      LOG.debug("Closing a snapshot reader failed", e);
    }
  }
}
