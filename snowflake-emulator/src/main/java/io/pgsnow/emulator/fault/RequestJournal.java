package io.pgsnow.emulator.fault;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The requests the emulator finished handling, oldest first, so a test can check what a client
 * really sent (a retry's parameters, how many attempts) and how each was answered. Bounded: the
 * oldest entries are forgotten.
 */
public final class RequestJournal {

  /** HTTP status recorded for a request whose connection was closed without a response. */
  public static final int NO_RESPONSE = 0;

  private static final int CAPACITY = 10_000;

  /**
   * One handled request: its endpoint, method, path, URL query parameters and the HTTP status it
   * was answered with ({@link #NO_RESPONSE} for none).
   */
  public record RecordedRequest(
      Endpoint endpoint, String method, String path, Map<String, String> parameters, int status) {

    public Optional<String> parameter(String name) {
      return Optional.ofNullable(parameters.get(name));
    }
  }

  private final Deque<RecordedRequest> entries = new ArrayDeque<>();

  public synchronized void record(RecordedRequest request) {
    if (entries.size() == CAPACITY) {
      entries.removeFirst();
    }
    entries.addLast(request);
  }

  public synchronized List<RecordedRequest> entries() {
    return List.copyOf(entries);
  }
}
