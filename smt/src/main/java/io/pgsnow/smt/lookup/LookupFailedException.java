package io.pgsnow.smt.lookup;

/**
 * A lookup that could not be answered in time or at all (source unreachable, query failed, table
 * not loaded within the timeout). The join turns it into its configured failure policy.
 */
public class LookupFailedException extends Exception {
  public LookupFailedException(String message) {
    super(message);
  }

  public LookupFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
