package io.pgsnow.source;

import io.pgsnow.source.config.PublicationAutocreate;
import io.pgsnow.source.replication.ReplicationSetup;
import io.pgsnow.source.replication.ReplicationSetup.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * Puts the signal table ({@code signal.data.collection}) into the publication: its inserts start
 * and stop incremental snapshots, so they must reach the stream.
 */
final class SignalTablePublication {
  private SignalTablePublication() {}

  /**
   * Adds the signal table to a publication whose table list the connector sets ({@code filtered});
   * a {@code FOR ALL TABLES} one has it already, a user-managed one must have it.
   */
  static void ensure(Connection c, PostgresCdcSourceConfig config) throws SQLException {
    Optional<String> signal = config.snapshot().signalTable();
    if (signal.isEmpty() || config.publicationAutocreate() != PublicationAutocreate.FILTERED) {
      return;
    }
    String publicationName = config.publicationName();
    String[] parts = signal.get().split("\\.", 2);
    TableName name = new TableName(parts[0], parts[1]);
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT 1 FROM pg_catalog.pg_publication_tables"
                + " WHERE pubname = ? AND schemaname = ? AND tablename = ?")) {
      ps.setString(1, publicationName);
      ps.setString(2, parts[0]);
      ps.setString(3, parts[1]);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          return;
        }
      }
    }
    try (Statement s = c.createStatement()) {
      s.execute(
          "ALTER PUBLICATION "
              + ReplicationSetup.quote(publicationName)
              + " ADD TABLE "
              + name.quoted());
    } catch (SQLException e) {
      throw new ConnectException(
          "Cannot add the signal table "
              + name
              + " (signal.data.collection) to publication "
              + publicationName
              + ": "
              + e.getMessage(),
          e);
    }
  }
}
