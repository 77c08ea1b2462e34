package io.pgsnow.sink.ingest;

import java.sql.Connection;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A logged-in connection that concurrent calls share. It is retired when a call on it fails in a
 * way that may have broken it; calls still running on it then finish undisturbed, and it is closed
 * once the last of them ends (an abandoned call too, whenever it ends), so one partition's failure
 * never closes the connection under another partition's upload.
 *
 * <p>The Snowflake JDBC driver allows the sharing. Each statement and each {@code uploadStream}
 * gets a statement and a file transfer agent of its own ({@code
 * SnowflakeConnectionImpl.uploadStreamInternal}); what they share in the driver's {@code SFSession}
 * is made for it: the request sequence counter is atomic and taken once per statement, the
 * query-context cache is synchronized, and {@code renewSession} is synchronized and renews an
 * expired token only once for all the threads that saw it expire. What Snowflake's documentation
 * warns of when threads share a session (a thread changing the current database, schema or role; an
 * open transaction; the last query id) does not happen in the sink: the session is set up before
 * any call uses it and every statement commits on its own.
 */
final class SharedConnection {

  private final Connection connection;
  private final Function<Connection, CompletableFuture<Void>> close;
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private int calls;
  private boolean retired;

  /**
   * @param close closes the connection once retired and idle, completing when it is closed; called
   *     at most once
   */
  SharedConnection(Connection connection, Function<Connection, CompletableFuture<Void>> close) {
    this.connection = connection;
    this.close = close;
  }

  Connection connection() {
    return connection;
  }

  /** Counts a call starting on the connection; false once it is retired. */
  synchronized boolean acquire() {
    if (retired) {
      return false;
    }
    calls++;
    return true;
  }

  /** Counts a call as ended (never before the call itself ended); closes a retired idle one. */
  void release() {
    boolean idle;
    synchronized (this) {
      calls--;
      idle = retired && calls == 0;
    }
    if (idle) {
      closeNow();
    }
  }

  /**
   * Takes no new calls; closed now if idle, else when the last running call ends.
   *
   * @return completes once the connection is closed
   */
  CompletableFuture<Void> retire() {
    boolean idle;
    synchronized (this) {
      if (retired) {
        return closed;
      }
      retired = true;
      idle = calls == 0;
    }
    if (idle) {
      closeNow();
    }
    return closed;
  }

  private void closeNow() {
    close.apply(connection).whenComplete((done, failure) -> closed.complete(null));
  }
}
