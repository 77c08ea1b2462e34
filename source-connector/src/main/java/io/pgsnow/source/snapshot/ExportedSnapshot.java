package io.pgsnow.source.snapshot;

import io.pgsnow.source.replication.PgConnections;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.replication.LogSequenceNumber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replication slot created together with an exported snapshot: the snapshot shows the database
 * exactly as of the slot's consistent point, so rows read under it plus the changes streamed from
 * that point are every row once. The snapshot lives as long as the creating replication session
 * stays open and idle, so this object keeps it until closed.
 */
public final class ExportedSnapshot implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ExportedSnapshot.class);

  private final Connection connection;
  private final long consistentPoint;
  private final String snapshotName;

  private ExportedSnapshot(Connection connection, long consistentPoint, String snapshotName) {
    this.connection = connection;
    this.consistentPoint = consistentPoint;
    this.snapshotName = snapshotName;
  }

  /** Creates {@code slotName} with pgoutput over the replication protocol, exporting a snapshot. */
  public static ExportedSnapshot createSlot(PgConnections connections, String slotName)
      throws SQLException {
    Connection connection = connections.replication();
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery(
                "CREATE_REPLICATION_SLOT "
                    + SnapshotTable.quote(slotName)
                    + " LOGICAL pgoutput EXPORT_SNAPSHOT")) {
      rs.next();
      long lsn = LogSequenceNumber.valueOf(rs.getString("consistent_point")).asLong();
      String name = rs.getString("snapshot_name");
      LOG.info(
          "Created logical replication slot {} with exported snapshot {} at {}",
          slotName,
          name,
          rs.getString("consistent_point"));
      return new ExportedSnapshot(connection, lsn, name);
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  public long consistentPoint() {
    return consistentPoint;
  }

  public String snapshotName() {
    return snapshotName;
  }

  /**
   * A snapshot another session exported and keeps (the connector's, for its tasks): this object
   * only imports it.
   */
  public static ExportedSnapshot imported(String snapshotName, long consistentPoint) {
    return new ExportedSnapshot(null, consistentPoint, snapshotName);
  }

  /** Whether a new session can still import the snapshot (its exporting session is open, idle). */
  public boolean importable(PgConnections connections) {
    try (Connection c = connections.regular()) {
      try {
        importInto(c);
        return true;
      } finally {
        c.rollback();
      }
    } catch (SQLException e) {
      LOG.debug("Snapshot {} cannot be imported: {}", snapshotName, e.getMessage());
      return false;
    }
  }

  /** Makes {@code reader}'s next transaction see exactly this snapshot. */
  public void importInto(Connection reader) throws SQLException {
    reader.setAutoCommit(false);
    try (Statement s = reader.createStatement()) {
      s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
      s.execute("SET TRANSACTION SNAPSHOT " + SnapshotTable.literal(snapshotName));
    }
  }

  @Override
  public void close() {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.debug("Closing the snapshot-exporting session failed", e);
    }
  }
}
