package io.pgsnow.sink.ingest;

import java.time.Duration;

/**
 * How long the clients wait for Snowflake before they give up and the failure becomes a transient
 * fault: {@code network} bounds the JDBC driver's retries of a failed request, {@code login} a JDBC
 * login, {@code statement} one JDBC statement (the driver cancels it then), and {@code
 * snowpipeRequest} one Snowpipe REST call.
 */
public record ClientTimeouts(
    Duration network, Duration login, Duration statement, Duration snowpipeRequest) {

  /** The driver takes the login timeout in whole seconds. */
  long loginSeconds() {
    return wholeSeconds(login);
  }

  /** The driver takes a statement's query timeout in whole seconds. */
  int statementSeconds() {
    return (int) wholeSeconds(statement);
  }

  /**
   * How long the task waits for a statement or a stage upload before it abandons the call: the
   * statement timeout, then the network timeout for the cancel and the driver's retries to end it.
   * Driver 3.24 itself would wait for an unanswered request for minutes.
   */
  Duration callLimit() {
    return statement.plus(network);
  }

  private static long wholeSeconds(Duration d) {
    return Math.max(1, (d.toMillis() + 999) / 1000);
  }
}
