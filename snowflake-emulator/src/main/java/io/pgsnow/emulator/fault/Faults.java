package io.pgsnow.emulator.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Faults a test arms before driving a client: HTTP errors or delays for the next N requests of an
 * endpoint, and load failures for staged files whose path matches a pattern.
 */
public final class Faults {

  /** What to do to one request: wait, then answer with {@code httpStatus} if it is non-zero. */
  public record RequestFault(Endpoint endpoint, int httpStatus, Duration delay) {}

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

  /** The next {@code times} requests to {@code endpoint} get HTTP {@code status}. */
  public synchronized Faults failRequests(Endpoint endpoint, int status, int times) {
    requestFaults.add(new Armed(new RequestFault(endpoint, status, Duration.ZERO), times));
    return this;
  }

  /** The next {@code times} requests to {@code endpoint} are answered only after {@code delay}. */
  public synchronized Faults delayRequests(Endpoint endpoint, Duration delay, int times) {
    requestFaults.add(new Armed(new RequestFault(endpoint, 0, delay), times));
    return this;
  }

  /** Files whose stage path matches {@code regex} (find semantics) load as LOAD_FAILED. */
  public synchronized Faults failLoads(String regex, String message) {
    loadFailures.add(new LoadFailure(Pattern.compile(regex), message));
    return this;
  }

  public synchronized void clear() {
    requestFaults.clear();
    loadFailures.clear();
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
