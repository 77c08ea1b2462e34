package io.pgsnow.emulator.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Faults a test arms before driving a client: HTTP errors, delays or no answer at all for the next
 * N requests of an endpoint, and load failures for staged files whose path matches a pattern.
 */
public final class Faults {

  /**
   * What to do to one request: wait {@code delay}, then answer with {@code httpStatus} if it is
   * non-zero, or serve it normally. When {@code answered} is false the request is not served at
   * all: it is held for {@code delay} and its connection is then closed without a response.
   */
  public record RequestFault(Endpoint endpoint, int httpStatus, Duration delay, boolean answered) {

    /** A request that gets no answer: the client sees a timeout or a dropped connection. */
    public boolean unanswered() {
      return !answered;
    }
  }

  private static final class Armed {
    private final RequestFault fault;
    private int remaining;

    Armed(RequestFault fault, int remaining) {
      this.fault = fault;
      this.remaining = remaining;
    }
  }

  private record LoadFailure(Pattern pattern, String message) {}

  private final List<Armed> requestFaults = new ArrayList<>();
  private final List<LoadFailure> loadFailures = new ArrayList<>();
  private long releases;

  /** The next {@code times} requests to {@code endpoint} get HTTP {@code status}. */
  public synchronized Faults failRequests(Endpoint endpoint, int status, int times) {
    requestFaults.add(new Armed(new RequestFault(endpoint, status, Duration.ZERO, true), times));
    return this;
  }

  /**
   * The next {@code times} requests to {@code endpoint} are answered only after {@code delay}. A
   * delayed query-request counts as running for the whole delay: a retry with its request id waits
   * for it, and an abort-request or its statement timeout cancels it.
   */
  public synchronized Faults delayRequests(Endpoint endpoint, Duration delay, int times) {
    requestFaults.add(new Armed(new RequestFault(endpoint, 0, delay, true), times));
    return this;
  }

  /**
   * The next {@code times} requests to {@code endpoint} get no answer: each is held, unserved, for
   * {@code hold} (or until {@link #clear()}), then its connection is closed without a response. A
   * hold longer than the client's socket timeout is a timeout; a shorter one is a dropped
   * connection.
   */
  public synchronized Faults timeoutRequests(Endpoint endpoint, Duration hold, int times) {
    requestFaults.add(new Armed(new RequestFault(endpoint, 0, hold, false), times));
    return this;
  }

  /** Files whose stage path matches {@code regex} (find semantics) load as LOAD_FAILED. */
  public synchronized Faults failLoads(String regex, String message) {
    loadFailures.add(new LoadFailure(Pattern.compile(regex), message));
    return this;
  }

  /** Disarms every fault and releases the requests held by {@link #timeoutRequests}. */
  public synchronized void clear() {
    requestFaults.clear();
    loadFailures.clear();
    releases++;
    notifyAll();
  }

  /**
   * Holds the calling request thread for {@code hold}, or less if {@link #clear()} is called.
   *
   * @throws InterruptedException if the thread is interrupted (the emulator is stopping)
   */
  public synchronized void hold(Duration hold) throws InterruptedException {
    long release = releases;
    long deadline = System.nanoTime() + hold.toNanos();
    long left = hold.toNanos();
    while (left > 0 && release == releases) {
      TimeUnit.NANOSECONDS.timedWait(this, left);
      left = deadline - System.nanoTime();
    }
  }

  /**
   * How many requests the armed request faults will still affect: zero once every armed fault has
   * been used (or cleared), so a test knows its own requests no longer meet them.
   */
  public synchronized int armedRequests() {
    return requestFaults.stream().mapToInt(a -> a.remaining).sum();
  }

  /** Consumes one armed fault for a request, if any applies. */
  public synchronized Optional<RequestFault> nextRequestFault(Endpoint endpoint) {
    Iterator<Armed> it = requestFaults.iterator();
    while (it.hasNext()) {
      Armed armed = it.next();
      if (armed.fault.endpoint() == endpoint || armed.fault.endpoint() == Endpoint.ANY) {
        armed.remaining--;
        if (armed.remaining <= 0) {
          it.remove();
        }
        return Optional.of(armed.fault);
      }
    }
    return Optional.empty();
  }

  public synchronized Optional<String> loadFailure(String path) {
    return loadFailures.stream()
        .filter(f -> f.pattern().matcher(path).find())
        .map(LoadFailure::message)
        .findFirst();
  }
}
