package io.pgsnow.common.call;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs blocking calls of a client that may never answer (a driver waiting on a dead peer) on call
 * threads, so the caller waits at most a limit. A call the caller stopped waiting for keeps
 * running; what it produces when it ends goes to an {@code abandoned} callback, which typically
 * closes it.
 */
public final class BoundedCalls implements AutoCloseable {

  /** A blocking call. */
  @FunctionalInterface
  public interface Call<T> {
    T run() throws Exception;
  }

  private final ExecutorService threads;

  /**
   * @param threadPrefix names the daemon call threads, numbered from 1
   */
  public BoundedCalls(String threadPrefix) {
    AtomicInteger count = new AtomicInteger();
    this.threads =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, threadPrefix + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts {@code call} on a call thread.
   *
   * @throws RejectedExecutionException once closed
   */
  public <T> CompletableFuture<T> start(Call<T> call) {
    CompletableFuture<T> result = new CompletableFuture<>();
    threads.execute(
        () -> {
          try {
            result.complete(call.run());
          } catch (Throwable t) {
            result.completeExceptionally(t);
          }
        });
    return result;
  }

  /**
   * The call's result, waiting at most {@code limit}.
   *
   * @throws TimeoutException when the call did not end in time (it keeps running)
   * @throws ExecutionException with the call's failure as the cause
   */
  public static <T> T await(CompletableFuture<T> result, Duration limit)
      throws TimeoutException, InterruptedException, ExecutionException {
    return result.get(limit.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Runs {@code call} and waits at most {@code limit}. When the caller stops waiting (a timeout or
   * an interrupt), {@code abandoned} gets what the call produces once it ends (null if it fails).
   */
  public <T> T call(Duration limit, Call<T> call, Consumer<T> abandoned)
      throws TimeoutException, InterruptedException, ExecutionException {
    CompletableFuture<T> result = start(call);
    try {
      return await(result, limit);
    } catch (TimeoutException | InterruptedException e) {
      result.whenComplete((value, failure) -> abandoned.accept(value));
      throw e;
    }
  }

  /** Runs {@code task} on a call thread, or on the caller's once closed. */
  public void runLater(Runnable task) {
    try {
      threads.execute(task);
    } catch (RejectedExecutionException e) {
      task.run();
    }
  }

  /** Takes no new calls; running ones go on. */
  public void shutdown() {
    threads.shutdown();
  }

  /** Takes no new calls and interrupts running ones. */
  @Override
  public void close() {
    threads.shutdownNow();
  }
}
