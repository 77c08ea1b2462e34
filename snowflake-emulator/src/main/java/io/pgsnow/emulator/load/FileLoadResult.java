package io.pgsnow.emulator.load;

import java.util.Optional;

/** What loading one staged file did, in the terms of Snowpipe's load history. */
public record FileLoadResult(
    Status status,
    long rowsParsed,
    long rowsLoaded,
    long errorsSeen,
    Optional<String> firstError,
    Optional<Long> firstErrorLine) {

  /** Snowpipe's file statuses. */
  public enum Status {
    LOADED,
    LOAD_FAILED,
    PARTIALLY_LOADED
  }

  public static FileLoadResult failed(String error, long line) {
    return new FileLoadResult(Status.LOAD_FAILED, 0, 0, 1, Optional.of(error), Optional.of(line));
  }
}
