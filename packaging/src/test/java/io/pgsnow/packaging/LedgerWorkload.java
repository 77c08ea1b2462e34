package io.pgsnow.packaging;

import io.pgsnow.testkit.LocalPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fault suite's generator: inserts, updates and deletes on {@code ledger} in transactions of 1
 * to 10 changes, one large transaction per run, and 2 KB rows on {@code blob}. Every change of
 * {@code ledger} is also written by a trigger, in the same transaction, to {@code ledger_changes}
 * as (id, op, version), so the changes PostgreSQL committed are known exactly even when a commit's
 * outcome was lost with its connection (a server crash): the audit table is the oracle. It also
 * keeps when each change was written, by PostgreSQL's clock.
 *
 * <p>Writing is paced by a scheduler (a batch per tick), so a fault lands while changes stream; a
 * tick whose connection failed reconnects and goes on at the next tick.
 */
final class LedgerWorkload implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerWorkload.class);

  static final List<String> SCHEMA_SQL =
      List.of(
          "CREATE TABLE ledger (id bigint PRIMARY KEY, version int NOT NULL, account int NOT NULL,"
              + " amount bigint NOT NULL, note text)",
          "ALTER TABLE ledger REPLICA IDENTITY FULL",
          "CREATE TABLE ledger_changes (seq bigserial PRIMARY KEY, id bigint NOT NULL,"
              + " op char(1) NOT NULL, version int NOT NULL,"
              + " at timestamptz NOT NULL DEFAULT clock_timestamp())",
          """
          CREATE FUNCTION ledger_audit() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF TG_OP = 'DELETE' THEN
              INSERT INTO ledger_changes (id, op, version) VALUES (OLD.id, 'd', OLD.version);
              RETURN OLD;
            END IF;
            INSERT INTO ledger_changes (id, op, version)
              VALUES (NEW.id, CASE TG_OP WHEN 'INSERT' THEN 'c' ELSE 'u' END, NEW.version);
            RETURN NEW;
          END $$""",
          "CREATE TRIGGER ledger_audit AFTER INSERT OR UPDATE OR DELETE ON ledger"
              + " FOR EACH ROW EXECUTE FUNCTION ledger_audit()",
          "CREATE TABLE blob (id bigint PRIMARY KEY, payload text NOT NULL)");

  private static final int TICK_MILLIS = 20;

  private final LocalPostgres pg;
  private final String database;
  private final Random random = new Random(15);
  private final ScheduledExecutorService ticks =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "ledger-workload");
            t.setDaemon(true);
            return t;
          });
  private final Map<Long, Integer> live = new HashMap<>();
  private final List<Long> liveIds = new ArrayList<>();
  private Connection connection;
  private long nextId = 1;
  private long nextBlobId = 1;
  private int failedTicks;
  private boolean stale;

  LedgerWorkload(LocalPostgres pg, String database) {
    this.pg = pg;
    this.database = database;
  }

  /**
   * Writes about {@code changes} changes on ledger, {@code perTick} per tick (every 20 ms), the
   * {@code largeTransaction} changes of one transaction among them halfway; completes once written.
   */
  CompletableFuture<Void> write(int changes, int perTick, int largeTransaction) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    int[] written = {0};
    boolean[] largeWritten = {largeTransaction == 0};
    ScheduledFuture<?>[] task = new ScheduledFuture<?>[1];
    task[0] =
        ticks.scheduleAtFixedRate(
            () -> {
              try {
                if (!largeWritten[0] && written[0] >= changes / 2) {
                  written[0] += transaction(largeTransaction);
                  largeWritten[0] = true;
                } else {
                  int batch = Math.min(perTick, changes - written[0]);
                  while (batch > 0) {
                    int size = Math.min(batch, 1 + random.nextInt(10));
                    written[0] += transaction(size);
                    batch -= size;
                  }
                }
                if (written[0] >= changes && largeWritten[0]) {
                  done.complete(null);
                  task[0].cancel(false);
                }
              } catch (SQLException e) {
                lost(e);
              } catch (RuntimeException e) {
                done.completeExceptionally(e);
                task[0].cancel(false);
              }
            },
            0,
            TICK_MILLIS,
            TimeUnit.MILLISECONDS);
    return done;
  }

  /**
   * Inserts {@code rows} rows of {@code bytes} characters into blob, {@code perTick} per tick, in
   * transactions of 500; completes once written.
   */
  CompletableFuture<Void> writeBlobs(int rows, int perTick, int bytes) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    long last = nextBlobId + rows;
    ScheduledFuture<?>[] task = new ScheduledFuture<?>[1];
    task[0] =
        ticks.scheduleAtFixedRate(
            () -> {
              try {
                Connection c = connection();
                long end = Math.min(last, nextBlobId + perTick);
                try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO blob VALUES (?, repeat(md5(?::text), ?))")) {
                  for (long id = nextBlobId; id < end; id++) {
                    ps.setLong(1, id);
                    ps.setLong(2, id);
                    ps.setInt(3, bytes / 32);
                    ps.addBatch();
                    if ((id - nextBlobId + 1) % 500 == 0) {
                      ps.executeBatch();
                      c.commit();
                    }
                  }
                  ps.executeBatch();
                  c.commit();
                }
                nextBlobId = end;
                if (nextBlobId >= last) {
                  done.complete(null);
                  task[0].cancel(false);
                }
              } catch (SQLException e) {
                done.completeExceptionally(e);
                task[0].cancel(false);
              }
            },
            0,
            TICK_MILLIS,
            TimeUnit.MILLISECONDS);
    return done;
  }

  /** Ticks whose connection failed (the server was down or the connection cut). */
  synchronized int failedTicks() {
    return failedTicks;
  }

  private int transaction(int size) throws SQLException {
    Connection c = connection();
    try (PreparedStatement insert =
            c.prepareStatement("INSERT INTO ledger VALUES (?, 1, ?, ?, ?)");
        PreparedStatement update =
            c.prepareStatement(
                "UPDATE ledger SET version = version + 1, amount = amount + ?, note = ?"
                    + " WHERE id = ?");
        PreparedStatement delete = c.prepareStatement("DELETE FROM ledger WHERE id = ?")) {
      Map<Long, Integer> changed = new HashMap<>();
      List<Long> inserted = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        int dice = random.nextInt(100);
        Long target = liveIds.isEmpty() ? null : liveIds.get(random.nextInt(liveIds.size()));
        if (target == null || dice < 50 || changed.containsKey(target)) {
          long id = nextId++;
          insert.setLong(1, id);
          insert.setInt(2, random.nextInt(1000));
          insert.setLong(3, random.nextInt(100_000));
          insert.setString(4, "note " + id);
          insert.executeUpdate();
          inserted.add(id);
        } else if (dice < 85) {
          update.setLong(1, random.nextInt(1000));
          update.setString(2, "updated " + target);
          update.setLong(3, target);
          update.executeUpdate();
          changed.put(target, live.get(target) + 1);
        } else {
          delete.setLong(1, target);
          delete.executeUpdate();
          changed.put(target, -1);
        }
      }
      c.commit();
      inserted.forEach(id -> changed.put(id, 1));
      changed.forEach(this::remember);
      return size;
    }
  }

  private void remember(long id, int version) {
    if (version < 0) {
      live.remove(id);
      liveIds.remove(id);
    } else if (live.put(id, version) == null) {
      liveIds.add(id);
    }
  }

  private Connection connection() throws SQLException {
    if (connection == null) {
      Connection c = pg.connect(database);
      c.setAutoCommit(false);
      if (stale) {
        reload(c);
        stale = false;
      }
      connection = c;
    }
    return connection;
  }

  /**
   * The connection failed: what the last transaction did is unknown, so the next tick reconnects
   * and reads the live rows again (the trigger's audit is the record of what committed).
   */
  private void lost(SQLException e) {
    synchronized (this) {
      failedTicks++;
    }
    LOG.info("Workload tick failed ({}); reconnecting at the next tick", e.getMessage());
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // already broken
      }
    }
    connection = null;
    stale = true;
  }

  private void reload(Connection c) throws SQLException {
    live.clear();
    liveIds.clear();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, version FROM ledger")) {
      while (rs.next()) {
        remember(rs.getLong(1), rs.getInt(2));
      }
    }
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT coalesce(max(id), 0) + 1 FROM ledger_changes")) {
      rs.next();
      nextId = Math.max(nextId, rs.getLong(1));
    }
    c.commit();
  }

  @Override
  public void close() throws SQLException {
    ticks.shutdownNow();
    if (connection != null) {
      connection.close();
    }
  }
}
