package io.pgsnow.sink.ingest;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.Set;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;

/**
 * The one place that decides whether a Snowflake failure is transient (retry with back-off) or
 * fatal (bad credentials, missing privileges or objects: fail with a clear message).
 */
public final class SnowflakeErrors {

  /** Login and authorization failures: retrying cannot help. */
  private static final Set<Integer> FATAL_CODES =
      Set.of(
          390100, 390101, 390102, 390144, 390189, 390190, 390201, 390302, 390303, 2003, 2043, 3001);

  /** SQLSTATE "query canceled" and Snowflake's codes for a canceled or timed-out statement. */
  private static final String CANCELED_STATE = "57014";

  private static final Set<Integer> CANCELED_CODES = Set.of(604, 630);

  private SnowflakeErrors() {}

  /** The Connect exception for a failure of {@code action}. */
  public static ConnectException classify(String action, Throwable failure) {
    if (failure instanceof ConnectException ce) {
      return ce;
    }
    String message = action + " failed: " + describe(failure);
    return isTransient(failure)
        ? new RetriableException(message, failure)
        : new ConnectException(message, failure);
  }

  public static boolean isTransient(Throwable failure) {
    Throwable t = failure;
    while (t != null) {
      if (t instanceof SnowpipeResponseException response) {
        return response.isTransient();
      }
      if (t instanceof IOException) {
        return true;
      }
      if (t instanceof SQLException sql) {
        return isTransient(sql);
      }
      t = t.getCause();
    }
    return false;
  }

  private static boolean isTransient(SQLException e) {
    if (e instanceof SQLTransientException || isCanceled(e)) {
      return true;
    }
    if (FATAL_CODES.contains(e.getErrorCode())) {
      return false;
    }
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    // 28xxx: authorization, 42xxx: syntax or access rule, 22xxx: data
    return !(state.startsWith("28") || state.startsWith("42") || state.startsWith("22"));
  }

  /**
   * A statement the service canceled: on the driver's abort after the statement's query timeout
   * (604) or on Snowflake's own statement timeout (630). It did not take effect and may be retried.
   */
  private static boolean isCanceled(SQLException e) {
    return CANCELED_STATE.equals(e.getSQLState()) || CANCELED_CODES.contains(e.getErrorCode());
  }

  /** A message without secrets: the exception types and messages. */
  public static String describe(Throwable failure) {
    if (failure instanceof SnowpipeResponseException response) {
      return response.getMessage();
    }
    if (failure instanceof SQLException sql) {
      return sql.getMessage()
          + " (code "
          + sql.getErrorCode()
          + ", state "
          + sql.getSQLState()
          + ")";
    }
    return failure.getClass().getSimpleName() + ": " + failure.getMessage();
  }
}
