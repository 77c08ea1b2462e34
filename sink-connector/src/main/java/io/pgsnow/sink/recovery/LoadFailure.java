package io.pgsnow.sink.recovery;

import java.util.List;
import java.util.Locale;

/**
 * Why Snowpipe could not load a file, read from the outcome it reports. Snowpipe's load history
 * gives a status and the file's first error as text, with no error code, so the text decides.
 *
 * <p>The data's fault: the file cannot load however often it is tried. These are Snowflake's
 * messages for JSON it cannot parse, values a column cannot take (numbers, booleans, dates, times
 * and timestamps that are "not recognized", numbers out of range, text too long for its column),
 * values over the size limits, a column count that does not match, NULL in a NOT NULL column and
 * invalid UTF-8. A partial load is the data's fault too: some rows loaded, so loading the file
 * again would duplicate them (the connector's pipes skip a bad file whole, so it does not occur
 * with them).
 *
 * <p>Everything else is transient and the file is loaded again: internal errors, a stage file that
 * could not be read or was not found (an upload not yet visible), access errors, and messages this
 * list does not know, which are retried a bounded number of times before the task fails. The
 * service's words for its own faults ("Internal error", "was not found", …) decide first, so an
 * internal error that goes on to mention, say, an index out of range stays transient.
 */
public enum LoadFailure {
  /** The service failed: load the same rows again under a new file name. */
  TRANSIENT,
  /** The file's rows cannot load: follow the task's error tolerance. */
  DATA;

  /** The service's own words for its faults; they win over anything the message goes on with. */
  private static final List<String> SERVICE_ERRORS =
      List.of(
          "internal error",
          "was not found",
          "failed to access",
          "access denied",
          "please retry",
          "timed out",
          "temporarily unavailable",
          "service unavailable");

  private static final List<String> DATA_ERRORS =
      List.of(
          "error parsing json",
          "is not recognized",
          "out of range",
          "too long and would be truncated",
          "max lob size",
          "is too large",
          "exceeds the maximum",
          "number of columns in file",
          "non-nullable column",
          "invalid utf8",
          "duplicate field key",
          "can't parse",
          "cannot parse",
          "failed to cast",
          "field delimiter",
          "end of record reached");

  public static LoadFailure of(LoadStatus status) {
    if (status.status() == LoadStatus.Status.PARTIALLY_LOADED) {
      return DATA;
    }
    String error = status.firstError() == null ? "" : status.firstError().toLowerCase(Locale.ROOT);
    for (String pattern : SERVICE_ERRORS) {
      if (error.contains(pattern)) {
        return TRANSIENT;
      }
    }
    for (String pattern : DATA_ERRORS) {
      if (error.contains(pattern)) {
        return DATA;
      }
    }
    return TRANSIENT;
  }
}
