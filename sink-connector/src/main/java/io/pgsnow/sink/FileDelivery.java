package io.pgsnow.sink;

import io.pgsnow.common.retry.Retries;
import io.pgsnow.common.retry.RetryPolicy;
import io.pgsnow.sink.buffer.SealPolicy;
import io.pgsnow.sink.buffer.SealedFile;
import io.pgsnow.sink.ingest.Session;
import io.pgsnow.sink.ingest.SnowflakeErrors;
import io.pgsnow.sink.ingest.Snowpipe;
import io.pgsnow.sink.naming.StageFileName;
import io.pgsnow.sink.partition.FileState;
import io.pgsnow.sink.partition.PartitionState;
import io.pgsnow.sink.partition.PartitionState.Tracked;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a partition's sealed files to its stage and registers them with Snowpipe, on upload threads
 * of its own: put() and the background tick seal files and hand them over. At most {@code
 * maxInFlight} sealed files of the task wait for or are in their upload; put() waits for a free
 * place (back-pressure) instead of buffering more. One fair lock per partition keeps each
 * partition's uploads in offset order and lets a revocation in between two uploads; different
 * partitions upload in parallel. A failed upload or registration is tried again under the retry
 * policy (the same file name, so never two files for one range); when the retries are used up the
 * failure is kept for put() to raise.
 */
final class FileDelivery implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FileDelivery.class);

  /**
   * Files put() writes wait for the background tick to be registered together, in one {@code
   * insertFiles} call per partition, unless this many are already waiting.
   */
  static final int REGISTER_BATCH = 16;

  /** Upload threads at most, whatever the in-flight bound. */
  static final int MAX_THREADS = 8;

  /** How long put() waits for a place for a sealed file before it retries the batch. */
  static final Duration PLACE_WAIT = Duration.ofSeconds(60);

  private static final AtomicInteger THREADS = new AtomicInteger();

  private final Session session;
  private final Snowpipe snowpipe;
  private final SealPolicy policy;
  private final LoadConfirmation confirmation;
  private final SinkMetrics metrics;
  private final LongSupplier nanoTime;
  private final RetryPolicy retryPolicy;
  private final Semaphore places;
  private final ScheduledThreadPoolExecutor uploader;
  private final int maxInFlight;
  private final Map<TopicPartition, Lane> lanes = new ConcurrentHashMap<>();
  private final AtomicReference<ConnectException> failure = new AtomicReference<>();
  private volatile boolean closing;

  /**
   * One partition's upload order: a fair lock (a revocation waits for one upload at most), its
   * retries, and whether a retry is scheduled. Guarded by the lock.
   */
  private static final class Lane {
    final ReentrantLock lock = new ReentrantLock(true);
    final Retries retries;
    boolean retryPending;

    /** A task the pending retry stood in for asked for every staged file to be registered. */
    boolean registerAll;

    /** Set before the revocation waits for the lock: the uploads queued before it stop. */
    volatile boolean revoked;

    Lane(RetryPolicy policy) {
      this.retries = new Retries(policy, RetriableException.class::isInstance);
    }
  }

  FileDelivery(
      Session session,
      Snowpipe snowpipe,
      SealPolicy policy,
      LoadConfirmation confirmation,
      SinkMetrics metrics,
      LongSupplier nanoTime,
      int maxInFlight,
      RetryPolicy retryPolicy) {
    this.session = session;
    this.snowpipe = snowpipe;
    this.policy = policy;
    this.confirmation = confirmation;
    this.metrics = metrics;
    this.nanoTime = nanoTime;
    this.retryPolicy = retryPolicy;
    this.maxInFlight = maxInFlight;
    this.places = new Semaphore(maxInFlight);
    this.uploader =
        new ScheduledThreadPoolExecutor(
            Math.min(maxInFlight, MAX_THREADS),
            r -> {
              Thread t = new Thread(r, "pgsnow-sink-upload-" + THREADS.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    uploader.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    uploader.setRemoveOnCancelPolicy(true);
  }

  /**
   * Seals the partition's full buffer and hands it to an upload thread; first waits (put()'s
   * back-pressure) while the in-flight bound is reached.
   *
   * @throws RetriableException when no place frees up within {@link #PLACE_WAIT} (the batch is
   *     delivered again)
   */
  void sealFull(TopicPartition tp, PartitionState state, Target target) {
    long deadline = System.nanoTime() + PLACE_WAIT.toNanos();
    try {
      while (!places.tryAcquire(100, TimeUnit.MILLISECONDS)) {
        throwIfFailed();
        if (System.nanoTime() - deadline > 0) {
          throw new RetriableException(
              "No file upload finished in "
                  + PLACE_WAIT.toSeconds()
                  + " s with "
                  + maxInFlight
                  + " files in flight ("
                  + SnowflakeSinkConfig.MAX_IN_FLIGHT
                  + ")");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConnectException("Interrupted while waiting for file uploads", e);
    }
    if (state.sealIfDue(policy, nanoTime.getAsLong(), true).isEmpty()) {
      places.release();
      return;
    }
    schedule(tp, state, target, false, false, Duration.ZERO);
  }

  /**
   * The background tick's part: seals the partition's buffer if it is due and a place is free, and
   * has an upload thread upload what waits and register every staged file.
   */
  void flushDue(TopicPartition tp, PartitionState state, Target target) {
    if (places.tryAcquire() && state.sealIfDue(policy, nanoTime.getAsLong(), false).isEmpty()) {
      places.release();
    }
    if (state.nextUpload().isPresent() || !state.files(FileState.STAGED).isEmpty()) {
      schedule(tp, state, target, true, false, Duration.ZERO);
    }
  }

  /**
   * Runs {@code action} while no upload of {@code tp} runs, after closing its state: sealed files
   * not uploaded yet are dropped (their offsets were never committable; Kafka delivers their
   * records again to the partition's next owner), an upload in progress is finished first.
   */
  void revoke(TopicPartition tp, PartitionState state, Runnable action) {
    Lane lane = laneOf(tp);
    lane.revoked = true;
    lane.lock.lock();
    try {
      if (state != null) {
        places.release(state.close());
      }
      lanes.remove(tp);
      action.run();
    } finally {
      lane.lock.unlock();
    }
  }

  /** Raises, on the calling thread, the failure that stopped the uploads. */
  void throwIfFailed() {
    ConnectException f = failure.get();
    if (f != null) {
      throw new ConnectException(f.getMessage(), f);
    }
  }

  /** Sealed files of the task waiting for or in their upload. */
  int inFlight() {
    return maxInFlight - places.availablePermits();
  }

  private Lane laneOf(TopicPartition tp) {
    return lanes.computeIfAbsent(tp, p -> new Lane(retryPolicy));
  }

  private void schedule(
      TopicPartition tp,
      PartitionState state,
      Target target,
      boolean registerAll,
      boolean retry,
      Duration wait) {
    if (closing) {
      return;
    }
    try {
      uploader.schedule(
          () -> flush(tp, state, target, registerAll, retry), wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      LOG.debug("Not uploading {}: the task is stopping", tp);
    }
  }

  /**
   * On an upload thread: uploads the partition's waiting files one at a time, oldest first, then
   * registers its staged files when {@code registerAll} or once {@link #REGISTER_BATCH} wait. While
   * a retry is pending, only the retry ({@code retry}) does this.
   */
  private void flush(
      TopicPartition tp, PartitionState state, Target target, boolean registerAll, boolean retry) {
    Lane lane = laneOf(tp);
    boolean first = true;
    while (true) {
      lane.lock.lock();
      try {
        if (closing || lane.revoked || state.isClosed() || failure.get() != null) {
          return;
        }
        if (first && retry) {
          lane.retryPending = false;
        } else if (first && lane.retryPending) {
          // The retry does this task's work, registration included.
          lane.registerAll |= registerAll;
          return;
        }
        first = false;
        try {
          Optional<SealedFile> next = state.nextUpload();
          if (next.isEmpty()) {
            if (registerAll
                || lane.registerAll
                || state.files(FileState.STAGED).size() >= REGISTER_BATCH) {
              register(tp, state, target);
              lane.registerAll = false;
            }
            lane.retries.succeeded();
            return;
          }
          upload(tp, state, target, next.get());
        } catch (Exception e) {
          failed(tp, state, target, registerAll, lane, e);
          return;
        }
      } finally {
        lane.lock.unlock();
      }
    }
  }

  /** Under the partition's lock: schedules the retry, or keeps the failure for put() to raise. */
  private void failed(
      TopicPartition tp,
      PartitionState state,
      Target target,
      boolean registerAll,
      Lane lane,
      Exception e) {
    ConnectException c =
        e instanceof ConnectException ce
            ? ce
            : SnowflakeErrors.classify("Writing a file of " + tp, e);
    Optional<Duration> backoff = lane.retries.failed(c);
    if (backoff.isPresent()) {
      LOG.warn(
          "Transient Snowflake fault writing a file of {}, retrying in {} ms: {}",
          tp,
          backoff.get().toMillis(),
          c.getMessage());
      lane.retryPending = true;
      schedule(tp, state, target, registerAll, true, backoff.get());
      return;
    }
    String message =
        "Giving up writing the files of "
            + tp
            + " after "
            + lane.retries.failures()
            + " attempts ("
            + SnowflakeSinkConfig.RETRY_MAX
            + ", "
            + SnowflakeSinkConfig.RETRY.deadline()
            + "): "
            + c.getMessage();
    LOG.error(message);
    failure.compareAndSet(null, new ConnectException(message, c));
  }

  private void upload(TopicPartition tp, PartitionState state, Target target, SealedFile file)
      throws Exception {
    StageFileName name = state.fileName(file);
    session.upload(target.stage(), name.directory(), name.fileName(), file.gzip());
    if (state.uploaded(file)) {
      places.release();
    }
    metrics.uploaded(tp, file.endOffset(), state.bufferedRecords());
    LOG.debug(
        "Uploaded {} ({} records, {} bytes)", name.path(), file.records(), file.gzip().length);
  }

  private void register(TopicPartition tp, PartitionState state, Target target) throws Exception {
    List<Tracked> staged = state.files(FileState.STAGED);
    if (staged.isEmpty() || state.committableOffset().isEmpty()) {
      // Recovered files wait for the partition's first record: it tells which are acknowledged.
      return;
    }
    List<String> paths = staged.stream().map(t -> t.name().path()).toList();
    snowpipe.insertFiles(target.pipe(), paths);
    confirmation.registered(paths);
    for (Tracked t : staged) {
      state.transition(t.name(), FileState.REGISTERED);
    }
    LOG.debug("Registered {} files of {} with {}", paths.size(), tp, target.pipe());
  }

  /**
   * Stops the uploads: waits for those in progress (each bounded by the client timeouts), drops the
   * files still waiting (their offsets were never committable) and retries not yet due.
   */
  @Override
  public void close() {
    closing = true;
    uploader.shutdown();
    try {
      if (!uploader.awaitTermination(30, TimeUnit.SECONDS)) {
        uploader.shutdownNow();
      }
    } catch (InterruptedException e) {
      uploader.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
