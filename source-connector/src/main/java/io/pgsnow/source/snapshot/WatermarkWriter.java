package io.pgsnow.source.snapshot;

import io.pgsnow.source.replication.PgConnections;
import io.pgsnow.source.replication.ReplicationSetup.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Writes a chunk's watermarks into the WAL, each in its own transaction: a transactional logical
 * message where pgoutput passes them on (PostgreSQL 14+), else a row in the signal table, the way
 * Debezium does.
 */
final class WatermarkWriter implements AutoCloseable {
  private final PgConnections connections;
  private final boolean messages;
  private final TableName signalTable;
  private Connection connection;

  WatermarkWriter(PgConnections connections, int serverVersionNum, TableName signalTable) {
    this.connections = connections;
    this.messages = serverVersionNum >= 140000;
    this.signalTable = signalTable;
  }

  /** Whether watermarks can be written at all on this server with this configuration. */
  boolean available() {
    return messages || signalTable != null;
  }

  void low(String chunkId) throws SQLException {
    write(true, chunkId);
  }

  void high(String chunkId) throws SQLException {
    write(false, chunkId);
  }

  private void write(boolean low, String chunkId) throws SQLException {
    if (connection == null || connection.isClosed()) {
      connection = connections.regular();
    }
    String sql =
        messages
            ? "SELECT pg_catalog.pg_logical_emit_message(true, ?, ?)"
            : "INSERT INTO " + signalTable.quoted() + " (id, type, data) VALUES (?, ?, ?)";
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      if (messages) {
        ps.setString(1, WatermarkWindow.PREFIX);
        ps.setString(2, (low ? "low:" : "high:") + chunkId);
      } else {
        ps.setString(1, chunkId + (low ? "-open" : "-close"));
        ps.setString(2, low ? WatermarkWindow.OPEN_SIGNAL : WatermarkWindow.CLOSE_SIGNAL);
        ps.setString(3, chunkId);
      }
      ps.execute();
    }
  }

  @Override
  public void close() {
    PgConnections.closeQuietly(connection);
  }
}
