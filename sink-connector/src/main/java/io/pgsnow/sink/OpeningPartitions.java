package io.pgsnow.sink;

import io.pgsnow.sink.partition.PartitionState;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;

/**
 * Prepares the partitions assigned to the task (their table, stage and pipe, then {@link
 * PartitionRecovery}) when they are opened, several at a time on threads of their own, so the task
 * does not pay each one's round trips in turn when its first record arrives. {@code put()} waits
 * only for the partition of the record at hand. A partition revoked while it is prepared is
 * forgotten: the preparation runs to its end and its result is dropped (it only read the stage and
 * the load history; what it queued, failed loads and purges of loaded files, holds whoever owns the
 * partition).
 *
 * <p>Called on the task's thread only ({@code open}, {@code put} and {@code close} are).
 */
final class OpeningPartitions implements AutoCloseable {

  /** Preparations at a time: each is a few Snowflake round trips, mostly waiting. */
  static final int PARALLELISM = 4;

  private final Map<TopicPartition, CompletableFuture<PartitionState>> opening =
      new ConcurrentHashMap<>();
  private final ThreadPoolExecutor threads;

  OpeningPartitions(String connector) {
    AtomicInteger count = new AtomicInteger();
    threads =
        new ThreadPoolExecutor(
            PARALLELISM,
            PARALLELISM,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t =
                  new Thread(r, "pgsnow-sink-open-" + connector + "-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    threads.allowCoreThreadTimeOut(true);
  }

  /** Starts preparing {@code tp} unless a preparation of it is already under way. */
  void open(TopicPartition tp, Supplier<PartitionState> preparation) {
    opening.computeIfAbsent(tp, p -> CompletableFuture.supplyAsync(preparation, threads));
  }

  /**
   * The partition's state once prepared: from the preparation started at open, or from {@code
   * preparation} run now if none was. Either way the attempt is forgotten, so after a failure the
   * next call prepares the partition again.
   *
   * @throws ConnectException the preparation's failure ({@link RetriableException} if transient)
   */
  PartitionState await(TopicPartition tp, Supplier<PartitionState> preparation) {
    CompletableFuture<PartitionState> started = opening.remove(tp);
    if (started == null) {
      return preparation.get();
    }
    try {
      return started.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RetriableException("Interrupted while preparing " + tp, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ConnectException failure) {
        throw failure;
      }
      throw new ConnectException("Preparing " + tp + " failed", e.getCause());
    }
  }

  /** Forgets the partitions' preparations; those still running end on their own. */
  void revoke(Collection<TopicPartition> partitions) {
    partitions.forEach(opening::remove);
  }

  /** Stops the preparations, interrupting running ones. */
  @Override
  public void close() {
    opening.clear();
    threads.shutdownNow();
  }
}
