package io.pgsnow.emulator.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Query-requests by the {@code requestId} the JDBC driver gives each statement execution. The
 * driver sends a timed-out or failed query-request again with the same id (plus {@code retryCount}
 * and {@code retryReason}); like the service, the emulator runs the statement once and answers
 * every attempt with that one outcome. An abort-request names the execution to cancel by this id.
 * Bounded: the oldest ids are forgotten.
 */
final class QueryRequests {

  private static final int CAPACITY = 1000;

  /** One statement execution: its answer once known, and whether it was asked to stop. */
  static final class Execution {
    private final CompletableFuture<ObjectNode> answer = new CompletableFuture<>();
    private final CountDownLatch cancel = new CountDownLatch(1);

    /**
     * Waits up to {@code time} for a cancel request; true if one came.
     *
     * @throws InterruptedException if the emulator is stopping
     */
    boolean awaitCancel(Duration time) throws InterruptedException {
      return cancel.await(time.toNanos(), TimeUnit.NANOSECONDS);
    }

    void complete(ObjectNode envelope) {
      answer.complete(envelope);
    }

    void abandon(Throwable cause) {
      answer.completeExceptionally(cause);
    }

    /** The answer of the first attempt, waiting for it while the statement still runs. */
    ObjectNode answer() {
      return answer.join();
    }
  }

  /** The execution for a request id; {@code first} when this request must run the statement. */
  record Admission(Execution execution, boolean first) {}

  private final Map<String, Execution> executions =
      new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Execution> eldest) {
          return size() > CAPACITY;
        }
      };

  synchronized Admission admit(String requestId) {
    Execution known = executions.get(requestId);
    if (known != null) {
      return new Admission(known, false);
    }
    Execution execution = new Execution();
    executions.put(requestId, execution);
    return new Admission(execution, true);
  }

  /** Asks the execution with this request id to stop; false if the id is unknown. */
  synchronized boolean cancel(String requestId) {
    Execution execution = executions.get(requestId);
    if (execution == null) {
      return false;
    }
    execution.cancel.countDown();
    return true;
  }
}
