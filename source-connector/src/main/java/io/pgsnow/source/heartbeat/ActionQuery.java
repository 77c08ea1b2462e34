package io.pgsnow.source.heartbeat;

import io.pgsnow.source.replication.PgConnections;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code heartbeat.action.query} on its own connection to the captured database (autocommit).
 * A failure is logged with its SQLSTATE and the connection reopened at the next heartbeat.
 */
public final class ActionQuery implements Runnable, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ActionQuery.class);

  /** Opens a regular connection. */
  @FunctionalInterface
  public interface ConnectionFactory {
    Connection open() throws SQLException;
  }

  private final String sql;
  private final ConnectionFactory connections;
  private Connection connection;

  public ActionQuery(String sql, ConnectionFactory connections) {
    this.sql = sql;
    this.connections = connections;
  }

  @Override
  public void run() {
    try {
      if (connection == null || connection.isClosed()) {
        connection = connections.open();
        connection.setAutoCommit(true);
      }
      try (Statement s = connection.createStatement()) {
        s.execute(sql);
      }
    } catch (SQLException e) {
      LOG.warn(
          "Could not run heartbeat.action.query (SQLSTATE {}): {}",
          e.getSQLState(),
          e.getMessage());
      close();
    }
  }

  @Override
  public void close() {
    PgConnections.closeQuietly(connection);
    connection = null;
  }
}
