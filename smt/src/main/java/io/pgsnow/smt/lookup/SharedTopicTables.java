package io.pgsnow.smt.lookup;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topic tables of a worker, shared by the joins (tasks) that read the same topic with the same
 * settings: a worker running eight tasks of one connector holds one copy of the table and one
 * consumer, not eight. Each join holds a {@link Lease}; the last lease to close stops the table.
 *
 * <p>This is state shared across tasks on purpose, and the only such state of the transforms. It
 * lives in the plugin's class loader, so tables are shared within one plugin installation of a
 * worker (the transforms zip, or the copy inside the source or sink zip), never across workers. A
 * failed table is not handed out again: the next join opens a fresh one, which a task restart
 * therefore rebuilds, while the leases of the failed one still report its failure.
 *
 * <p>A table that a chain updates in-line holds that chain's records, some of which may never
 * commit (a task being stopped, its transaction aborted), so it is never handed to a join that
 * starts later: a task restarted before its predecessor let go of the table reads its own copy,
 * loaded from the topic's committed records, the very records its source replays from. When the
 * last chain that updated a table in-line stops while other joins still hold it, the table is
 * rebuilt from the topic for them, and their next join waits until it is loaded.
 */
public final class SharedTopicTables {
  private static final Logger LOG = LoggerFactory.getLogger(SharedTopicTables.class);

  /** The tables of this worker (of this plugin class loader). */
  public static final SharedTopicTables WORKER = new SharedTopicTables();

  private final Map<TopicTableSpec, Shared> tables = new HashMap<>();

  /** A table with the leases on it. Guarded by the registry's lock. */
  private final class Shared {
    final TopicTableSpec spec;
    final Function<TopicTableSpec, TopicTable> open;
    final LookupTableMetrics metrics;
    volatile TopicTable table;
    int users;
    int inLineWriters;

    Shared(TopicTableSpec spec, Function<TopicTableSpec, TopicTable> open) {
      this.spec = spec;
      this.open = open;
      this.table = open.apply(spec);
      this.metrics = LookupTableMetrics.register(() -> table, this::usersNow);
    }

    private int usersNow() {
      synchronized (SharedTopicTables.this) {
        return users;
      }
    }
  }

  /**
   * A lease on the table of {@code spec}, opening it with {@code open} when no usable one is held.
   */
  public Lease acquire(TopicTableSpec spec, Function<TopicTableSpec, TopicTable> open) {
    synchronized (this) {
      Shared shared = tables.get(spec);
      if (shared != null && shared.table.isFailed()) {
        LOG.info("Lookup table {} failed earlier; opening a new one", spec.topic());
        shared = null;
      } else if (shared != null && shared.inLineWriters > 0) {
        LOG.info(
            "Lookup table {} is updated in-line by a running chain (a task still stopping, or"
                + " another task): this join reads its own copy from the topic",
            spec.topic());
        shared = null;
      }
      if (shared == null) {
        warnIfOverHeap(spec);
        shared = new Shared(spec, open);
        tables.put(spec, shared);
      } else {
        LOG.info("Lookup table {} is shared by {} joins", spec.topic(), shared.users + 1);
      }
      shared.users++;
      return new Lease(shared);
    }
  }

  private static void warnIfOverHeap(TopicTableSpec spec) {
    long heap = Runtime.getRuntime().maxMemory();
    if (spec.maxBytes() > heap / 2) {
      LOG.warn(
          "Lookup table {}: topic.max.bytes={} is more than half the worker's heap ({} bytes): the"
              + " worker may run out of memory before the table reaches its limit",
          spec.topic(),
          spec.maxBytes(),
          heap);
    }
  }

  /** The tables held now. */
  public synchronized List<TopicTable> tables() {
    return tables.values().stream().map(s -> s.table).toList();
  }

  private void release(Shared shared, boolean wroteInLine) {
    TopicTable toClose = null;
    boolean last;
    synchronized (this) {
      shared.users--;
      last = shared.users == 0;
      if (last) {
        tables.remove(shared.spec, shared);
        toClose = shared.table;
      } else if (wroteInLine && --shared.inLineWriters == 0) {
        // The rows this chain took in-line may never have committed: the joins left read the topic.
        LOG.info(
            "Lookup table {}: the chain that updated it in-line stopped; rebuilding it from the"
                + " topic for the {} joins left",
            shared.spec.topic(),
            shared.users);
        toClose = shared.table;
        shared.table = shared.open.apply(shared.spec);
      }
    }
    // Outside the lock: closing waits for the reader thread, and other joins may open tables.
    if (last) {
      shared.metrics.close();
    }
    if (toClose != null) {
      toClose.close();
    }
  }

  private synchronized void wroteInLine(Shared shared) {
    shared.inLineWriters++;
  }

  /** One join's use of a shared table; closing it releases the table once. */
  public final class Lease implements LookupSource {
    private final Shared shared;
    private boolean closed;
    private boolean wroteInLine;

    private Lease(Shared shared) {
      this.shared = shared;
    }

    /** The table leased, e.g. to report its size. */
    public TopicTable table() {
      return shared.table;
    }

    @Override
    public void awaitReady(Duration timeout) throws LookupFailedException {
      shared.table.awaitReady(timeout);
    }

    @Override
    public boolean isReady() {
      return shared.table.isLoaded();
    }

    @Override
    public Optional<Object> lookup(LookupKey key) throws LookupFailedException {
      return shared.table.lookup(key);
    }

    @Override
    public Optional<Schema> rowSchema() {
      return shared.table.rowSchema();
    }

    @Override
    public InferredRowSchema schemalessRowSchema() {
      return shared.table.schemalessRowSchema();
    }

    @Override
    public boolean absorb(ConnectRecord<?> record) throws LookupFailedException {
      if (!shared.table.absorb(record)) {
        return false;
      }
      if (!wroteInLine) {
        wroteInLine = true;
        wroteInLine(shared);
      }
      return true;
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        release(shared, wroteInLine);
      }
    }

    @Override
    public String toString() {
      return "Lease{" + shared.table + "}";
    }
  }
}
