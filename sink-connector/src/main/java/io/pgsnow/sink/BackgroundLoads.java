package io.pgsnow.sink;

import io.pgsnow.sink.buffer.SealPolicy;
import io.pgsnow.sink.ingest.Session;
import io.pgsnow.sink.ingest.SnowflakeErrors;
import io.pgsnow.sink.ingest.StagePurge;
import io.pgsnow.sink.partition.FileState;
import io.pgsnow.sink.partition.PartitionState;
import io.pgsnow.sink.partition.PartitionState.Tracked;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's background thread: seals due buffers and has them uploaded and every staged file
 * registered (by {@link FileDelivery}'s upload threads), confirms loads, decides failed loads and
 * removes loaded files. It runs every {@code snowflake.load.check.interval.ms}, and also at the
 * moment a partition's oldest buffered record is {@code buffer.flush.time} old. A fatal failure is
 * kept for the put thread to raise.
 */
final class BackgroundLoads implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(BackgroundLoads.class);

  /**
   * The least wait between two ticks: also the pace of a tick for a buffer past due that waits for
   * a place among the files in flight.
   */
  static final Duration MIN_DELAY = Duration.ofMillis(50);

  private final Map<TopicPartition, PartitionState> states;
  private final Targets targets;
  private final FileDelivery delivery;
  private final LoadConfirmation confirmation;
  private final FailedLoads failedLoads;
  private final StagePurge purge;
  private final Session session;
  private final ReentrantLock tickLock = new ReentrantLock();
  private final AtomicReference<ConnectException> failure = new AtomicReference<>();
  private ScheduledExecutorService executor;
  private Duration interval;
  private SealPolicy policy;
  private long lastCheckNanos;

  BackgroundLoads(
      Map<TopicPartition, PartitionState> states,
      Targets targets,
      FileDelivery delivery,
      LoadConfirmation confirmation,
      FailedLoads failedLoads,
      StagePurge purge,
      Session session) {
    this.states = states;
    this.targets = targets;
    this.delivery = delivery;
    this.confirmation = confirmation;
    this.failedLoads = failedLoads;
    this.purge = purge;
    this.session = session;
  }

  /**
   * Runs {@link #tick} on a daemon thread: {@code interval} after the previous one, or sooner, at
   * the moment the oldest buffer falls due under {@code policy}.
   */
  void start(String connector, Duration interval, SealPolicy policy) {
    this.interval = interval;
    this.policy = policy;
    this.lastCheckNanos = System.nanoTime() - interval.toNanos();
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "pgsnow-sink-flusher-" + connector);
              t.setDaemon(true);
              return t;
            });
    scheduleNext();
  }

  private void scheduleNext() {
    long now = System.nanoTime();
    // A buffer started after this tick falls due no sooner than the flush time from now.
    long next = now + Math.min(interval.toNanos(), policy.maxAge().toNanos());
    for (PartitionState state : states.values()) {
      OptionalLong due = state.dueNanos(policy);
      if (due.isPresent() && due.getAsLong() - next < 0) {
        next = due.getAsLong();
      }
    }
    long delay = Math.max(MIN_DELAY.toNanos(), next - now);
    try {
      executor.schedule(this::tickAndReschedule, delay, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      LOG.debug("The background thread is stopping");
    }
  }

  private void tickAndReschedule() {
    try {
      tick();
    } finally {
      scheduleNext();
    }
  }

  void tick() {
    if (failure.get() != null) {
      return;
    }
    tickLock.lock();
    try {
      for (Map.Entry<TopicPartition, PartitionState> e : states.entrySet()) {
        delivery.flushDue(e.getKey(), e.getValue(), targets.of(e.getKey()));
      }
      long now = System.nanoTime();
      if (interval != null && now - lastCheckNanos < interval.minus(MIN_DELAY).toNanos()) {
        // A tick for a due buffer between two checks: Snowpipe is asked at the interval only.
        return;
      }
      lastCheckNanos = now;
      List<LoadConfirmation.Partition> partitions =
          states.entrySet().stream()
              .map(
                  e ->
                      new LoadConfirmation.Partition(
                          e.getKey(), e.getValue(), targets.of(e.getKey())))
              .toList();
      confirmation.confirm(partitions);
      decideFailures();
      purge.run(session);
    } catch (RetriableException e) {
      LOG.warn("Transient Snowflake fault in the background flush, retrying: {}", e.getMessage());
    } catch (ConnectException e) {
      LOG.error("Background flush failed", e);
      failure.compareAndSet(null, e);
    } catch (Exception e) {
      ConnectException c = SnowflakeErrors.classify("Confirming loads", e);
      if (c instanceof RetriableException) {
        LOG.warn("Transient Snowflake fault while confirming loads: {}", c.getMessage());
      } else {
        failure.compareAndSet(null, c);
      }
    } finally {
      tickLock.unlock();
    }
  }

  /**
   * Decides what happens to each failed file (see {@link FailedLoads}). A recovered file waits for
   * the partition's first record, which tells whether it was handled before the restart.
   */
  private void decideFailures() throws Exception {
    for (Map.Entry<TopicPartition, PartitionState> e : states.entrySet()) {
      PartitionState state = e.getValue();
      if (state.committableOffset().isEmpty()) {
        continue;
      }
      for (Tracked t : state.files(FileState.FAILED)) {
        Optional<ConnectException> fatal =
            failedLoads.decide(e.getKey(), state, targets.of(e.getKey()), t);
        if (fatal.isPresent()) {
          failure.compareAndSet(null, fatal.get());
          return;
        }
      }
    }
  }

  /** Raises, on the calling thread, the failure that stopped the background work. */
  void throwIfFailed() {
    ConnectException f = failure.get();
    if (f != null) {
      throw new ConnectException(f.getMessage(), f);
    }
  }

  /** Runs {@code action} between ticks. */
  void betweenTicks(Runnable action) {
    tickLock.lock();
    try {
      action.run();
    } finally {
      tickLock.unlock();
    }
  }

  @Override
  public void close() {
    if (executor == null) {
      return;
    }
    executor.shutdownNow();
    try {
      executor.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
