package io.pgsnow.smt.lookup;

import org.apache.kafka.connect.errors.ConnectException;

/**
 * A topic table that cannot hold one more row within its limits. It is not a failed lookup: the
 * table can no longer answer every key, so no lookup policy (drop, keep) may apply; the join throws
 * it as it is and the task stops before a record is joined against an incomplete table.
 */
public class LookupTableFullException extends ConnectException {
  private static final long serialVersionUID = 1L;

  public LookupTableFullException(String message) {
    super(message);
  }
}
