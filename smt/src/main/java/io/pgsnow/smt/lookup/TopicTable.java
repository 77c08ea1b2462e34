package io.pgsnow.smt.lookup;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka topic materialised as a table: every partition is read from the beginning, newest value
 * per key wins, tombstones and deletes remove. It is ready once it has read up to the end offsets
 * taken at start, so no join sees a half-loaded table; then it keeps following the topic.
 *
 * <p>When the table's own records pass through the same transform chain (one source connector
 * capturing both tables), they are applied in-line and following the topic pauses: the chain
 * already delivers them in the database's commit order, and a consumer would apply the same changes
 * later, briefly rolling rows back. Such a table is not followed again: once the chain stops, its
 * rows may include changes that never committed, so {@link SharedTopicTables} rebuilds it.
 */
public final class TopicTable implements LookupSource {
  private static final Logger LOG = LoggerFactory.getLogger(TopicTable.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration PARTITION_RETRY = Duration.ofSeconds(5);

  /** What the table is doing, as reported over JMX. */
  public enum Status {
    /** Reading up to the end offsets seen at start; joins wait. */
    LOADING,
    /** Loaded, following the topic. */
    FOLLOWING,
    /** Loaded, updated by the records passing through the chain; the topic is not polled. */
    IN_LINE,
    /** Failed; every lookup fails with the cause. */
    FAILED,
    /** Closed. */
    CLOSED
  }

  private final String topic;
  private final Consumer<byte[], byte[]> consumer;
  private final TableState state;
  private final TableWrites writes;
  private final CountDownLatch loaded = new CountDownLatch(1);
  private final Thread reader;
  private final Object writeLock = new Object();
  private volatile boolean closed;
  private volatile boolean inline;
  private volatile boolean paused;
  private volatile RuntimeException failure;
  private volatile long recordsRead;
  private volatile long lag = -1;
  private final LoadWait loadWait;

  /** How the first join waits for the load: one window of the timeout at a time. */
  public interface LoadWait {
    /** Waits on the latch for the timeout: what a running worker uses. */
    LoadWait TIMED = (loaded, timeout) -> loaded.await(timeout.toMillis(), TimeUnit.MILLISECONDS);

    /** Whether {@code loaded} reached zero within {@code timeout}. */
    boolean await(CountDownLatch loaded, Duration timeout) throws InterruptedException;
  }

  /**
   * Creates the table and starts reading.
   *
   * @param consumer a consumer of the table topic, owned by the table from now on
   * @param keyFields key fields of the table records (see {@link TableRecordDecoder})
   * @param loadWait how the first join waits for the load ({@link LoadWait#TIMED}; tests step it)
   */
  public TopicTable(
      String topic,
      Consumer<byte[], byte[]> consumer,
      TableConverter keyConverter,
      TableConverter valueConverter,
      List<String> keyFields,
      long maxRows,
      long maxBytes,
      LoadWait loadWait) {
    this.loadWait = loadWait;
    this.topic = topic;
    this.consumer = consumer;
    this.state = new TableState(topic, maxRows, maxBytes);
    this.writes =
        new TableWrites(
            topic, keyConverter, valueConverter, new TableRecordDecoder(keyFields), state);
    this.reader = new Thread(this::run, "pgsnow-lookup-table-" + topic);
    reader.setDaemon(true);
    reader.start();
  }

  public String topic() {
    return topic;
  }

  /** Rows held now. */
  public int rows() {
    return state.rows();
  }

  /** Estimated heap held by the rows, in bytes. */
  public long estimatedBytes() {
    return state.estimatedBytes();
  }

  /** Most rows the table may hold. */
  public long maxRows() {
    return state.maxRows();
  }

  /** Most estimated bytes the table's rows may hold. */
  public long maxBytes() {
    return state.maxBytes();
  }

  /** Records read from the topic so far. */
  public long recordsRead() {
    return recordsRead;
  }

  /**
   * Records of the topic not read yet: while loading, up to the end offsets seen at start; then
   * behind the partitions' ends as the last fetch saw them; -1 when not known (before the first
   * fetch, or while updated in-line).
   */
  public long lag() {
    return inline ? -1 : lag;
  }

  /** Whether the table has read to the end offsets it saw at start. */
  public boolean isLoaded() {
    return loaded.getCount() == 0;
  }

  /** Whether the table failed and answers no lookup any more. */
  public boolean isFailed() {
    return failure != null;
  }

  /** What the table failed with, if it did. */
  public Optional<RuntimeException> failure() {
    return Optional.ofNullable(failure);
  }

  /** What the table is doing now. */
  public Status status() {
    if (failure != null) {
      return Status.FAILED;
    }
    if (closed) {
      return Status.CLOSED;
    }
    if (!isLoaded()) {
      return Status.LOADING;
    }
    return inline ? Status.IN_LINE : Status.FOLLOWING;
  }

  private void run() {
    try {
      long start = System.nanoTime();
      Map<TopicPartition, Long> end = assignAll();
      while (!closed && !reachedEnd(end)) {
        applyPolled(consumer.poll(POLL));
        lag =
            end.entrySet().stream()
                .mapToLong(e -> Math.max(0, e.getValue() - consumer.position(e.getKey())))
                .sum();
      }
      LOG.info(
          "Lookup table {} loaded: {} rows (~{} KiB) from {} records in {} ms",
          topic,
          state.rows(),
          state.estimatedBytes() / 1024,
          recordsRead,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
      loaded.countDown();
      follow(end.isEmpty());
    } catch (WakeupException e) {
      LOG.debug("Lookup table {} reader woken up to close", topic);
    } catch (RuntimeException e) {
      LOG.error("Lookup table {} failed", topic, e);
      failure = e;
      loaded.countDown();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  private Map<TopicPartition, Long> assignAll() {
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    return partitions.isEmpty() ? Map.of() : consumer.endOffsets(partitions);
  }

  private boolean reachedEnd(Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  private void follow(boolean noPartitionsYet) throws InterruptedException {
    boolean waiting = noPartitionsYet;
    long nextPartitionCheck = System.nanoTime() + PARTITION_RETRY.toNanos();
    while (!closed) {
      if (inline) {
        pauseWhileInLine();
        continue;
      }
      if (waiting && System.nanoTime() > nextPartitionCheck) {
        // The topic did not exist at start: pick it up once the first record creates it.
        waiting = assignAll().isEmpty();
        nextPartitionCheck = System.nanoTime() + PARTITION_RETRY.toNanos();
      }
      if (waiting) {
        sleep(POLL);
      } else {
        applyPolled(consumer.poll(POLL));
        lag = currentLag();
      }
    }
  }

  private void pauseWhileInLine() throws InterruptedException {
    LOG.info("Lookup table {}: its records flow through this chain; updating in-line", topic);
    synchronized (writeLock) {
      paused = true;
      while (inline && !closed) {
        writeLock.wait(POLL.toMillis());
      }
      paused = false;
    }
  }

  private long currentLag() {
    long sum = 0;
    for (TopicPartition partition : consumer.assignment()) {
      OptionalLong behind = consumer.currentLag(partition);
      if (behind.isEmpty()) {
        return -1;
      }
      sum += behind.getAsLong();
    }
    return sum;
  }

  /** Whether the reader is paused because the table is updated in-line. */
  boolean isPaused() {
    return paused;
  }

  private void applyPolled(ConsumerRecords<byte[], byte[]> records) {
    synchronized (writeLock) {
      for (ConsumerRecord<byte[], byte[]> record : records) {
        if (inline) {
          return;
        }
        recordsRead++;
        writes.applyRead(record);
      }
    }
    LOG.debug("Lookup table {}: {} rows after {} records", topic, state.rows(), recordsRead);
  }

  /**
   * Waits until the table has read to the end offsets it saw at start. A large table may take
   * longer than the timeout: the wait goes on while the table keeps reading, and fails only after a
   * whole timeout without a record read, so a restart with a big table does not fail the task.
   */
  @Override
  public void awaitReady(Duration timeout) throws LookupFailedException {
    long start = System.nanoTime();
    try {
      long seen = recordsRead;
      while (!loadWait.await(loaded, timeout)) {
        long now = recordsRead;
        if (now == seen || closed) {
          throw new LookupFailedException(
              String.format(
                  "Lookup table %s read nothing for %s while loading (%d records read, %d rows)",
                  topic, timeout, now, rows()));
        }
        LOG.info(
            "Lookup table {} still loading after {} s: {} records read, {} rows; the first join"
                + " waits for it",
            topic,
            TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start),
            now,
            rows());
        seen = now;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LookupFailedException("Interrupted while loading lookup table " + topic, e);
    }
    throwIfFailed();
  }

  /**
   * A table over its limits fails the task whatever the failure policy: dropping or keeping records
   * without their row would lose what the limit protects. Other failures are failed lookups.
   */
  private void throwIfFailed() throws LookupFailedException {
    RuntimeException cause = failure;
    if (cause instanceof LookupTableFullException full) {
      throw full;
    }
    if (cause != null) {
      throw new LookupFailedException("Lookup table " + topic + " failed", cause);
    }
  }

  @Override
  public Optional<Object> lookup(LookupKey key) throws LookupFailedException {
    throwIfFailed();
    return state.get(key);
  }

  @Override
  public Optional<Schema> rowSchema() {
    return state.rowSchema();
  }

  @Override
  public InferredRowSchema schemalessRowSchema() {
    return state.schemaless();
  }

  @Override
  public boolean absorb(ConnectRecord<?> record) throws LookupFailedException {
    if (!topic.equals(record.topic())) {
      return false;
    }
    // The load must finish first: applying a newer row before older ones are read would lose it.
    if (!isLoaded()) {
      throw new LookupFailedException("Lookup table " + topic + " is not loaded yet");
    }
    throwIfFailed();
    synchronized (writeLock) {
      inline = true;
      try {
        writes.applyInLine(record);
      } catch (LookupTableFullException e) {
        // The table now misses a row: every user of it must stop, not only this chain.
        failure = e;
        throw e;
      }
    }
    return true;
  }

  @Override
  public void close() {
    closed = true;
    consumer.wakeup();
    synchronized (writeLock) {
      writeLock.notifyAll();
    }
    try {
      reader.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LOG.info("Lookup table {} closed with {} rows", topic, state.rows());
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "TopicTable{" + topic + ", rows=" + rows() + ", bytes~" + estimatedBytes() + "}";
  }
}
