package io.pgsnow.sink.ingest;

import java.sql.Connection;
import java.util.function.Consumer;

/**
 * A logged-in connection that concurrent calls share. It is retired when a call on it fails in a
 * way that may have broken it; calls still running on it then finish undisturbed, and it is closed
 * once the last of them ends (an abandoned call too, whenever it ends), so one partition's failure
 * never closes the connection under another partition's upload.
 */
final class SharedConnection {

  private final Connection connection;
  private final Consumer<Connection> close;
  private int calls;
  private boolean retired;

  /**
   * @param close closes the connection once retired and idle; called at most once
   */
  SharedConnection(Connection connection, Consumer<Connection> close) {
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
      close.accept(connection);
    }
  }

  /** Takes no new calls; closed now if idle, else when the last running call ends. */
  void retire() {
    boolean idle;
    synchronized (this) {
      if (retired) {
        return;
      }
      retired = true;
      idle = calls == 0;
    }
    if (idle) {
      close.accept(connection);
    }
  }
}
