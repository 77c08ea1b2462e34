package io.pgsnow.source.replication;

import io.pgsnow.common.retry.Retries;
import io.pgsnow.common.retry.RetryPolicy;
import io.pgsnow.source.decoding.PgOutputDecoder;
import io.pgsnow.source.decoding.PgOutputMessage;
import io.pgsnow.source.events.RecordSizeLimit;
import io.pgsnow.source.events.StreamedTransactionTooLargeException;
import io.pgsnow.source.events.TransactionAssembler;
import io.pgsnow.source.metrics.SourceTaskMetrics;
import io.pgsnow.source.offsets.SourcePosition;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread that reads the replication stream, decodes it and puts records on the task's queue.
 * When the connection drops it reconnects from the last record it queued, so nothing is skipped or
 * repeated. Transient failures are retried under a {@link RetryPolicy}; a stream that delivered a
 * message since the last failure starts a new sequence of retries.
 */
public final class StreamReader implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamReader.class);
  private static final long MAX_IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  /**
   * What the reader has done, published after each message as one consistent snapshot for the
   * status thread: the last record queued, the LSN up to which the stream was read with nothing
   * left pending, and whether a transaction is open.
   */
  public record State(SourcePosition lastQueued, long caughtUpLsn, boolean inTransaction) {}

  private final StreamOpener opener;
  private final Function<TransactionAssembler.RecordSink, TransactionAssembler> assemblers;
  private final BlockingQueue<SourceRecord> queue;
  private final RecordSizeLimit sizeLimit;
  private final SourceTaskMetrics.Counters metrics;
  private final AtomicReference<LogicalStream> current = new AtomicReference<>();
  private final Retries retries;
  private boolean progressed;
  private final AtomicReference<State> state;
  private volatile boolean running = true;
  private volatile Throwable failure;
  private SourcePosition lastQueued;
  private boolean streamInProgress = true;
  private volatile StreamObserver observer = StreamObserver.NONE;
  private Beat beat = position -> null;

  /** Heartbeats, asked between transactions whether one is due. */
  @FunctionalInterface
  public interface Beat {
    /**
     * @param position the position a heartbeat may claim: everything up to it is queued
     * @return the record to queue, or null when none is due
     */
    SourceRecord due(SourcePosition position);
  }

  /** Opens a stream from a start LSN, with in-progress streaming unless told not to. */
  @FunctionalInterface
  public interface StreamOpener {
    LogicalStream open(long startLsn, boolean streamInProgress) throws SQLException;
  }

  /**
   * @param resumeAfter the last position already in Kafka, or null to start from the slot
   * @param assemblers makes an assembler that resumes after the given position for each connection
   */
  public StreamReader(
      StreamOpener opener,
      SourcePosition resumeAfter,
      AssemblerFactory assemblers,
      BlockingQueue<SourceRecord> queue,
      RecordSizeLimit sizeLimit,
      SourceTaskMetrics.Counters metrics,
      RetryPolicy retryPolicy) {
    this.sizeLimit = sizeLimit;
    this.opener = opener;
    this.retries =
        new Retries(
            retryPolicy, e -> e instanceof SQLException sql && PgConnections.isTransient(sql));
    this.queue = queue;
    this.metrics = metrics;
    this.lastQueued = resumeAfter;
    this.state = new AtomicReference<>(new State(null, 0L, true));
    this.assemblers = sink -> assemblers.create(lastQueued, sink);
  }

  /** Builds the assembler of one connection. */
  @FunctionalInterface
  public interface AssemblerFactory {
    TransactionAssembler create(SourcePosition resumeAfter, TransactionAssembler.RecordSink sink);
  }

  /** Lets {@code observer} see the stream from the next message on. */
  public void observe(StreamObserver observer) {
    this.observer = observer;
  }

  /** Sets the heartbeats; call before the thread starts. */
  public void heartbeat(Beat beat) {
    this.beat = beat;
  }

  public State state() {
    return state.get();
  }

  public LogicalStream stream() {
    return current.get();
  }

  public Throwable failure() {
    return failure;
  }

  @Override
  public void run() {
    while (running) {
      try {
        readUntilStopped();
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (StreamedTransactionTooLargeException e) {
        // Nothing of the transaction was emitted: read again from the last record queued and let
        // PostgreSQL hold large transactions until they commit.
        LOG.warn(
            "{}; reopening the stream after {} without in-progress streaming for this task",
            e.getMessage(),
            lastQueued);
        streamInProgress = false;
        closeStream();
        metrics.streamingFellBack();
      } catch (SQLException e) {
        if (!running) {
          return;
        }
        if (progressed) {
          retries.succeeded();
          progressed = false;
        }
        Optional<Duration> wait = retries.failed(e);
        if (wait.isEmpty()) {
          failure = e;
          return;
        }
        Duration backoff = wait.get();
        LOG.warn(
            "Replication stream failed ({}), reconnecting in {} ms (failure {}; at most {} in a"
                + " row)",
            e.getMessage(),
            backoff.toMillis(),
            retries.failures(),
            retries.policy().maxRetries() + 1);
        closeStream();
        metrics.reconnected();
        LockSupport.parkNanos(backoff.toNanos());
      } catch (RuntimeException | Error e) {
        failure = e;
        return;
      }
    }
  }

  private void readUntilStopped() throws SQLException, InterruptedException {
    long startLsn = lastQueued == null ? 0L : lastQueued.commitLsn();
    LogicalStream stream = opener.open(startLsn, streamInProgress);
    current.set(stream);
    PgOutputDecoder decoder = new PgOutputDecoder();
    TransactionAssembler assembler = assemblers.apply(this::enqueue);
    long idleParkNanos = 0;
    while (running) {
      LogicalStream.Received received = stream.readPending();
      if (received.payload() == null) {
        if (!assembler.inTransaction()) {
          state.set(new State(lastQueued, received.lsn(), false));
          beatIfDue(received.lsn());
        }
        idleParkNanos = Math.min(MAX_IDLE_PARK_NANOS, Math.max(50_000L, idleParkNanos * 2));
        LockSupport.parkNanos(idleParkNanos);
        continue;
      }
      idleParkNanos = 0;
      progressed = true;
      PgOutputMessage message = decoder.decode(received.payload());
      observer.message(message, received.lsn(), this::enqueue);
      assembler.accept(message, received.lsn());
      State previous = state.get();
      state.set(new State(lastQueued, previous.caughtUpLsn(), assembler.inTransaction()));
      if (!assembler.inTransaction()) {
        beatIfDue(previous.caughtUpLsn());
      }
    }
  }

  /**
   * Queues a heartbeat when one is due. Its offset claims the position read up to with nothing
   * pending ({@code caughtUpLsn}, from outside any transaction) when that lies past the last record
   * queued: once Kafka Connect commits it, every record before it is committed too, and a restart
   * from there still receives every transaction committing at or after it (event MIN_VALUE sorts
   * before all records of a transaction committing exactly there, its BEGIN record at -1 too).
   */
  private void beatIfDue(long caughtUpLsn) throws InterruptedException {
    SourcePosition position = lastQueued;
    if (caughtUpLsn != 0
        && (position == null || Long.compareUnsigned(caughtUpLsn, position.commitLsn()) > 0)) {
      position = new SourcePosition(caughtUpLsn, Long.MIN_VALUE, 0L);
    }
    if (position == null) {
      return;
    }
    SourceRecord record = beat.due(position);
    if (record == null) {
      return;
    }
    // Through the observer like any record: the heartbeat's offset carries the snapshot's state.
    offer(observer.queued(record));
    lastQueued = position;
    state.set(new State(lastQueued, state.get().caughtUpLsn(), false));
  }

  private void enqueue(SourceRecord queued) throws InterruptedException {
    SourceRecord record = observer.queued(queued);
    offer(record);
    lastQueued = SourcePosition.fromOffset(record.sourceOffset()).orElseThrow();
    metrics.recordQueued(record.timestamp());
  }

  private void offer(SourceRecord record) throws InterruptedException {
    sizeLimit.measure(record);
    while (!queue.offer(record, 100, TimeUnit.MILLISECONDS)) {
      if (!running) {
        throw new InterruptedException("Stopping");
      }
    }
  }

  public void stop() {
    running = false;
    closeStream();
  }

  private void closeStream() {
    LogicalStream stream = current.getAndSet(null);
    if (stream != null) {
      stream.close();
    }
  }
}
